package io.rota.core;

import static io.rota.core.internal.Checks.checkArgument;
import static io.rota.core.internal.Checks.checkState;
import static java.util.Objects.requireNonNull;

import io.rota.core.event.PoolEventListener;
import io.rota.core.spi.HealthCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link EndpointPool}. Not thread-safe; {@link #build()} copies what it was given, so the
 * builder can be reused.
 *
 * @param <A> the type of the endpoint addresses
 */
public final class EndpointPoolBuilder<A> {

  private final String name;
  private final List<Endpoint<A>> endpoints = new ArrayList<>();
  private EndpointPoolConfig config = EndpointPoolConfig.ofDefaults();
  private @Nullable HealthCheck<A> healthCheck;
  private Ticker ticker = Ticker.system();
  private @Nullable RandomGenerator random;
  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable Executor healthCheckExecutor;
  private @Nullable Executor eventExecutor;
  private boolean initialCheck;
  private final List<PoolEventListener> listeners = new ArrayList<>();

  EndpointPoolBuilder(String name) {
    requireNonNull(name, "name");
    checkArgument(!name.isBlank(), "name: '%s' (expected: a non-blank string)", name);
    this.name = name;
  }

  /** Adds an endpoint. Ids must be unique; {@link #build()} checks. */
  public EndpointPoolBuilder<A> endpoint(Endpoint<A> endpoint) {
    endpoints.add(requireNonNull(endpoint, "endpoint"));
    return this;
  }

  /** Adds endpoints. Ids must be unique; {@link #build()} checks. */
  public EndpointPoolBuilder<A> endpoints(Collection<Endpoint<A>> endpoints) {
    requireNonNull(endpoints, "endpoints");
    for (Endpoint<A> e : endpoints) {
      endpoint(e);
    }
    return this;
  }

  /** Sets the health, ejection, slow-start and panic settings; default {@link EndpointPoolConfig#ofDefaults()}. */
  public EndpointPoolBuilder<A> config(EndpointPoolConfig config) {
    this.config = requireNonNull(config, "config");
    return this;
  }

  /** Sets the active health check; default none (only passive health). */
  public EndpointPoolBuilder<A> healthCheck(HealthCheck<A> healthCheck) {
    this.healthCheck = requireNonNull(healthCheck, "healthCheck");
    return this;
  }

  /** Sets the time source; default {@link Ticker#system()}. */
  public EndpointPoolBuilder<A> ticker(Ticker ticker) {
    this.ticker = requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Sets the source of the pool's randomness: the point of the rotation a new pool starts at (so
   * that many clients started together do not all send their first request to the same endpoint)
   * and the jitter of health-check intervals. Default a new {@link Random}; give a seeded generator
   * to make a pool's picks reproducible. The pool calls it under its lock only, so it need not be
   * thread-safe.
   */
  public EndpointPoolBuilder<A> random(RandomGenerator random) {
    this.random = requireNonNull(random, "random");
    return this;
  }

  /**
   * Sets the scheduler for health checks, ejection timers and slow-start steps; default a
   * single daemon thread owned (and shut down) by the pool. A scheduler given here is not shut down by
   * {@link EndpointPool#close()}.
   */
  public EndpointPoolBuilder<A> scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * Sets where active health checks run (they may block); default a cached pool of daemon threads
   * owned by the pool.
   */
  public EndpointPoolBuilder<A> healthCheckExecutor(Executor executor) {
    this.healthCheckExecutor = requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Sets where listeners are called; default a small pool of daemon threads owned by the pool (named
   * {@code rota-<pool>-events-N}; one thread per listener with events to deliver, idle threads end),
   * which {@link EndpointPool#close()} shuts down after delivering what is queued.
   *
   * <p>Whatever the executor, each listener gets the events in the order the changes were made, one
   * at a time, never while the pool holds its lock; a slow or throwing listener delays only its own
   * events, never picks, reports or other listeners (with the default executor). With a direct
   * executor such as {@code Runnable::run}, listeners run on the thread that made the change (a
   * reporting caller, a health-check or timer thread), after the pool's lock is released: useful in
   * tests that expect an event as soon as the change returns. An executor given here is not shut down
   * by the pool.
   */
  public EndpointPoolBuilder<A> eventExecutor(Executor executor) {
    this.eventExecutor = requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Sets whether {@link #build()} runs one round of active health checks, on all endpoints at once,
   * before it returns; default {@code false} (endpoints start available and the first checks run in
   * the background, spread over the jitter range). With {@code true}, {@code build()} waits at most
   * the health-check timeout (on real time); an endpoint whose first check fails or does not end in
   * time starts {@link EndpointState#DOWN} and needs {@code rise} passed checks to come up. Without a
   * {@link #healthCheck health check} this setting does nothing. See also
   * {@link EndpointPool#awaitReady}.
   */
  public EndpointPoolBuilder<A> initialCheck(boolean initialCheck) {
    this.initialCheck = initialCheck;
    return this;
  }

  /**
   * Registers a listener before the pool starts, so that it also receives the events of the first
   * health checks (a listener added with {@link EndpointPool#addListener} after {@code build()} may
   * miss those).
   */
  public EndpointPoolBuilder<A> listener(PoolEventListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Returns a new pool.
   *
   * @throws IllegalStateException if no endpoint was added, or two endpoints share an id
   */
  public EndpointPool<A> build() {
    checkState(!endpoints.isEmpty(), "endpoints: none (expected: at least one endpoint in pool '%s')", name);
    Set<String> ids = new HashSet<>();
    for (Endpoint<A> e : endpoints) {
      checkState(ids.add(e.id()), "endpoint id: '%s' (expected: unique within pool '%s')", e.id(), name);
    }
    return new DefaultEndpointPool<>(name, List.copyOf(endpoints), config, healthCheck, ticker, random != null ? random : new Random(), scheduler,
        healthCheckExecutor, eventExecutor, List.copyOf(listeners), initialCheck);
  }
}
