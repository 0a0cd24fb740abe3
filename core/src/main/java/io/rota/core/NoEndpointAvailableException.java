package io.rota.core;

import static java.util.Objects.requireNonNull;

/**
 * Thrown when an {@link EndpointPool} has no endpoint to pick: every endpoint is down, ejected or
 * drained (weight 0), in both tiers. The message lists every endpoint with its tier, weight and state.
 */
public final class NoEndpointAvailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient PoolSnapshot snapshot;

  /** Creates the exception from the pool's snapshot at the time of the failed pick. */
  public NoEndpointAvailableException(PoolSnapshot snapshot) {
    super(message(requireNonNull(snapshot, "snapshot")));
    this.snapshot = snapshot;
  }

  /** Returns the pool's snapshot at the time of the failed pick. */
  public PoolSnapshot snapshot() {
    return snapshot;
  }

  private static String message(PoolSnapshot snapshot) {
    StringBuilder sb = new StringBuilder("No endpoint available in pool '").append(snapshot.pool()).append("'");
    if (snapshot.endpoints().isEmpty()) {
      return sb.append(": it has no endpoints").toString();
    }
    sb.append(": ");
    boolean first = true;
    for (EndpointSnapshot e : snapshot.endpoints()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(e.id()).append(" (").append(e.tier().label()).append(", weight ").append(e.weight())
          .append(", ").append(e.state()).append(')');
    }
    return sb.toString();
  }
}
