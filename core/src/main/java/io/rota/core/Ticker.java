package io.rota.core;

/**
 * A source of monotonic time in nanoseconds, injectable so that health checks, ejection back-off and
 * slow start can be tested without sleeping. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current time in nanoseconds from an arbitrary origin; never decreases. */
  long read();

  /** Returns a ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
