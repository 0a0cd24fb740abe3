package io.rota.http;

import static io.rota.core.internal.Checks.checkState;
import static io.rota.core.internal.Checks.inRange;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Immutable settings for retrying a request on another endpoint: how many attempts, the back-off
 * between them, and which outcomes are retried. Create one with {@link #custom()}, or take
 * {@link #ofDefaults()} or {@link #noRetries()}. Used by {@link LoadBalancedHttpClient}; the
 * {@link RetryBudget} limits retries further.
 *
 * <h2>What is retried</h2>
 * <ul>
 *   <li>Any request, whatever its method, when it certainly never reached a server: connection
 *       refused, connect timeout, unknown host, TLS handshake failure.
 *   <li>Idempotent requests only (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, or marked with
 *       {@link LoadBalancedHttpClient#idempotent(java.net.http.HttpRequest)}): a response with one of
 *       the {@link #retryableStatuses()} (503 by default); a timeout, if {@link #retryOnTimeout()};
 *       a broken connection (reset, closed, malformed or empty response), if
 *       {@link #retryOnIoError()}.
 * </ul>
 * A non-idempotent request (POST, PATCH, ...) is never sent again once it may have reached a server.
 *
 * <h2>Bodies</h2>
 * A retry that would resend a request body is made only if the whole body can be sent again: no
 * body, the JDK's {@code noBody}, {@code ofString}, {@code ofByteArray}, {@code ofByteArrays} and
 * {@code ofFile} publishers, or one marked with {@link ReplayableBody#of}. Any other publisher
 * ({@code ofInputStream}, {@code fromPublisher}, your own) is read once: once an attempt has begun
 * to send it, no retry is made and the request fails with
 * {@link AllAttemptsFailedException.Reason#BODY_NOT_REPLAYABLE}. Such a body is still sent by a
 * retry when no attempt began to send it (the connection was refused or timed out, the TLS
 * handshake failed), or when {@link #bodyReplayBuffer()} is on and held a complete copy of it.
 *
 * <h2>Back-off</h2>
 * Before retry {@code n} (1-based) the client waits
 * {@code min(initialBackoff * backoffMultiplier^(n-1), maxBackoff)}, randomized by plus or minus
 * {@code jitter} of itself (Resilience4j's exponential random back-off).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RetryPolicy {

  /** Default {@link #maxAttempts()}: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** The largest {@link #maxAttempts()}: {@value}. */
  public static final int MAX_ATTEMPTS = 10;
  /** Default {@link #initialBackoff()}: {@value} milliseconds. */
  public static final int DEFAULT_INITIAL_BACKOFF_MILLIS = 20;
  /** Default {@link #maxBackoff()}: {@value} milliseconds. */
  public static final int DEFAULT_MAX_BACKOFF_MILLIS = 1000;
  /** Default {@link #backoffMultiplier()}: {@value}. */
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  /** Default {@link #jitter()}: {@value}. */
  public static final double DEFAULT_JITTER = 0.5;
  /** Default {@link #retryableStatuses()}: {@value} (Service Unavailable). */
  public static final int DEFAULT_RETRYABLE_STATUS = 503;
  /** The largest {@link #bodyReplayBuffer()}: {@value} bytes (1 MiB). */
  public static final int MAX_BODY_REPLAY_BUFFER = 1 << 20;

  private static final RetryPolicy DEFAULTS = new Builder().build();
  private static final RetryPolicy NO_RETRIES = new Builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double backoffMultiplier;
  private final double jitter;
  private final Set<Integer> retryableStatuses;
  private final boolean retryOnTimeout;
  private final boolean retryOnIoError;
  private final int bodyReplayBuffer;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.jitter = b.jitter;
    this.retryableStatuses = Set.copyOf(b.retryableStatuses);
    this.retryOnTimeout = b.retryOnTimeout;
    this.retryOnIoError = b.retryOnIoError;
    this.bodyReplayBuffer = b.bodyReplayBuffer;
  }

  /** Returns the default policy: 3 attempts, 20 ms back-off doubling up to 1 s with 50% jitter, 503. */
  public static RetryPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** Returns a policy with one attempt: nothing is retried. */
  public static RetryPolicy noRetries() {
    return NO_RETRIES;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder custom() {
    return new Builder();
  }

  /** Returns a builder starting from the given policy. */
  public static Builder from(RetryPolicy policy) {
    return new Builder(requireNonNull(policy, "policy"));
  }

  /** Returns the most attempts a request gets, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Returns the wait before the first retry, before jitter. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** Returns the longest wait between two attempts, before jitter. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Returns the factor each wait grows by. */
  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /** Returns the randomization of each wait, as a fraction of it (0.5: from half to one and a half). */
  public double jitter() {
    return jitter;
  }

  /** Returns the statuses that fail an attempt and are retried (for idempotent requests). */
  public Set<Integer> retryableStatuses() {
    return retryableStatuses;
  }

  /** Returns whether idempotent requests are retried after a timeout. */
  public boolean retryOnTimeout() {
    return retryOnTimeout;
  }

  /**
   * Returns whether idempotent requests are retried after a broken connection: reset, closed, empty
   * or malformed response.
   */
  public boolean retryOnIoError() {
    return retryOnIoError;
  }

  /**
   * Returns how many bytes of a one-shot request body the client copies as the first attempt sends
   * it, so that a retry can send the copy; 0 (the default) copies nothing. A body longer than this,
   * or one the first attempt did not send whole, is not resent.
   */
  public int bodyReplayBuffer() {
    return bodyReplayBuffer;
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff
        + ", backoffMultiplier=" + backoffMultiplier
        + ", jitter=" + jitter
        + ", retryableStatuses=" + new TreeSet<>(retryableStatuses)
        + ", retryOnTimeout=" + retryOnTimeout
        + ", retryOnIoError=" + retryOnIoError
        + ", bodyReplayBuffer=" + bodyReplayBuffer
        + '}';
  }

  /**
   * Builds a {@link RetryPolicy}. Not thread-safe; {@link #build()} copies the values, so a builder
   * can be reused without changing what it built.
   */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = Duration.ofMillis(DEFAULT_INITIAL_BACKOFF_MILLIS);
    private Duration maxBackoff = Duration.ofMillis(DEFAULT_MAX_BACKOFF_MILLIS);
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private Set<Integer> retryableStatuses = Set.of(DEFAULT_RETRYABLE_STATUS);
    private boolean retryOnTimeout = true;
    private boolean retryOnIoError = true;
    private int bodyReplayBuffer;

    private Builder() {}

    private Builder(RetryPolicy p) {
      this.maxAttempts = p.maxAttempts;
      this.initialBackoff = p.initialBackoff;
      this.maxBackoff = p.maxBackoff;
      this.backoffMultiplier = p.backoffMultiplier;
      this.jitter = p.jitter;
      this.retryableStatuses = p.retryableStatuses;
      this.retryOnTimeout = p.retryOnTimeout;
      this.retryOnIoError = p.retryOnIoError;
      this.bodyReplayBuffer = p.bodyReplayBuffer;
    }

    /**
     * Sets the most attempts a request gets, the first included; default
     * {@value #DEFAULT_MAX_ATTEMPTS}. 1 turns retries off.
     *
     * @throws IllegalArgumentException if {@code attempts} is outside {@code 1..}{@value #MAX_ATTEMPTS}
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = inRange(attempts, 1, MAX_ATTEMPTS, "maxAttempts");
      return this;
    }

    /**
     * Sets the wait before the first retry; default {@value #DEFAULT_INITIAL_BACKOFF_MILLIS} ms.
     *
     * @throws IllegalArgumentException if {@code backoff} is outside 1 ms..1 min
     */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = inRange(backoff, Duration.ofMillis(1), Duration.ofMinutes(1), "initialBackoff");
      return this;
    }

    /** Same as {@link #initialBackoff(Duration)} in milliseconds. */
    public Builder initialBackoffMillis(long millis) {
      return initialBackoff(Duration.ofMillis(millis));
    }

    /**
     * Sets the longest wait between two attempts; default {@value #DEFAULT_MAX_BACKOFF_MILLIS} ms.
     *
     * @throws IllegalArgumentException if {@code backoff} is outside 1 ms..1 min
     */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = inRange(backoff, Duration.ofMillis(1), Duration.ofMinutes(1), "maxBackoff");
      return this;
    }

    /** Same as {@link #maxBackoff(Duration)} in milliseconds. */
    public Builder maxBackoffMillis(long millis) {
      return maxBackoff(Duration.ofMillis(millis));
    }

    /**
     * Sets the factor each wait grows by; default {@value #DEFAULT_BACKOFF_MULTIPLIER}.
     *
     * @throws IllegalArgumentException if {@code multiplier} is outside {@code 1.0..10.0}
     */
    public Builder backoffMultiplier(double multiplier) {
      this.backoffMultiplier = inRange(multiplier, 1.0, 10.0, "backoffMultiplier");
      return this;
    }

    /**
     * Sets the randomization of each wait, as a fraction of it; default {@value #DEFAULT_JITTER}.
     *
     * @throws IllegalArgumentException if {@code jitter} is outside {@code 0.0..1.0}
     */
    public Builder jitter(double jitter) {
      this.jitter = inRange(jitter, 0.0, 1.0, "jitter");
      return this;
    }

    /**
     * Sets the statuses that fail an attempt, count against the endpoint and are retried (idempotent
     * requests only); default {@value #DEFAULT_RETRYABLE_STATUS}. None turns status retries off.
     *
     * @throws IllegalArgumentException if a status is outside {@code 100..599}
     */
    public Builder retryableStatuses(int... statuses) {
      requireNonNull(statuses, "statuses");
      Set<Integer> set = new TreeSet<>();
      for (int s : statuses) {
        set.add(inRange(s, 100, 599, "retryable status"));
      }
      this.retryableStatuses = set;
      return this;
    }

    /** Sets whether idempotent requests are retried after a timeout; default {@code true}. */
    public Builder retryOnTimeout(boolean retry) {
      this.retryOnTimeout = retry;
      return this;
    }

    /**
     * Sets whether idempotent requests are retried after a broken connection (reset, closed, empty
     * or malformed response); default {@code true}.
     */
    public Builder retryOnIoError(boolean retry) {
      this.retryOnIoError = retry;
      return this;
    }

    /**
     * Sets how many bytes of a one-shot request body ({@code ofInputStream}, {@code fromPublisher},
     * ...) the client copies as the first attempt sends it, so that a retry can send the copy;
     * default 0: nothing is copied, and a one-shot body the first attempt began to send is not
     * resent. The copy is kept for the request's lifetime, so keep this small: one copy per request
     * in flight. Bodies the client can already resend ({@code ofString}, {@code ofByteArray},
     * {@code ofFile}, {@link ReplayableBody}) are never copied.
     *
     * @throws IllegalArgumentException if {@code bytes} is outside {@code 0..}{@value #MAX_BODY_REPLAY_BUFFER}
     */
    public Builder bodyReplayBuffer(int bytes) {
      this.bodyReplayBuffer = inRange(bytes, 0, MAX_BODY_REPLAY_BUFFER, "bodyReplayBuffer");
      return this;
    }

    /**
     * Returns the policy.
     *
     * @throws IllegalStateException if {@code maxBackoff < initialBackoff}
     */
    public RetryPolicy build() {
      checkState(maxBackoff.compareTo(initialBackoff) >= 0,
          "maxBackoff: %s (expected: >= initialBackoff, %s)", maxBackoff, initialBackoff);
      return new RetryPolicy(this);
    }
  }
}
