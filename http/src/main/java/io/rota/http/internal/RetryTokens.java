package io.rota.http.internal;

import io.rota.core.Ticker;

/**
 * The state of a retry budget: a token balance over a sliding time window, after Finagle's
 * {@code RetryBudget} (Finagle: {@code com.twitter.finagle.service.RetryBudget}).
 *
 * <h2>Algorithm</h2>
 * Every request deposits {@code ratio} tokens; every retry withdraws one token, and is allowed only
 * while the balance is at least one. Deposits and withdrawals count for {@code ttl} and then expire,
 * so the balance reflects recent traffic only. A reserve of {@code minRetriesPerSecond * ttl}
 * tokens, which never expires, lets a client with little traffic still retry. With a ratio of 0.2,
 * retries add at most 20% to the load (plus the reserve) however many endpoints fail: when every
 * endpoint fails, the client does not multiply the load.
 *
 * <p>Tokens are kept in fixed point ({@value #UNIT} per retry) in {@value #SLICES} slices of the
 * window; a slice older than the window is dropped whole, so a token lives between
 * {@code ttl * (SLICES - 1) / SLICES} and {@code ttl}.
 *
 * <p>Thread-safe: every operation takes this object's monitor, held for a few array writes.
 */
public final class RetryTokens {

  /** Fixed-point value of one retry. */
  static final long UNIT = 1000;
  /** Number of slices of the window. */
  static final int SLICES = 10;

  private final Ticker ticker;
  private final long deposit;
  private final long reserve;
  private final long sliceNanos;
  /** Guarded by this. */
  private final long[] slices = new long[SLICES];
  /** Guarded by this. */
  private int current;
  /** Guarded by this. Start of the current slice, in ticker nanoseconds. */
  private long currentStart;
  /** Guarded by this. Sum of {@link #slices}. */
  private long sum;

  /**
   * Creates a budget.
   *
   * @param ratio tokens deposited per request (retries allowed per request), {@code >= 0}
   * @param minRetriesPerSecond the reserve, in retries per second of the window, {@code >= 0}
   * @param ttlNanos the window, {@code > 0}
   * @param ticker the time source
   */
  public RetryTokens(double ratio, int minRetriesPerSecond, long ttlNanos, Ticker ticker) {
    this.ticker = ticker;
    this.deposit = Math.round(ratio * UNIT);
    this.reserve = Math.round(minRetriesPerSecond * (ttlNanos / 1e9) * UNIT);
    this.sliceNanos = Math.max(1, ttlNanos / SLICES);
    this.currentStart = ticker.read();
  }

  /** Records a request. */
  public synchronized void deposit() {
    advance();
    add(deposit);
  }

  /** Withdraws one retry if the balance allows it; returns whether it did. */
  public synchronized boolean tryWithdraw() {
    advance();
    if (sum + reserve >= UNIT) {
      add(-UNIT);
      return true;
    }
    return false;
  }

  /** Returns the number of retries the budget allows now (may be fractional). */
  public synchronized double balance() {
    advance();
    return Math.max(0, sum + reserve) / (double) UNIT;
  }

  private void add(long amount) {
    slices[current] += amount;
    sum += amount;
  }

  /** Moves to the slice that holds now, dropping slices older than the window. */
  private void advance() {
    long now = ticker.read();
    long elapsed = now - currentStart;
    if (elapsed < sliceNanos) {
      return;
    }
    long steps = elapsed / sliceNanos;
    if (steps >= SLICES) {
      java.util.Arrays.fill(slices, 0);
      sum = 0;
      current = 0;
      currentStart = now;
      return;
    }
    for (long i = 0; i < steps; i++) {
      current = (current + 1) % SLICES;
      sum -= slices[current];
      slices[current] = 0;
    }
    currentStart += steps * sliceNanos;
  }
}
