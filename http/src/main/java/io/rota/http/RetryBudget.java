package io.rota.http;

import static io.rota.core.internal.Checks.inRange;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Immutable settings of a retry budget, which caps retries at a fraction of recent requests so that
 * when every endpoint fails, the client does not multiply the load on them (Finagle's
 * {@code RetryBudget}).
 *
 * <p>Each request adds {@link #retryRatio()} to the budget; each retry takes 1 and is allowed only
 * while at least 1 is left. What was added and taken counts for {@link #ttl()}. On top of that, a
 * reserve of {@link #minRetriesPerSecond()} {@code * ttl} retries lets a client with little traffic
 * retry too. With the defaults, retries add at most 20% to the requests of the last 10 seconds,
 * plus 100. A request whose retry the budget refuses fails with
 * {@link AllAttemptsFailedException.Reason#RETRY_BUDGET_EXHAUSTED}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RetryBudget {

  /** Default {@link #retryRatio()}: {@value}. */
  public static final double DEFAULT_RETRY_RATIO = 0.2;
  /** Default {@link #minRetriesPerSecond()}: {@value}. */
  public static final int DEFAULT_MIN_RETRIES_PER_SECOND = 10;
  /** Default {@link #ttl()}: {@value} seconds. */
  public static final int DEFAULT_TTL_SECONDS = 10;

  private static final RetryBudget DEFAULTS = new Builder().build();

  private final double retryRatio;
  private final int minRetriesPerSecond;
  private final Duration ttl;

  private RetryBudget(Builder b) {
    this.retryRatio = b.retryRatio;
    this.minRetriesPerSecond = b.minRetriesPerSecond;
    this.ttl = b.ttl;
  }

  /** Returns the default budget: 20% of requests over 10 s, plus 10 retries per second. */
  public static RetryBudget ofDefaults() {
    return DEFAULTS;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder custom() {
    return new Builder();
  }

  /** Returns a builder starting from the given budget. */
  public static Builder from(RetryBudget budget) {
    return new Builder(requireNonNull(budget, "budget"));
  }

  /** Returns the retries each request adds to the budget (0.2: one retry per five requests). */
  public double retryRatio() {
    return retryRatio;
  }

  /** Returns the retries per second allowed whatever the traffic (the reserve). */
  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /** Returns how long a request's contribution and a retry's cost count. */
  public Duration ttl() {
    return ttl;
  }

  @Override
  public String toString() {
    return "RetryBudget{retryRatio=" + retryRatio + ", minRetriesPerSecond=" + minRetriesPerSecond
        + ", ttl=" + ttl + '}';
  }

  /**
   * Builds a {@link RetryBudget}. Not thread-safe; {@link #build()} copies the values, so a builder
   * can be reused.
   */
  public static final class Builder {
    private double retryRatio = DEFAULT_RETRY_RATIO;
    private int minRetriesPerSecond = DEFAULT_MIN_RETRIES_PER_SECOND;
    private Duration ttl = Duration.ofSeconds(DEFAULT_TTL_SECONDS);

    private Builder() {}

    private Builder(RetryBudget b) {
      this.retryRatio = b.retryRatio;
      this.minRetriesPerSecond = b.minRetriesPerSecond;
      this.ttl = b.ttl;
    }

    /**
     * Sets the retries each request adds to the budget; default {@value #DEFAULT_RETRY_RATIO}.
     *
     * @throws IllegalArgumentException if {@code ratio} is outside {@code 0.0..10.0}
     */
    public Builder retryRatio(double ratio) {
      this.retryRatio = inRange(ratio, 0.0, 10.0, "retryRatio");
      return this;
    }

    /**
     * Sets the retries per second allowed whatever the traffic; default
     * {@value #DEFAULT_MIN_RETRIES_PER_SECOND}.
     *
     * @throws IllegalArgumentException if {@code retries} is outside {@code 0..100000}
     */
    public Builder minRetriesPerSecond(int retries) {
      this.minRetriesPerSecond = inRange(retries, 0, 100_000, "minRetriesPerSecond");
      return this;
    }

    /**
     * Sets how long a request's contribution and a retry's cost count; default
     * {@value #DEFAULT_TTL_SECONDS} s.
     *
     * @throws IllegalArgumentException if {@code ttl} is outside 1 s..1 h
     */
    public Builder ttl(Duration ttl) {
      this.ttl = inRange(ttl, Duration.ofSeconds(1), Duration.ofHours(1), "ttl");
      return this;
    }

    /** Same as {@link #ttl(Duration)} in milliseconds. */
    public Builder ttlMillis(long millis) {
      return ttl(Duration.ofMillis(millis));
    }

    /** Returns the budget. */
    public RetryBudget build() {
      return new RetryBudget(this);
    }
  }
}
