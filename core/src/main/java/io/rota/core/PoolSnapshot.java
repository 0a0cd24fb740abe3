package io.rota.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of an {@link EndpointPool}.
 *
 * @param pool the pool name
 * @param servingTier the tier that {@code select()} picks from, or {@code null} if nothing can be
 *     selected
 * @param panic whether the pool picks among all endpoints of the serving tier, ignoring health,
 *     because too few of them are available (see {@link EndpointPoolConfig#panicThresholdPercent()})
 * @param endpoints every endpoint, in the order they joined
 */
public record PoolSnapshot(
    String pool, @Nullable Tier servingTier, boolean panic, List<EndpointSnapshot> endpoints) {

  /** Creates a snapshot; the list is copied. */
  public PoolSnapshot {
    endpoints = List.copyOf(endpoints);
  }

  /** Returns the snapshot of the endpoint with that id, or {@code null}. */
  public @Nullable EndpointSnapshot endpoint(String id) {
    for (EndpointSnapshot e : endpoints) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    return null;
  }
}
