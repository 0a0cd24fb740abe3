package io.rota.core.event;

import io.rota.core.EndpointState;
import io.rota.core.Tier;
import org.jspecify.annotations.Nullable;

/**
 * Something that changed in an {@link io.rota.core.EndpointPool}: membership, a weight, an endpoint's
 * health state, or the tier that takes the traffic. Events are immutable values delivered to
 * {@link PoolEventListener}s after the change is visible to {@code select()}.
 */
public sealed interface PoolEvent {

  /** Returns the name of the pool the event comes from. */
  String pool();

  /** Returns when the event happened, in the pool's {@link io.rota.core.Ticker} nanoseconds. */
  long tickerNanos();

  /** An endpoint joined the pool. */
  record EndpointAdded(String pool, long tickerNanos, String endpointId, Tier tier, int weight)
      implements PoolEvent {}

  /** An endpoint left the pool. */
  record EndpointRemoved(String pool, long tickerNanos, String endpointId) implements PoolEvent {}

  /** An endpoint's configured weight changed. */
  record WeightChanged(String pool, long tickerNanos, String endpointId, int oldWeight, int newWeight)
      implements PoolEvent {}

  /**
   * An endpoint's health state changed.
   *
   * @param cause why, in words (for example "5 consecutive failures", "active check failed 3 times")
   */
  record StateChanged(
      String pool, long tickerNanos, String endpointId, EndpointState from, EndpointState to, String cause)
      implements PoolEvent {}

  /**
   * The endpoints that take the traffic changed tier or entered or left panic mode.
   *
   * @param tier the tier now serving, or {@code null} when nothing can be selected
   * @param panic whether the pool now picks among all endpoints of that tier, ignoring health
   */
  record ServingTierChanged(String pool, long tickerNanos, @Nullable Tier tier, boolean panic)
      implements PoolEvent {}
}
