package io.rota.core;

/**
 * The tier of an {@link Endpoint}: primary endpoints take the traffic; backup endpoints take it only
 * while no primary endpoint is available (HAProxy's {@code backup}, active–passive), and hand it back
 * as soon as one primary endpoint is available again.
 */
public enum Tier {
  /** Takes traffic whenever it is available. */
  PRIMARY,
  /** Takes traffic only while no {@link #PRIMARY} endpoint of the same pool is available. */
  BACKUP;

  String label() {
    return this == PRIMARY ? "primary" : "backup";
  }
}
