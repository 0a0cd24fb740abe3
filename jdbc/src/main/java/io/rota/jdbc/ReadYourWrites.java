package io.rota.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a {@link RoutingDataSource} keeps a context's reads consistent with its own writes. A
 * <em>context</em> is the current thread, or the key given to
 * {@link RoutingDataSource#inContext(Object, RoutingDataSource.Work)} (a user or session id).
 *
 * <ul>
 *   <li>{@link #off()}: reads go to replicas right after a write; they may miss it.
 *   <li>{@link #window(Duration)}: after a commit on the primary, the context's reads stay on the
 *       primary for the window.
 *   <li>{@link #causal()}: after a commit on the primary, the pool remembers the commit's position in
 *       the primary's log (PostgreSQL WAL LSN, MariaDB GTID position, MySQL GTID set); the context
 *       reads from a replica only once that replica has replayed past it, else from the primary.
 *       Costs one extra round trip per write to fetch the position.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ReadYourWrites {

  /** The mode. */
  public enum Mode {
    /** No read-your-writes guarantee. */
    OFF,
    /** Reads stay on the primary for a time window after a write. */
    WINDOW,
    /** Reads go to a replica only once it has replayed the context's last write. */
    CAUSAL
  }

  private static final ReadYourWrites OFF = new ReadYourWrites(Mode.OFF, Duration.ZERO);

  private final Mode mode;
  private final Duration window;

  private ReadYourWrites(Mode mode, Duration window) {
    this.mode = mode;
    this.window = window;
  }

  /** Returns the mode without a guarantee. */
  public static ReadYourWrites off() {
    return OFF;
  }

  /**
   * Returns the time-window mode.
   *
   * @throws IllegalArgumentException if {@code window} is not positive
   */
  public static ReadYourWrites window(Duration window) {
    requireNonNull(window, "window");
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
    return new ReadYourWrites(Mode.WINDOW, window);
  }

  /**
   * Returns the causal mode. A context's write position is remembered for an hour at most; reads
   * after that no longer wait for it.
   */
  public static ReadYourWrites causal() {
    return new ReadYourWrites(Mode.CAUSAL, Duration.ofHours(1));
  }

  /** Returns the mode. */
  public Mode mode() {
    return mode;
  }

  /** Returns how long a context's write is remembered. */
  public Duration window() {
    return window;
  }

  @Override
  public String toString() {
    return mode == Mode.WINDOW ? "window(" + window + ")" : mode.name().toLowerCase(java.util.Locale.ROOT) + "()";
  }
}
