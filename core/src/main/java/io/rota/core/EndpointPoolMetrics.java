package io.rota.core;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rota.core.internal.MeterBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of an {@link EndpointPool}: per endpoint, its calls, health state, weights, calls
 * in flight, ejections and active-check latency; per pool, the serving tier and panic mode.
 *
 * <pre>{@code
 * EndpointPoolMetrics.of(pool).bindTo(registry);
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of Rota: this class (and the jdbc and http binders) is the
 * only one that uses it, and nothing else in Rota loads it.
 *
 * <h2>Meters</h2>
 * Every meter has the tag {@code pool} (the pool name) plus the tags given to
 * {@link #of(EndpointPool, Iterable)}; endpoint meters also {@code endpoint} (the id) and {@code tier}
 * ({@code primary} or {@code backup}).
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>what</th></tr>
 *   <tr><td>{@code rota.pool.endpoint.calls}</td><td>function counter</td><td>{@code outcome}:
 *       {@code success}, {@code failure}</td><td>calls reported on the endpoint's leases since it
 *       joined (released leases are neither)</td></tr>
 *   <tr><td>{@code rota.pool.endpoint.state}</td><td>gauge</td><td>{@code state}: {@code healthy},
 *       {@code ramping}, {@code half_open}, {@code drained}, {@code ejected}, {@code down}</td>
 *       <td>1 for the endpoint's current {@link EndpointState}, 0 for the others</td></tr>
 *   <tr><td>{@code rota.pool.endpoint.weight}</td><td>gauge</td><td></td><td>the configured weight</td></tr>
 *   <tr><td>{@code rota.pool.endpoint.effective.weight}</td><td>gauge</td><td></td><td>the weight
 *       selection uses now: 0 when not picked, less than the weight while ramping or half-open</td></tr>
 *   <tr><td>{@code rota.pool.endpoint.in.flight}</td><td>gauge</td><td></td><td>leases open now</td></tr>
 *   <tr><td>{@code rota.pool.endpoint.ejections}</td><td>function counter</td><td></td><td>times the
 *       circuit breaker ejected the endpoint since it joined</td></tr>
 *   <tr><td>{@code rota.pool.endpoint.check}</td><td>timer</td><td>{@code result}: {@code pass},
 *       {@code fail}</td><td>active health checks and how long each took until its verdict (a
 *       timed-out check counts its timeout); only for pools with a health check</td></tr>
 *   <tr><td>{@code rota.pool.serving}</td><td>gauge</td><td>{@code tier}: {@code primary},
 *       {@code backup}</td><td>1 for the tier {@code select()} picks from, 0 for the other (both 0
 *       when nothing can be picked)</td></tr>
 *   <tr><td>{@code rota.pool.panic}</td><td>gauge</td><td></td><td>1 while the pool is in panic
 *       mode, else 0</td></tr>
 * </table>
 *
 * <h2>Membership, cost and garbage collection</h2>
 * Meters appear for endpoints added after binding and are removed from the registry for endpoints
 * removed (shortly after the change, on the pool's event thread). Gauges and function counters read
 * the pool's lock-free per-endpoint state directly (no snapshot per read), and reach it through weak
 * references, as Micrometer's function meters do: a registry does not keep a dropped pool alive. A
 * check timer records on the health-check thread after the verdict, never on a caller's thread.
 * {@link #close()} removes every meter this binder registered.
 *
 * <p>Thread-safe.
 */
// Micrometer is `requires static`, not transitive: whoever binds has it and requires it already.
@SuppressWarnings("exports")
public final class EndpointPoolMetrics implements MeterBinder, AutoCloseable {

  private static final String CALLS = "Calls reported on the endpoint's leases, by outcome";

  private final DefaultEndpointPool<?> pool;
  private final Tags tags;
  private final MeterBinding.Group bindings = new MeterBinding.Group();

  private EndpointPoolMetrics(DefaultEndpointPool<?> pool, Tags tags) {
    this.pool = pool;
    this.tags = tags;
  }

  /**
   * Returns a binder of the pool's meters.
   *
   * @throws IllegalArgumentException if the pool was not made by {@link EndpointPool#builder}
   */
  public static EndpointPoolMetrics of(EndpointPool<?> pool) {
    return of(pool, Tags.empty());
  }

  /**
   * Returns a binder of the pool's meters, each with these tags too.
   *
   * @throws IllegalArgumentException if the pool was not made by {@link EndpointPool#builder}
   */
  public static EndpointPoolMetrics of(EndpointPool<?> pool, Iterable<Tag> tags) {
    requireNonNull(pool, "pool");
    requireNonNull(tags, "tags");
    if (!(pool instanceof DefaultEndpointPool)) {
      throw new IllegalArgumentException("pool: " + pool.getClass().getName()
          + " (expected: a pool made by EndpointPool.builder(...))");
    }
    return new EndpointPoolMetrics((DefaultEndpointPool<?>) pool, Tags.of(tags));
  }

  /** Registers the pool's meters in {@code registry}, and keeps them in step with its membership. */
  @Override
  public void bindTo(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    MeterBinding binding = bindings.bind(registry);
    Tags poolTags = tags.and("pool", pool.name());
    binding.add(Gauge.builder("rota.pool.panic", pool, p -> p.view().panic() ? 1 : 0).tags(poolTags)
        .description("1 while the pool picks among all endpoints of its tier, ignoring health").register(registry));
    for (Tier tier : Tier.values()) {
      binding.add(Gauge.builder("rota.pool.serving", pool, p -> p.view().tier() == tier ? 1 : 0)
          .tags(poolTags).tag("tier", tier.label())
          .description("1 for the tier select() picks from").register(registry));
    }
    PerEndpoint meters = new PerEndpoint(pool, poolTags);
    if (pool.hasHealthCheck()) {
      pool.addCheckObserver(meters);
      binding.onClose(() -> pool.removeCheckObserver(meters));
    }
    binding.follow(pool, meters);
  }

  /** Removes every meter this binder registered, from every registry it was bound to. */
  @Override
  public void close() {
    bindings.close();
  }

  @Override
  public String toString() {
    return "EndpointPoolMetrics{pool=" + pool.name() + ", tags=" + tags + '}';
  }

  private static String label(EndpointState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  /** The meters of one endpoint, read from its pool entry; also records its checks. */
  private static final class PerEndpoint implements MeterBinding.EndpointMeters<Entry<?>>,
      DefaultEndpointPool.CheckObserver {
    private final DefaultEndpointPool<?> pool;
    private final Tags poolTags;
    /** The check timers (pass, fail) of each endpoint with meters. */
    private final Map<String, Timer[]> checkTimers = new ConcurrentHashMap<>();

    PerEndpoint(DefaultEndpointPool<?> pool, Tags poolTags) {
      this.pool = pool;
      this.poolTags = poolTags;
    }

    @Override
    public @Nullable Entry<?> find(String endpointId) {
      return pool.entry(endpointId);
    }

    @Override
    public List<Meter> register(MeterRegistry r, String id, Entry<?> entry) {
      Tags t = poolTags.and("endpoint", id, "tier", entry.endpoint.tier().label());
      List<Meter> out = new ArrayList<>();
      out.add(FunctionCounter.builder("rota.pool.endpoint.calls", entry, e -> e.successes.sum())
          .tags(t).tag("outcome", "success").description(CALLS).register(r));
      out.add(FunctionCounter.builder("rota.pool.endpoint.calls", entry, e -> e.failures.sum())
          .tags(t).tag("outcome", "failure").description(CALLS).register(r));
      for (EndpointState state : EndpointState.values()) {
        out.add(Gauge.builder("rota.pool.endpoint.state", entry, e -> e.health.state == state ? 1 : 0)
            .tags(t).tag("state", label(state))
            .description("1 for the endpoint's current health state, 0 for the others").register(r));
      }
      out.add(Gauge.builder("rota.pool.endpoint.weight", entry, e -> e.endpoint.weight())
          .tags(t).description("The configured weight").register(r));
      out.add(Gauge.builder("rota.pool.endpoint.effective.weight", entry, e -> e.effectiveWeight)
          .tags(t).description("The weight selection uses now").register(r));
      out.add(Gauge.builder("rota.pool.endpoint.in.flight", entry, e -> e.inFlight.get())
          .tags(t).description("Leases open now").register(r));
      out.add(FunctionCounter.builder("rota.pool.endpoint.ejections", entry, e -> e.health.totalEjections())
          .tags(t).description("Times the circuit breaker ejected the endpoint").register(r));
      if (pool.hasHealthCheck()) {
        Timer pass = Timer.builder("rota.pool.endpoint.check").tags(t).tag("result", "pass")
            .description("Active health checks, until their verdict").register(r);
        Timer fail = Timer.builder("rota.pool.endpoint.check").tags(t).tag("result", "fail")
            .description("Active health checks, until their verdict").register(r);
        checkTimers.put(id, new Timer[] {pass, fail});
        out.add(pass);
        out.add(fail);
      }
      return out;
    }

    @Override
    public void removed(String endpointId) {
      checkTimers.remove(endpointId);
    }

    @Override
    public void checked(String endpointId, boolean passed, long tookNanos) {
      Timer[] timers = checkTimers.get(endpointId);
      if (timers != null) {
        timers[passed ? 0 : 1].record(tookNanos, TimeUnit.NANOSECONDS);
      }
    }
  }
}
