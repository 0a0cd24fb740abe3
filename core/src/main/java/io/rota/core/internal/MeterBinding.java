package io.rota.core.internal;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.event.PoolEvent;
import io.rota.core.event.PoolEventListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The meters one Micrometer binder registered in one registry: meters of the whole pool (or data
 * source, or client), and meters of each endpoint that follow the pool's membership — registered for
 * every endpoint in the pool when it starts following, registered for each endpoint added later, and
 * removed from the registry for each endpoint removed. {@link #close()} removes them all.
 *
 * <p>With {@code io.rota.core.EndpointPoolMetrics} and the jdbc and http binders, this is the only
 * class of Rota that names Micrometer types, and only those binders load it.
 *
 * <h2>Garbage collection</h2>
 * The registry holds the meters, and Micrometer's function meters and gauges hold the objects they
 * read through weak references; registrars must read through those objects and capture no pool in
 * their functions. The followed pool holds this binding (as a listener), not the other way round, so
 * a pool that is dropped while still bound can be collected.
 *
 * <p>Thread-safe. Membership events arrive on the pool's event threads; registering and removing
 * meters is serialized by this binding's lock, which no pool code holds.
 */
public final class MeterBinding implements AutoCloseable {

  /**
   * Finds, registers and forgets the meters of one endpoint.
   *
   * @param <T> what the meters read: the pool's (or client's, or data source's) record of the endpoint
   */
  public interface EndpointMeters<T> {
    /** Returns the record the endpoint's meters read, or {@code null} if no such endpoint is there now. */
    @Nullable T find(String endpointId);

    /** Registers in {@code registry} the meters of the endpoint with that id, reading {@code source}, and returns them. */
    List<Meter> register(MeterRegistry registry, String endpointId, T source);

    /** Called after the meters of that endpoint were removed from the registry; does nothing by default. */
    default void removed(String endpointId) {}
  }

  /** The bindings of one binder, one per registry it was bound to. Thread-safe. */
  public static final class Group implements AutoCloseable {
    /** Guarded by this. */
    private final List<MeterBinding> bindings = new ArrayList<>();

    /** Returns a new, empty binding to {@code registry}, closed with this group. */
    public synchronized MeterBinding bind(MeterRegistry registry) {
      MeterBinding binding = new MeterBinding(registry);
      bindings.add(binding);
      return binding;
    }

    /** Closes every binding of the group. */
    @Override
    public void close() {
      List<MeterBinding> all;
      synchronized (this) {
        all = List.copyOf(bindings);
        bindings.clear();
      }
      all.forEach(MeterBinding::close);
    }
  }

  private final MeterRegistry registry;
  /** Guarded by this. */
  private final List<Meter> fixed = new ArrayList<>();
  /** Guarded by this. */
  private final List<Follower<?>> followers = new ArrayList<>();
  /** Guarded by this. */
  private final List<Runnable> onClose = new ArrayList<>();
  /** Guarded by this. */
  private boolean closed;

  private MeterBinding(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  /** Returns the registry. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Records a meter of the whole pool, removed on {@link #close()}; returns it. */
  public synchronized <M extends Meter> M add(M meter) {
    fixed.add(meter);
    return meter;
  }

  /** Runs {@code action} on {@link #close()}, after the meters are removed. */
  public synchronized void onClose(Runnable action) {
    onClose.add(requireNonNull(action, "action"));
  }

  /**
   * Registers the meters of every endpoint now in {@code pool}, and from now on of each endpoint it
   * gains, removing those of each endpoint it loses.
   */
  public <T> void follow(EndpointPool<?> pool, EndpointMeters<T> meters) {
    Follower<T> follower = new Follower<>(pool, meters);
    synchronized (this) {
      followers.add(follower);
    }
    // Listen first, then register what is there: an endpoint removed in between is either missed by
    // the registrar (gone) or removed again by its event, which this lock orders after registration.
    pool.addListener(follower);
    synchronized (this) {
      for (Endpoint<?> e : pool.endpoints()) {
        follower.replace(e.id());
      }
    }
  }

  /** Stops following membership and removes every meter of this binding from the registry. */
  @Override
  public void close() {
    List<Follower<?>> stopped;
    List<Runnable> actions;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stopped = List.copyOf(followers);
      actions = List.copyOf(onClose);
      fixed.forEach(registry::remove);
      fixed.clear();
      for (Follower<?> f : stopped) {
        for (String id : List.copyOf(f.byEndpoint.keySet())) {
          f.drop(id);
        }
      }
    }
    for (Follower<?> f : stopped) {
      f.pool.removeListener(f);
    }
    actions.forEach(Runnable::run);
  }

  /** Keeps one pool's endpoint meters in step with its membership. */
  private final class Follower<T> implements PoolEventListener {
    final EndpointPool<?> pool;
    private final EndpointMeters<T> meters;
    /** Guarded by the binding. */
    final Map<String, Registered<T>> byEndpoint = new HashMap<>();

    Follower(EndpointPool<?> pool, EndpointMeters<T> meters) {
      this.pool = pool;
      this.meters = meters;
    }

    @Override
    public void onEvent(PoolEvent event) {
      synchronized (MeterBinding.this) {
        if (closed) {
          return;
        }
        if (event instanceof PoolEvent.EndpointAdded) {
          replace(((PoolEvent.EndpointAdded) event).endpointId());
        } else if (event instanceof PoolEvent.EndpointRemoved) {
          drop(((PoolEvent.EndpointRemoved) event).endpointId());
        }
      }
    }

    /**
     * Under the binding's lock: registers the endpoint's meters over its record as it is now, unless
     * they already read that record (an endpoint that left and came back has a new one).
     */
    void replace(String id) {
      T source = meters.find(id);
      Registered<T> old = byEndpoint.get(id);
      if (old != null && old.source == source) {
        return;
      }
      drop(id);
      if (source != null) {
        byEndpoint.put(id, new Registered<>(source, List.copyOf(meters.register(registry, id, source))));
      }
    }

    /** Under the binding's lock. */
    void drop(String id) {
      Registered<T> old = byEndpoint.remove(id);
      if (old != null) {
        old.meters.forEach(registry::remove);
        meters.removed(id);
      }
    }

    @Override
    public String toString() {
      return "MeterBinding{pool=" + pool.name() + ", registry=" + registry.getClass().getSimpleName() + '}';
    }
  }

  /** The meters registered for one endpoint, and the record they read. */
  private record Registered<T>(T source, List<Meter> meters) {}
}
