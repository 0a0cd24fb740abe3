package io.rota.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.rota.jdbc.spi.Dialect;
import org.jspecify.annotations.Nullable;

/**
 * Remembers each context's last committed write, for {@link ReadYourWrites}. A context is the key
 * given to {@link RoutingDataSource#inContext} (kept in a bounded cache for the mode's window after
 * its last write), or else the current thread (kept in a thread-local, so it goes away with the
 * thread and pins nothing). Only a commit that returned normally is recorded.
 *
 * <p>Thread-safe.
 */
final class ReadYourWritesTracker {

  /** What {@link #requirement()} returns when the context's reads must stay on the primary. */
  static final Object PRIMARY = new Object() {
    @Override
    public String toString() {
      return "PRIMARY";
    }
  };

  private static final ThreadLocal<@Nullable Object> CONTEXT = new ThreadLocal<>();
  private static final int MAX_KEYED_CONTEXTS = 100_000;

  /** One context's last write. */
  private static final class State {
    /** When the last write committed, in {@link System#nanoTime()}. */
    volatile long writtenAt;
    /** Its position (causal mode), or {@code null} if unknown. */
    volatile @Nullable String position;
    volatile boolean written;
    /** The write-target epoch the position was read in (see {@link #newEpoch()}). */
    volatile long epoch;
  }

  private final ReadYourWrites mode;
  /** Grows when writes move to another node: positions of an older epoch are of another timeline. */
  private volatile long epoch;
  private final long windowNanos;
  private final ThreadLocal<State> threadState = ThreadLocal.withInitial(State::new);
  private final @Nullable Cache<Object, State> keyed;

  ReadYourWritesTracker(ReadYourWrites mode) {
    this.mode = mode;
    this.windowNanos = mode.window().toNanos();
    this.keyed = mode.mode() == ReadYourWrites.Mode.OFF ? null
        : Caffeine.newBuilder().expireAfterWrite(mode.window()).maximumSize(MAX_KEYED_CONTEXTS).build();
  }

  /**
   * Starts a new epoch: writes now go to another node (a promoted replica), so a position recorded on
   * the old one may never be reached by the new one's replicas (a lost tail of the old timeline). A
   * context whose last write is of an older epoch reads from the primary for the rest of its window.
   */
  void newEpoch() {
    epoch++; // one writer: the write targets' update, under its lock
  }

  boolean enabled() {
    return keyed != null;
  }

  boolean causal() {
    return mode.mode() == ReadYourWrites.Mode.CAUSAL;
  }

  static <T, E extends Exception> T inContext(Object key, RoutingDataSource.Work<T, E> work) throws E {
    Object previous = CONTEXT.get();
    CONTEXT.set(key);
    try {
      return work.run();
    } finally {
      if (previous == null) {
        CONTEXT.remove();
      } else {
        CONTEXT.set(previous);
      }
    }
  }

  private @Nullable State current(boolean create) {
    Cache<Object, State> k = keyed;
    if (k == null) {
      return null;
    }
    Object key = CONTEXT.get();
    if (key == null) {
      return threadState.get();
    }
    return create ? k.get(key, x -> new State()) : k.getIfPresent(key);
  }

  /**
   * Returns what the current context's reads need: {@code null} for nothing, {@link #PRIMARY}, or
   * a position (String) a replica must have replayed.
   */
  @Nullable Object requirement() {
    State s = current(false);
    if (s == null || !s.written) {
      return null;
    }
    if (System.nanoTime() - s.writtenAt > windowNanos) {
      s.written = false;
      return null;
    }
    String p = s.position;
    return mode.mode() == ReadYourWrites.Mode.WINDOW || p == null || s.epoch != epoch ? PRIMARY : p;
  }

  /**
   * Records a committed write of the current context at {@code position} (causal mode; {@code null}
   * when unknown: the context's reads then stay on the primary for the window).
   */
  void recordCommit(@Nullable String position, @Nullable Dialect dialect) {
    State s = current(true);
    if (s == null) {
      return;
    }
    String old = s.position;
    long now = epoch;
    if (position != null && old != null && s.written && s.epoch == now && dialect != null
        && dialect.covers(old, position)) {
      position = old; // positions only move forward (within one epoch: another node's are not compared)
    }
    s.epoch = now;
    s.position = position;
    s.writtenAt = System.nanoTime();
    s.written = true;
  }
}
