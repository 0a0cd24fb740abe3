package io.rota.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link LoadBalancedHttpClient} when a request did not succeed: every attempt it was
 * allowed failed (an error, or a status listed in {@link RetryPolicy#retryableStatuses()}), or no
 * endpoint could be picked. It lists every attempt with its endpoint and outcome, says why no
 * further attempt was made ({@link #reason()}), and holds the last response received, if any, with
 * its status, headers and body ({@link #lastResponse()}). Its cause is the last attempt's error, if
 * the last attempt ended in one.
 *
 * <p>The message names the method, the path (without its query string, which may carry tokens) and
 * each attempt; it holds no header value.
 */
public final class AllAttemptsFailedException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Why no further attempt was made. */
  public enum Reason {
    /**
     * The last outcome may not be retried: the request is not idempotent and may have reached the
     * server, or the policy does not retry that kind of error.
     */
    NOT_RETRYABLE,
    /** {@link RetryPolicy#maxAttempts()} attempts were made. */
    MAX_ATTEMPTS,
    /** The {@link RetryBudget} had no retry left. */
    RETRY_BUDGET_EXHAUSTED,
    /** The overall deadline left no time for another attempt. */
    DEADLINE_EXCEEDED,
    /** No endpoint was available (all down or ejected); the cause lists them. */
    NO_ENDPOINT_AVAILABLE,
    /** The caller cancelled the request, or the client was closed. */
    CANCELLED,
    /**
     * A retry would have had to send the request body again, and the body is a one-shot publisher
     * that an attempt had begun to read (see {@link RetryPolicy}, "Bodies"). The message says how to
     * make a body resendable.
     */
    BODY_NOT_REPLAYABLE
  }

  private final transient List<Attempt> attempts;
  private final transient @Nullable HttpResponse<?> lastResponse;
  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param message the message; must not hold header values or query strings
   * @param reason why no further attempt was made
   * @param attempts every attempt, in order (copied)
   * @param lastResponse the last response received, or {@code null}
   * @param cause the last attempt's error, or {@code null}
   */
  public AllAttemptsFailedException(String message, Reason reason, List<Attempt> attempts,
      @Nullable HttpResponse<?> lastResponse, @Nullable Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.reason = requireNonNull(reason, "reason");
    this.attempts = List.copyOf(attempts);
    this.lastResponse = lastResponse;
  }

  /** Returns every attempt, in the order they were made; empty if none could be made. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /**
   * Returns the last response received (for example the final 503), or {@code null} if no attempt
   * got one: its status, headers and body, as the request's body handler made it. When the request
   * ended with that response (its status was retryable but no retry was made: max attempts, budget,
   * deadline, a method or body that may not be resent) the body is readable, whatever the handler:
   * a {@code String}, a {@code byte[]}, or an {@code InputStream} that the caller must read or
   * close, as with any streamed response. When another attempt followed it (which then ended in an
   * error), a streamed body was closed before that attempt and holds nothing.
   */
  public @Nullable HttpResponse<?> lastResponse() {
    return lastResponse;
  }

  /** Returns why no further attempt was made. */
  public Reason reason() {
    return reason;
  }
}
