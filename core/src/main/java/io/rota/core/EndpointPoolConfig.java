package io.rota.core;

import static io.rota.core.internal.Checks.atLeast;
import static io.rota.core.internal.Checks.checkArgument;
import static io.rota.core.internal.Checks.checkState;
import static io.rota.core.internal.Checks.inRange;
import static io.rota.core.internal.Checks.nonNegative;
import static io.rota.core.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Immutable settings of an {@link EndpointPool}: passive health (ejection by circuit breaker), active
 * health checks, slow start and panic mode. Create one with {@link #custom()} or take
 * {@link #ofDefaults()}; every setter validates its value at once and {@link Builder#build()} checks the
 * rules that tie several values together.
 *
 * <h2>Passive health</h2>
 * Each endpoint has a Resilience4j circuit breaker fed by the outcomes reported on each
 * {@link Lease}. It opens (the endpoint is {@link EndpointState#EJECTED}) after
 * {@link #consecutiveFailures()} failures in a row, or when the failure rate over the last
 * {@link #slidingWindowSize()} calls reaches {@link #failureRateThreshold()} percent (once at least
 * {@link #minimumNumberOfCalls()} calls were recorded). The n-th ejection in a row lasts
 * {@code ejectionTime * ejectionBackoffMultiplier^(n-1)}, at most {@link #maxEjectionTime()}; then the
 * endpoint is {@link EndpointState#HALF_OPEN} and its next {@link #halfOpenTrialCalls()} outcomes
 * decide whether it recovers (the count resets) or is ejected again.
 *
 * <h2>Active health</h2>
 * When the pool has a {@link io.rota.core.spi.HealthCheck}, it runs every
 * {@link #healthCheckInterval()} plus or minus {@link #healthCheckJitterPercent()} percent, each run
 * limited to {@link #healthCheckTimeout()}. {@link #fall()} consecutive failures mark the endpoint
 * {@link EndpointState#DOWN}; {@link #rise()} consecutive passes bring it back.
 *
 * <h2>Slow start</h2>
 * With a positive {@link #slowStart()} window, an endpoint that recovers (or joins a running pool)
 * starts at {@link #slowStartInitialWeightPercent()} percent of its weight and ramps linearly to its
 * full weight over the window. Half-open endpoints take trial traffic at that initial share too.
 *
 * <h2>Panic mode</h2>
 * With {@link #panicThresholdPercent()} above 0, when fewer than that percentage of the serving tier's
 * endpoints are available, the pool picks among all of them, ignoring health, so that the few healthy
 * ones are not crushed; when nothing at all is available it picks among the primary endpoints instead
 * of failing.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class EndpointPoolConfig {

  /** Default {@link #consecutiveFailures()}: {@value}. */
  public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
  /** Default {@link #failureRateThreshold()}: {@value} percent. */
  public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
  /** Default {@link #slidingWindowSize()}: {@value} calls. */
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20;
  /** Default {@link #minimumNumberOfCalls()}: {@value} calls. */
  public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10;
  /** Default {@link #ejectionTime()}: {@value} seconds. */
  public static final int DEFAULT_EJECTION_TIME_SECONDS = 10;
  /** Default {@link #maxEjectionTime()}: {@value} seconds. */
  public static final int DEFAULT_MAX_EJECTION_TIME_SECONDS = 300;
  /** Default {@link #ejectionBackoffMultiplier()}: {@value}. */
  public static final double DEFAULT_EJECTION_BACKOFF_MULTIPLIER = 2.0;
  /** Default {@link #halfOpenTrialCalls()}: {@value}. */
  public static final int DEFAULT_HALF_OPEN_TRIAL_CALLS = 3;
  /** Default {@link #healthCheckInterval()}: {@value} seconds. */
  public static final int DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS = 5;
  /** Default {@link #healthCheckTimeout()}: {@value} seconds. */
  public static final int DEFAULT_HEALTH_CHECK_TIMEOUT_SECONDS = 2;
  /** Default {@link #healthCheckJitterPercent()}: {@value} percent. */
  public static final int DEFAULT_HEALTH_CHECK_JITTER_PERCENT = 10;
  /** Default {@link #rise()}: {@value}. */
  public static final int DEFAULT_RISE = 2;
  /** Default {@link #fall()}: {@value}. */
  public static final int DEFAULT_FALL = 3;
  /** Default {@link #slowStartInitialWeightPercent()}: {@value} percent. */
  public static final int DEFAULT_SLOW_START_INITIAL_WEIGHT_PERCENT = 10;

  private static final EndpointPoolConfig DEFAULTS = new Builder().build();

  private final int consecutiveFailures;
  private final int failureRateThreshold;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final Duration ejectionTime;
  private final Duration maxEjectionTime;
  private final double ejectionBackoffMultiplier;
  private final int halfOpenTrialCalls;
  private final Duration healthCheckInterval;
  private final Duration healthCheckTimeout;
  private final int healthCheckJitterPercent;
  private final int rise;
  private final int fall;
  private final Duration slowStart;
  private final int slowStartInitialWeightPercent;
  private final int panicThresholdPercent;

  private EndpointPoolConfig(Builder b) {
    this.consecutiveFailures = b.consecutiveFailures;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slidingWindowSize = b.slidingWindowSize;
    this.minimumNumberOfCalls = b.minimumNumberOfCalls;
    this.ejectionTime = b.ejectionTime;
    this.maxEjectionTime = b.maxEjectionTime;
    this.ejectionBackoffMultiplier = b.ejectionBackoffMultiplier;
    this.halfOpenTrialCalls = b.halfOpenTrialCalls;
    this.healthCheckInterval = b.healthCheckInterval;
    this.healthCheckTimeout = b.healthCheckTimeout;
    this.healthCheckJitterPercent = b.healthCheckJitterPercent;
    this.rise = b.rise;
    this.fall = b.fall;
    this.slowStart = b.slowStart;
    this.slowStartInitialWeightPercent = b.slowStartInitialWeightPercent;
    this.panicThresholdPercent = b.panicThresholdPercent;
  }

  /** Returns the default settings. */
  public static EndpointPoolConfig ofDefaults() {
    return DEFAULTS;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder custom() {
    return new Builder();
  }

  /** Returns a builder starting from the given settings. */
  public static Builder from(EndpointPoolConfig config) {
    return new Builder(requireNonNull(config, "config"));
  }

  /** Returns how many failures in a row eject an endpoint. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** Returns the failure rate, in percent of the sliding window, that ejects an endpoint. */
  public int failureRateThreshold() {
    return failureRateThreshold;
  }

  /** Returns the number of most recent calls the failure rate is computed over. */
  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  /** Returns the number of calls recorded before the failure rate counts. */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /** Returns how long a first ejection lasts. */
  public Duration ejectionTime() {
    return ejectionTime;
  }

  /** Returns the longest an ejection lasts, however often it repeats. */
  public Duration maxEjectionTime() {
    return maxEjectionTime;
  }

  /** Returns the factor each repeated ejection's time grows by. */
  public double ejectionBackoffMultiplier() {
    return ejectionBackoffMultiplier;
  }

  /** Returns how many outcomes a half-open endpoint's recovery is judged on. */
  public int halfOpenTrialCalls() {
    return halfOpenTrialCalls;
  }

  /** Returns the time between two active health checks of an endpoint, before jitter. */
  public Duration healthCheckInterval() {
    return healthCheckInterval;
  }

  /** Returns how long an active health check may run before it counts as failed. */
  public Duration healthCheckTimeout() {
    return healthCheckTimeout;
  }

  /** Returns the random spread of the health-check interval, in percent of it. */
  public int healthCheckJitterPercent() {
    return healthCheckJitterPercent;
  }

  /** Returns how many passed checks in a row bring a down endpoint back. */
  public int rise() {
    return rise;
  }

  /** Returns how many failed checks in a row mark an endpoint down. */
  public int fall() {
    return fall;
  }

  /** Returns the slow-start window; zero means no slow start. */
  public Duration slowStart() {
    return slowStart;
  }

  /** Returns the share of its weight, in percent, a ramping or half-open endpoint starts at. */
  public int slowStartInitialWeightPercent() {
    return slowStartInitialWeightPercent;
  }

  /** Returns the panic threshold in percent of the serving tier; zero means no panic mode. */
  public int panicThresholdPercent() {
    return panicThresholdPercent;
  }

  @Override
  public String toString() {
    return "EndpointPoolConfig{consecutiveFailures=" + consecutiveFailures
        + ", failureRateThreshold=" + failureRateThreshold
        + ", slidingWindowSize=" + slidingWindowSize
        + ", minimumNumberOfCalls=" + minimumNumberOfCalls
        + ", ejectionTime=" + ejectionTime
        + ", maxEjectionTime=" + maxEjectionTime
        + ", ejectionBackoffMultiplier=" + ejectionBackoffMultiplier
        + ", halfOpenTrialCalls=" + halfOpenTrialCalls
        + ", healthCheckInterval=" + healthCheckInterval
        + ", healthCheckTimeout=" + healthCheckTimeout
        + ", healthCheckJitterPercent=" + healthCheckJitterPercent
        + ", rise=" + rise
        + ", fall=" + fall
        + ", slowStart=" + slowStart
        + ", slowStartInitialWeightPercent=" + slowStartInitialWeightPercent
        + ", panicThresholdPercent=" + panicThresholdPercent
        + '}';
  }

  /**
   * Builds an {@link EndpointPoolConfig}. Not thread-safe; {@link #build()} copies the values, so a
   * builder can be reused without changing what it built.
   */
  public static final class Builder {
    private int consecutiveFailures = DEFAULT_CONSECUTIVE_FAILURES;
    private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
    private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
    private Duration ejectionTime = Duration.ofSeconds(DEFAULT_EJECTION_TIME_SECONDS);
    private Duration maxEjectionTime = Duration.ofSeconds(DEFAULT_MAX_EJECTION_TIME_SECONDS);
    private double ejectionBackoffMultiplier = DEFAULT_EJECTION_BACKOFF_MULTIPLIER;
    private int halfOpenTrialCalls = DEFAULT_HALF_OPEN_TRIAL_CALLS;
    private Duration healthCheckInterval = Duration.ofSeconds(DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS);
    private Duration healthCheckTimeout = Duration.ofSeconds(DEFAULT_HEALTH_CHECK_TIMEOUT_SECONDS);
    private int healthCheckJitterPercent = DEFAULT_HEALTH_CHECK_JITTER_PERCENT;
    private int rise = DEFAULT_RISE;
    private int fall = DEFAULT_FALL;
    private Duration slowStart = Duration.ZERO;
    private int slowStartInitialWeightPercent = DEFAULT_SLOW_START_INITIAL_WEIGHT_PERCENT;
    private int panicThresholdPercent = 0;

    Builder() {}

    Builder(EndpointPoolConfig c) {
      consecutiveFailures = c.consecutiveFailures;
      failureRateThreshold = c.failureRateThreshold;
      slidingWindowSize = c.slidingWindowSize;
      minimumNumberOfCalls = c.minimumNumberOfCalls;
      ejectionTime = c.ejectionTime;
      maxEjectionTime = c.maxEjectionTime;
      ejectionBackoffMultiplier = c.ejectionBackoffMultiplier;
      halfOpenTrialCalls = c.halfOpenTrialCalls;
      healthCheckInterval = c.healthCheckInterval;
      healthCheckTimeout = c.healthCheckTimeout;
      healthCheckJitterPercent = c.healthCheckJitterPercent;
      rise = c.rise;
      fall = c.fall;
      slowStart = c.slowStart;
      slowStartInitialWeightPercent = c.slowStartInitialWeightPercent;
      panicThresholdPercent = c.panicThresholdPercent;
    }

    /**
     * Sets how many failures in a row eject an endpoint; default {@value #DEFAULT_CONSECUTIVE_FAILURES}.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder consecutiveFailures(int n) {
      this.consecutiveFailures = atLeast(n, 1, "consecutiveFailures");
      return this;
    }

    /**
     * Sets the failure rate in percent that ejects an endpoint; default
     * {@value #DEFAULT_FAILURE_RATE_THRESHOLD}.
     *
     * @throws IllegalArgumentException if {@code percent} is outside {@code 1..100}
     */
    public Builder failureRateThreshold(int percent) {
      this.failureRateThreshold = inRange(percent, 1, 100, "failureRateThreshold");
      return this;
    }

    /**
     * Sets the number of most recent calls the failure rate is computed over; default
     * {@value #DEFAULT_SLIDING_WINDOW_SIZE}.
     *
     * @throws IllegalArgumentException if {@code calls < 1}
     */
    public Builder slidingWindowSize(int calls) {
      this.slidingWindowSize = atLeast(calls, 1, "slidingWindowSize");
      return this;
    }

    /**
     * Sets how many calls are recorded before the failure rate counts; default
     * {@value #DEFAULT_MINIMUM_NUMBER_OF_CALLS}; at most {@code slidingWindowSize}.
     *
     * @throws IllegalArgumentException if {@code calls < 1}
     */
    public Builder minimumNumberOfCalls(int calls) {
      this.minimumNumberOfCalls = atLeast(calls, 1, "minimumNumberOfCalls");
      return this;
    }

    /**
     * Sets how long a first ejection lasts; default {@value #DEFAULT_EJECTION_TIME_SECONDS} seconds.
     *
     * @throws IllegalArgumentException if {@code time} is not positive
     */
    public Builder ejectionTime(Duration time) {
      this.ejectionTime = positive(time, "ejectionTime");
      return this;
    }

    /** Same as {@link #ejectionTime(Duration)} in milliseconds. */
    public Builder ejectionTimeMillis(long millis) {
      return ejectionTime(Duration.ofMillis(millis));
    }

    /**
     * Sets the longest an ejection lasts; default {@value #DEFAULT_MAX_EJECTION_TIME_SECONDS} seconds;
     * at least {@code ejectionTime}.
     *
     * @throws IllegalArgumentException if {@code time} is not positive
     */
    public Builder maxEjectionTime(Duration time) {
      this.maxEjectionTime = positive(time, "maxEjectionTime");
      return this;
    }

    /** Same as {@link #maxEjectionTime(Duration)} in milliseconds. */
    public Builder maxEjectionTimeMillis(long millis) {
      return maxEjectionTime(Duration.ofMillis(millis));
    }

    /**
     * Sets the factor each repeated ejection's time grows by; default
     * {@value #DEFAULT_EJECTION_BACKOFF_MULTIPLIER}; 1 means no growth.
     *
     * @throws IllegalArgumentException if {@code multiplier} is below 1, infinite or NaN
     */
    public Builder ejectionBackoffMultiplier(double multiplier) {
      checkArgument(multiplier >= 1.0 && multiplier <= 1000.0,
          "ejectionBackoffMultiplier: %s (expected: 1.0..1000.0)", multiplier);
      this.ejectionBackoffMultiplier = multiplier;
      return this;
    }

    /**
     * Sets how many outcomes a half-open endpoint's recovery is judged on; default
     * {@value #DEFAULT_HALF_OPEN_TRIAL_CALLS}; at most {@code minimumNumberOfCalls}.
     *
     * @throws IllegalArgumentException if {@code calls < 1}
     */
    public Builder halfOpenTrialCalls(int calls) {
      this.halfOpenTrialCalls = atLeast(calls, 1, "halfOpenTrialCalls");
      return this;
    }

    /**
     * Sets the time between two active health checks of an endpoint; default
     * {@value #DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS} seconds.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public Builder healthCheckInterval(Duration interval) {
      this.healthCheckInterval = positive(interval, "healthCheckInterval");
      return this;
    }

    /** Same as {@link #healthCheckInterval(Duration)} in milliseconds. */
    public Builder healthCheckIntervalMillis(long millis) {
      return healthCheckInterval(Duration.ofMillis(millis));
    }

    /**
     * Sets how long one active health check may run; default
     * {@value #DEFAULT_HEALTH_CHECK_TIMEOUT_SECONDS} seconds.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder healthCheckTimeout(Duration timeout) {
      this.healthCheckTimeout = positive(timeout, "healthCheckTimeout");
      return this;
    }

    /** Same as {@link #healthCheckTimeout(Duration)} in milliseconds. */
    public Builder healthCheckTimeoutMillis(long millis) {
      return healthCheckTimeout(Duration.ofMillis(millis));
    }

    /**
     * Sets the random spread of the health-check interval in percent of it; default
     * {@value #DEFAULT_HEALTH_CHECK_JITTER_PERCENT}.
     *
     * @throws IllegalArgumentException if {@code percent} is outside {@code 0..100}
     */
    public Builder healthCheckJitterPercent(int percent) {
      this.healthCheckJitterPercent = inRange(percent, 0, 100, "healthCheckJitterPercent");
      return this;
    }

    /**
     * Sets how many passed checks in a row bring a down endpoint back; default {@value #DEFAULT_RISE}.
     *
     * @throws IllegalArgumentException if {@code checks < 1}
     */
    public Builder rise(int checks) {
      this.rise = atLeast(checks, 1, "rise");
      return this;
    }

    /**
     * Sets how many failed checks in a row mark an endpoint down; default {@value #DEFAULT_FALL}.
     *
     * @throws IllegalArgumentException if {@code checks < 1}
     */
    public Builder fall(int checks) {
      this.fall = atLeast(checks, 1, "fall");
      return this;
    }

    /**
     * Sets the slow-start window; default zero (no slow start).
     *
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder slowStart(Duration window) {
      this.slowStart = nonNegative(window, "slowStart");
      return this;
    }

    /** Same as {@link #slowStart(Duration)} in milliseconds. */
    public Builder slowStartMillis(long millis) {
      return slowStart(Duration.ofMillis(millis));
    }

    /**
     * Sets the share of its weight, in percent, a ramping or half-open endpoint starts at; default
     * {@value #DEFAULT_SLOW_START_INITIAL_WEIGHT_PERCENT}.
     *
     * @throws IllegalArgumentException if {@code percent} is outside {@code 1..100}
     */
    public Builder slowStartInitialWeightPercent(int percent) {
      this.slowStartInitialWeightPercent = inRange(percent, 1, 100, "slowStartInitialWeightPercent");
      return this;
    }

    /**
     * Sets the panic threshold in percent of the serving tier; default 0 (off).
     *
     * @throws IllegalArgumentException if {@code percent} is outside {@code 0..100}
     */
    public Builder panicThresholdPercent(int percent) {
      this.panicThresholdPercent = inRange(percent, 0, 100, "panicThresholdPercent");
      return this;
    }

    /**
     * Returns the settings.
     *
     * @throws IllegalStateException if {@code minimumNumberOfCalls > slidingWindowSize},
     *     {@code halfOpenTrialCalls > minimumNumberOfCalls} or {@code maxEjectionTime < ejectionTime}
     */
    public EndpointPoolConfig build() {
      // Resilience4j judges a half-open breaker after min(trial calls, minimum calls) outcomes.
      checkState(halfOpenTrialCalls <= minimumNumberOfCalls,
          "halfOpenTrialCalls: %s (expected: <= minimumNumberOfCalls, %s)", halfOpenTrialCalls, minimumNumberOfCalls);
      checkState(minimumNumberOfCalls <= slidingWindowSize,
          "minimumNumberOfCalls: %s (expected: <= slidingWindowSize, %s)", minimumNumberOfCalls, slidingWindowSize);
      checkState(maxEjectionTime.compareTo(ejectionTime) >= 0,
          "maxEjectionTime: %s (expected: >= ejectionTime, %s)", maxEjectionTime, ejectionTime);
      return new EndpointPoolConfig(this);
    }
  }
}
