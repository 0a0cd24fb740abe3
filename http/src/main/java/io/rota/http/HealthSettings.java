package io.rota.http;

import static io.rota.core.internal.Checks.checkArgument;
import static io.rota.core.internal.Checks.inRange;
import static java.util.Objects.requireNonNull;

import io.rota.core.EndpointPoolConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The health section of a {@link LoadBalancedHttpClientBuilder}: every setting that decides whether an
 * endpoint takes requests, in one place. Given to
 * {@link LoadBalancedHttpClientBuilder#health(java.util.function.Consumer)}:
 *
 * <pre>{@code
 * LoadBalancedHttpClient.builder("orders")
 *     .endpoint("a", URI.create("http://10.0.0.1:8080"))
 *     .health(h -> h
 *         .check("/health").interval(Duration.ofSeconds(2)).rise(2).fall(3)   // active
 *         .consecutiveFailures(5).ejectionTime(Duration.ofSeconds(10)))       // passive
 *     .build();
 * }</pre>
 *
 * <h2>Active check</h2>
 * With {@link #check(String)}, every {@link #interval(Duration) interval} (± {@link #jitterPercent(int)
 * jitter}) each endpoint gets {@code GET <base URI><path>}, limited to {@link #timeout(Duration)}; it
 * passes on {@link #expectedStatus(int)}. {@link #fall(int)} failed checks in a row take the endpoint
 * out ({@code DOWN}), {@link #rise(int)} passed ones bring it back. Default: no active check.
 *
 * <h2>Passive health (ejection)</h2>
 * Every attempt's outcome feeds a circuit breaker per endpoint: {@link #consecutiveFailures(int)}
 * failures in a row, or a {@link #failureRateThreshold(int) failure rate} over the last
 * {@link #slidingWindowSize(int)} attempts (once {@link #minimumNumberOfCalls(int)} were made), eject
 * it for {@link #ejectionTime(Duration)}, growing by {@link #ejectionBackoffMultiplier(double)} with
 * each repeat up to {@link #maxEjectionTime(Duration)}; then {@link #halfOpenTrialCalls(int)} trial
 * attempts decide whether it recovers.
 *
 * <h2>Slow start and panic mode</h2>
 * {@link #slowStart(Duration)} ramps a recovered or added endpoint up from
 * {@link #slowStartInitialWeightPercent(int)} percent of its weight; {@link #panicThresholdPercent(int)}
 * spreads requests over every endpoint when too few are available. See
 * {@link EndpointPoolConfig} for the details of each.
 *
 * <h2>One place</h2>
 * Each setting is set once: setting it again to another value, or to a value other than the one a
 * {@link LoadBalancedHttpClientBuilder#poolConfig(EndpointPoolConfig) poolConfig} given to the same
 * builder has (when that is not the default), makes {@link LoadBalancedHttpClientBuilder#build()}
 * fail with an {@link IllegalStateException} naming both values. The active-check settings need
 * {@link #check(String)}. Setters check their argument at once ({@link IllegalArgumentException}).
 *
 * <p>Not thread-safe: it is used within the builder's configuration only.
 */
public final class HealthSettings {

  /** Default {@link #expectedStatus(int)}: {@value}. */
  public static final int DEFAULT_EXPECTED_STATUS = 200;

  /** The settings that go to the core pool's config, with how to read and write them. */
  enum PoolField {
    INTERVAL("interval", EndpointPoolConfig::healthCheckInterval, (b, v) -> b.healthCheckInterval((Duration) v), true),
    TIMEOUT("timeout", EndpointPoolConfig::healthCheckTimeout, (b, v) -> b.healthCheckTimeout((Duration) v), true),
    JITTER_PERCENT("jitterPercent", EndpointPoolConfig::healthCheckJitterPercent,
        (b, v) -> b.healthCheckJitterPercent((Integer) v), true),
    RISE("rise", EndpointPoolConfig::rise, (b, v) -> b.rise((Integer) v), true),
    FALL("fall", EndpointPoolConfig::fall, (b, v) -> b.fall((Integer) v), true),
    CONSECUTIVE_FAILURES("consecutiveFailures", EndpointPoolConfig::consecutiveFailures,
        (b, v) -> b.consecutiveFailures((Integer) v), false),
    FAILURE_RATE_THRESHOLD("failureRateThreshold", EndpointPoolConfig::failureRateThreshold,
        (b, v) -> b.failureRateThreshold((Integer) v), false),
    SLIDING_WINDOW_SIZE("slidingWindowSize", EndpointPoolConfig::slidingWindowSize,
        (b, v) -> b.slidingWindowSize((Integer) v), false),
    MINIMUM_NUMBER_OF_CALLS("minimumNumberOfCalls", EndpointPoolConfig::minimumNumberOfCalls,
        (b, v) -> b.minimumNumberOfCalls((Integer) v), false),
    EJECTION_TIME("ejectionTime", EndpointPoolConfig::ejectionTime, (b, v) -> b.ejectionTime((Duration) v), false),
    MAX_EJECTION_TIME("maxEjectionTime", EndpointPoolConfig::maxEjectionTime,
        (b, v) -> b.maxEjectionTime((Duration) v), false),
    EJECTION_BACKOFF_MULTIPLIER("ejectionBackoffMultiplier", EndpointPoolConfig::ejectionBackoffMultiplier,
        (b, v) -> b.ejectionBackoffMultiplier((Double) v), false),
    HALF_OPEN_TRIAL_CALLS("halfOpenTrialCalls", EndpointPoolConfig::halfOpenTrialCalls,
        (b, v) -> b.halfOpenTrialCalls((Integer) v), false),
    SLOW_START("slowStart", EndpointPoolConfig::slowStart, (b, v) -> b.slowStart((Duration) v), false),
    SLOW_START_INITIAL_WEIGHT_PERCENT("slowStartInitialWeightPercent",
        EndpointPoolConfig::slowStartInitialWeightPercent, (b, v) -> b.slowStartInitialWeightPercent((Integer) v),
        false),
    PANIC_THRESHOLD_PERCENT("panicThresholdPercent", EndpointPoolConfig::panicThresholdPercent,
        (b, v) -> b.panicThresholdPercent((Integer) v), false);

    final String label;
    final Function<EndpointPoolConfig, Object> get;
    final BiConsumer<EndpointPoolConfig.Builder, Object> set;
    /** Whether the setting means something only with an active check. */
    final boolean activeCheck;

    PoolField(String label, Function<EndpointPoolConfig, Object> get, BiConsumer<EndpointPoolConfig.Builder, Object> set,
        boolean activeCheck) {
      this.label = label;
      this.get = get;
      this.set = set;
      this.activeCheck = activeCheck;
    }
  }

  private @Nullable String path;
  private @Nullable Integer expectedStatus;
  private final Map<PoolField, Object> values = new EnumMap<>(PoolField.class);
  /** Validates each value as the core config does, so that a bad one fails at its setter. */
  private final EndpointPoolConfig.Builder validator = EndpointPoolConfig.custom();
  /** Settings set twice to different values; reported by {@link LoadBalancedHttpClientBuilder#build()}. */
  private final List<String> conflicts = new ArrayList<>(0);

  HealthSettings() {}

  /** Returns a copy, for a builder's {@code build()}. */
  HealthSettings copy() {
    HealthSettings c = new HealthSettings();
    c.path = path;
    c.expectedStatus = expectedStatus;
    c.values.putAll(values);
    c.conflicts.addAll(conflicts);
    return c;
  }

  private void record(String name, @Nullable Object old, Object value) {
    if (old != null && !old.equals(value)) {
      conflicts.add("health " + name + ": " + value + " (expected: set once; it was already set to " + old + ")");
    }
  }

  private HealthSettings pool(PoolField field, Object value) {
    field.set.accept(validator, value);
    record(field.label, values.put(field, value), value);
    return this;
  }

  /**
   * Turns the active check on: {@code GET <base URI><path>} to every endpoint, every
   * {@link #interval(Duration)}. Default: no active check (passive health only).
   *
   * @param path a path starting with {@code /}, percent-encoded
   * @throws IllegalArgumentException if {@code path} does not start with {@code /} or is not a valid
   *     URI path
   */
  public HealthSettings check(String path) {
    requireNonNull(path, "path");
    checkArgument(path.startsWith("/"), "health check path: '%s' (expected: a path starting with '/')", path);
    try {
      URI.create("http://h" + path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "health check path: '" + path + "' (expected: a valid URI path, percent-encoded)", e);
    }
    record("check path", this.path, path);
    this.path = path;
    return this;
  }

  /**
   * Sets the status a check passes on; default {@value #DEFAULT_EXPECTED_STATUS}.
   *
   * @throws IllegalArgumentException if {@code status} is outside {@code 100..599}
   */
  public HealthSettings expectedStatus(int status) {
    inRange(status, 100, 599, "expectedStatus");
    record("expectedStatus", expectedStatus, status);
    this.expectedStatus = status;
    return this;
  }

  /**
   * Sets the time between two checks of an endpoint; default
   * {@value EndpointPoolConfig#DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS} s.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public HealthSettings interval(Duration interval) {
    return pool(PoolField.INTERVAL, requireNonNull(interval, "interval"));
  }

  /** Same as {@link #interval(Duration)} in milliseconds. */
  public HealthSettings intervalMillis(long millis) {
    return interval(Duration.ofMillis(millis));
  }

  /**
   * Sets how long a check may take before it counts as failed; default
   * {@value EndpointPoolConfig#DEFAULT_HEALTH_CHECK_TIMEOUT_SECONDS} s.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public HealthSettings timeout(Duration timeout) {
    return pool(PoolField.TIMEOUT, requireNonNull(timeout, "timeout"));
  }

  /** Same as {@link #timeout(Duration)} in milliseconds. */
  public HealthSettings timeoutMillis(long millis) {
    return timeout(Duration.ofMillis(millis));
  }

  /**
   * Sets the random spread of the interval, in percent of it; default
   * {@value EndpointPoolConfig#DEFAULT_HEALTH_CHECK_JITTER_PERCENT}.
   *
   * @throws IllegalArgumentException if {@code percent} is outside {@code 0..100}
   */
  public HealthSettings jitterPercent(int percent) {
    return pool(PoolField.JITTER_PERCENT, percent);
  }

  /**
   * Sets how many passed checks in a row bring a down endpoint back; default
   * {@value EndpointPoolConfig#DEFAULT_RISE}.
   *
   * @throws IllegalArgumentException if {@code checks < 1}
   */
  public HealthSettings rise(int checks) {
    return pool(PoolField.RISE, checks);
  }

  /**
   * Sets how many failed checks in a row take an endpoint out; default
   * {@value EndpointPoolConfig#DEFAULT_FALL}.
   *
   * @throws IllegalArgumentException if {@code checks < 1}
   */
  public HealthSettings fall(int checks) {
    return pool(PoolField.FALL, checks);
  }

  /**
   * Sets how many failed attempts in a row eject an endpoint; default
   * {@value EndpointPoolConfig#DEFAULT_CONSECUTIVE_FAILURES}.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public HealthSettings consecutiveFailures(int n) {
    return pool(PoolField.CONSECUTIVE_FAILURES, n);
  }

  /**
   * Sets the failure rate, in percent of the sliding window, that ejects an endpoint; default
   * {@value EndpointPoolConfig#DEFAULT_FAILURE_RATE_THRESHOLD}.
   *
   * @throws IllegalArgumentException if {@code percent} is outside {@code 1..100}
   */
  public HealthSettings failureRateThreshold(int percent) {
    return pool(PoolField.FAILURE_RATE_THRESHOLD, percent);
  }

  /**
   * Sets how many recent attempts the failure rate is computed over; default
   * {@value EndpointPoolConfig#DEFAULT_SLIDING_WINDOW_SIZE}.
   *
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  public HealthSettings slidingWindowSize(int attempts) {
    return pool(PoolField.SLIDING_WINDOW_SIZE, attempts);
  }

  /**
   * Sets how many attempts are recorded before the failure rate counts; default
   * {@value EndpointPoolConfig#DEFAULT_MINIMUM_NUMBER_OF_CALLS}; at most the sliding window.
   *
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  public HealthSettings minimumNumberOfCalls(int attempts) {
    return pool(PoolField.MINIMUM_NUMBER_OF_CALLS, attempts);
  }

  /**
   * Sets how long a first ejection lasts; default
   * {@value EndpointPoolConfig#DEFAULT_EJECTION_TIME_SECONDS} s.
   *
   * @throws IllegalArgumentException if {@code time} is not positive
   */
  public HealthSettings ejectionTime(Duration time) {
    return pool(PoolField.EJECTION_TIME, requireNonNull(time, "time"));
  }

  /** Same as {@link #ejectionTime(Duration)} in milliseconds. */
  public HealthSettings ejectionTimeMillis(long millis) {
    return ejectionTime(Duration.ofMillis(millis));
  }

  /**
   * Sets the longest an ejection lasts, however often it repeats; default
   * {@value EndpointPoolConfig#DEFAULT_MAX_EJECTION_TIME_SECONDS} s; at least the ejection time.
   *
   * @throws IllegalArgumentException if {@code time} is not positive
   */
  public HealthSettings maxEjectionTime(Duration time) {
    return pool(PoolField.MAX_EJECTION_TIME, requireNonNull(time, "time"));
  }

  /** Same as {@link #maxEjectionTime(Duration)} in milliseconds. */
  public HealthSettings maxEjectionTimeMillis(long millis) {
    return maxEjectionTime(Duration.ofMillis(millis));
  }

  /**
   * Sets the factor each repeated ejection's time grows by; default
   * {@value EndpointPoolConfig#DEFAULT_EJECTION_BACKOFF_MULTIPLIER}; 1 means no growth.
   *
   * @throws IllegalArgumentException if {@code multiplier} is below 1, infinite or NaN
   */
  public HealthSettings ejectionBackoffMultiplier(double multiplier) {
    return pool(PoolField.EJECTION_BACKOFF_MULTIPLIER, multiplier);
  }

  /**
   * Sets how many trial attempts decide whether an ejected endpoint recovers; default
   * {@value EndpointPoolConfig#DEFAULT_HALF_OPEN_TRIAL_CALLS}; at most the minimum number of calls.
   *
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  public HealthSettings halfOpenTrialCalls(int attempts) {
    return pool(PoolField.HALF_OPEN_TRIAL_CALLS, attempts);
  }

  /**
   * Sets the slow-start window over which a recovered or added endpoint ramps up to its weight;
   * default zero (no slow start).
   *
   * @throws IllegalArgumentException if {@code window} is negative
   */
  public HealthSettings slowStart(Duration window) {
    return pool(PoolField.SLOW_START, requireNonNull(window, "window"));
  }

  /** Same as {@link #slowStart(Duration)} in milliseconds. */
  public HealthSettings slowStartMillis(long millis) {
    return slowStart(Duration.ofMillis(millis));
  }

  /**
   * Sets the share of its weight, in percent, a ramping or half-open endpoint starts at; default
   * {@value EndpointPoolConfig#DEFAULT_SLOW_START_INITIAL_WEIGHT_PERCENT}.
   *
   * @throws IllegalArgumentException if {@code percent} is outside {@code 1..100}
   */
  public HealthSettings slowStartInitialWeightPercent(int percent) {
    return pool(PoolField.SLOW_START_INITIAL_WEIGHT_PERCENT, percent);
  }

  /**
   * Sets the panic threshold: below that percentage of available endpoints in the serving tier,
   * requests spread over all of them, ignoring health; default 0 (off).
   *
   * @throws IllegalArgumentException if {@code percent} is outside {@code 0..100}
   */
  public HealthSettings panicThresholdPercent(int percent) {
    return pool(PoolField.PANIC_THRESHOLD_PERCENT, percent);
  }

  // ---------------------------------------------------------------------------------------------
  // For the builder.

  @Nullable String path() {
    return path;
  }

  int expectedStatusOrDefault() {
    return expectedStatus != null ? expectedStatus : DEFAULT_EXPECTED_STATUS;
  }

  /**
   * Returns the pool config: {@code base} with these settings applied.
   *
   * @param base the builder's {@code poolConfig}, or {@code null} if none was given
   * @throws IllegalStateException if a setting was set twice to different values, conflicts with a
   *     non-default value of {@code base}, needs the active check without one, or breaks a core rule
   *     (such as the minimum number of calls above the sliding window)
   */
  EndpointPoolConfig resolve(@Nullable EndpointPoolConfig base) {
    if (!conflicts.isEmpty()) {
      throw new IllegalStateException(conflicts.get(0));
    }
    EndpointPoolConfig defaults = EndpointPoolConfig.ofDefaults();
    if (path == null) {
      if (expectedStatus != null) {
        throw new IllegalStateException("health expectedStatus: " + expectedStatus
            + " (expected: set only with an active check, health(h -> h.check(path)))");
      }
      for (PoolField f : values.keySet()) {
        if (f.activeCheck) {
          throw new IllegalStateException("health " + f.label + ": " + values.get(f)
              + " (expected: set only with an active check, health(h -> h.check(path)))");
        }
      }
    }
    EndpointPoolConfig.Builder b = EndpointPoolConfig.from(base != null ? base : defaults);
    for (Map.Entry<PoolField, Object> e : values.entrySet()) {
      PoolField f = e.getKey();
      if (base != null) {
        Object given = f.get.apply(base);
        if (!Objects.equals(given, f.get.apply(defaults)) && !Objects.equals(given, e.getValue())) {
          throw new IllegalStateException("health " + f.label + ": " + e.getValue() + " (expected: one place for"
              + " each setting; poolConfig(...) sets it to " + given + ")");
        }
      }
      f.set.accept(b, e.getValue());
    }
    return b.build();
  }

  /** Returns the active check, for logs: {@code GET /health expecting 200}, or {@code none}. */
  @Override
  public String toString() {
    return path == null ? "none" : "GET " + path + " expecting " + expectedStatusOrDefault();
  }
}
