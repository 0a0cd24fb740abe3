package io.rota.core;

import java.time.Duration;

/**
 * The slow-start ramp: the share of its weight an endpoint gets while it ramps up, as a function of
 * the time since its ramp began. The share starts at a floor and grows in {@link #STEPS} equal steps
 * over the window, so a ramp changes the schedule at most {@code STEPS} times. Immutable and
 * thread-safe.
 */
final class SlowStart {

  /** Slow start changes the effective weight this many times over the window. */
  static final int STEPS = 20;

  private final long windowNanos;
  private final double floor;

  SlowStart(Duration window, int initialWeightPercent) {
    this.windowNanos = window.toNanos();
    this.floor = initialWeightPercent / 100.0;
  }

  /** Returns whether slow start is on (a non-zero window). */
  boolean isOn() {
    return windowNanos > 0;
  }

  /** Returns whether a ramp that began {@code elapsedNanos} ago is over. */
  boolean isOver(long elapsedNanos) {
    return elapsedNanos >= windowNanos;
  }

  /** Returns the time between two steps of the ramp, at least 1 ns. */
  long stepNanos() {
    return Math.max(1, windowNanos / STEPS);
  }

  /** Returns the share of its weight a half-open endpoint gets: the floor. */
  double floorWeight(int weight) {
    return weight * floor;
  }

  /** Returns the effective weight of an endpoint whose ramp began {@code elapsedNanos} ago. */
  double weight(int weight, long elapsedNanos) {
    if (!isOn() || isOver(elapsedNanos)) {
      return weight;
    }
    long step = Math.min(STEPS, Math.max(0, elapsedNanos) * STEPS / windowNanos);
    return weight * (floor + (1 - floor) * step / STEPS);
  }
}
