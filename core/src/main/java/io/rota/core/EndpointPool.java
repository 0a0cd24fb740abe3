package io.rota.core;

import io.rota.core.event.PoolEventListener;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A live set of weighted {@link Endpoint}s that picks one per call by smooth weighted round robin and
 * tracks each endpoint's health.
 *
 * <pre>{@code
 * EndpointPool<URI> pool = EndpointPool.<URI>builder("api")
 *     .endpoint(Endpoint.of("a", URI.create("http://10.0.0.1:8080"), 3))
 *     .endpoint(Endpoint.of("b", URI.create("http://10.0.0.2:8080"), 1))
 *     .endpoint(Endpoint.of("spare", URI.create("http://10.0.0.9:8080")).withTier(Tier.BACKUP))
 *     .build();
 *
 * Lease<URI> lease = pool.acquire();
 * try {
 *   call(lease.endpoint().address());
 *   lease.success();
 * } catch (IOException e) {
 *   lease.failure(e);
 * } finally {
 *   lease.close(); // releases the lease if nothing was reported (another exception)
 * }
 * }</pre>
 *
 * <h2>Selection</h2>
 * {@link #select()} picks from the <em>serving tier</em>: the primary endpoints while at least one is
 * available, else the backup endpoints. Within the tier, endpoints are picked in proportion to their
 * effective weights and smoothly interleaved (weights 1, 2, 3 give {@code c b c a c b}). A change of
 * weights, membership or health is visible to the next pick and neither restarts the rotation nor
 * favours any endpoint.
 *
 * <h2>Health</h2>
 * Callers report each call's outcome on its {@link Lease}: success, failure, or neutral
 * ({@link Lease#release()}); a circuit breaker per endpoint ejects endpoints that fail. An optional active
 * {@link io.rota.core.spi.HealthCheck} marks endpoints down and up. See {@link EndpointState} for how
 * the two combine and {@link EndpointPoolConfig} for the settings.
 *
 * <h2>Threading</h2>
 * Implementations are thread-safe. {@code select()} takes no lock, allocates nothing, logs nothing
 * and costs the same whatever the number of endpoints: it reads an immutable selection snapshot that
 * every change rebuilds and publishes (copy on write); {@code selectOrThrow()}, {@code snapshot()} and
 * {@code endpoints()} take no lock either. Changes (membership, weights, reports that move a circuit
 * breaker, health-check verdicts, timers) are serialized by one lock per pool; listeners are called
 * after the new snapshot is published, never under the lock, by default on the pool's own event
 * threads (see {@link EndpointPoolBuilder#eventExecutor}).
 *
 * @param <A> the type of the endpoint addresses
 */
public interface EndpointPool<A> extends AutoCloseable {

  /** Returns a builder for a pool with the given name (used in logs, events and errors). */
  static <A> EndpointPoolBuilder<A> builder(String name) {
    return new EndpointPoolBuilder<>(name);
  }

  /** Returns the pool name. */
  String name();

  /**
   * Picks an endpoint, or returns {@code null} if none is available in either tier. Lock-free,
   * allocation-free, O(1).
   */
  @Nullable Endpoint<A> select();

  /**
   * Picks an endpoint.
   *
   * @throws NoEndpointAvailableException if none is available; its message lists every endpoint with
   *     its state
   */
  Endpoint<A> selectOrThrow();

  /**
   * Picks an endpoint and opens a {@link Lease} on it, counting the call as in flight until the lease
   * is reported. Takes no lock.
   *
   * @throws NoEndpointAvailableException if none is available; its message lists every endpoint with
   *     its state
   */
  Lease<A> acquire();

  /**
   * Opens a {@link Lease} on an endpoint the caller chose itself (from {@link #select()} or
   * {@link #endpoints()}, for example to retry on an endpoint not tried yet). A lease on an endpoint
   * that is not (or no longer) in the pool is accepted and its report dropped.
   */
  Lease<A> acquire(Endpoint<A> endpoint);

  /**
   * Adds an endpoint. With slow start on, it ramps up from the initial share.
   *
   * @throws IllegalArgumentException if an endpoint with the same id is already in the pool
   * @throws IllegalStateException if the pool is closed
   */
  void add(Endpoint<A> endpoint);

  /**
   * Removes the endpoint with that id; it is not picked once this returns.
   *
   * @return whether an endpoint was removed
   * @throws IllegalStateException if the pool is closed
   */
  boolean remove(String id);

  /**
   * Changes an endpoint's weight; the next pick sees it. Weight 0 drains the endpoint.
   *
   * @throws IllegalArgumentException if no endpoint has that id, or {@code weight} is outside
   *     {@code 0..}{@value Endpoint#MAX_WEIGHT}
   * @throws IllegalStateException if the pool is closed
   */
  void setWeight(String id, int weight);

  /** Returns the endpoints currently in the pool, in the order they joined. */
  List<Endpoint<A>> endpoints();

  /** Returns a point-in-time view of every endpoint's state, weights and counters. Takes no lock. */
  PoolSnapshot snapshot();

  /**
   * Waits until every endpoint in the pool has had its first active-check verdict (passed, failed or
   * timed out), at most {@code timeout}. Returns {@code true} at once when the pool has no health
   * check, or when {@link EndpointPoolBuilder#initialCheck(boolean)} already ran the first round.
   * An endpoint added later counts from its addition until its own first verdict.
   *
   * @return whether every endpoint had a verdict before the timeout
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  boolean awaitReady(Duration timeout) throws InterruptedException;

  /** Registers a listener for {@link io.rota.core.event.PoolEvent}s. */
  void addListener(PoolEventListener listener);

  /** Unregisters a listener; returns whether it was registered. */
  boolean removeListener(PoolEventListener listener);

  /**
   * Stops health checks and timers and releases the threads the pool created. The pool keeps
   * answering {@code select()} with what it last knew; changes are refused.
   */
  @Override
  void close();
}
