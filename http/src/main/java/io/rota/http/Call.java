package io.rota.http;

import io.rota.core.Endpoint;
import io.rota.core.Lease;
import io.rota.core.NoEndpointAvailableException;
import io.rota.http.AllAttemptsFailedException.Reason;
import io.rota.http.internal.Failures;
import io.rota.http.internal.ServerErrorStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * One request on its way through {@link LoadBalancedHttpClient}: its attempts, the endpoints they
 * went to, and the decision after each failed attempt.
 *
 * <h2>Threading</h2>
 * A call's attempts run one after another, never at the same time: synchronously on the caller's
 * thread, or asynchronously chained through {@code CompletableFuture} completions and the retry
 * scheduler, each of which orders what happened before it before what follows. The mutable fields
 * are therefore only touched by one thread at a time and need no lock. {@link #future} and
 * {@link #exchange} are volatile because the caller may cancel from any thread: cancelling aborts
 * the JDK's exchange, whose completion then runs the attempt's ending on the cancelling thread,
 * still the only one touching the call.
 *
 * <h2>Decision after a failed attempt</h2>
 * See {@link #decide}: whether the outcome may be retried at all (method idempotency and what the
 * error says about the request reaching the server), then max attempts, then whether the body can
 * be sent again ({@link RequestBody}: a one-shot body an attempt began to read cannot), then the
 * deadline (no retry whose back-off would leave no time to send it), then the retry budget
 * (withdrawn last, so that only retries that really happen spend it). Resilience4j's {@code Retry}
 * then does the waiting and the looping.
 */
final class Call {

  private static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;
  /** The least time a retry must have left after its back-off to be worth sending. */
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  final LoadBalancedHttpClient client;
  final HttpRequest request;
  final HttpResponse.BodyHandler<?> handler;
  final boolean idempotent;
  final String method;
  /** The raw path, for messages and events: never the query string, which may carry tokens. */
  final String path;
  private final @Nullable String rawQuery;
  private final long deadlineNanos;
  /** The request's body and whether a retry can send it again. */
  private final RequestBody body;

  final List<Attempt> attempts = new ArrayList<>(2);
  private final List<String> tried = new ArrayList<>(2);
  private @Nullable Reason stopReason;
  private String stopDetail = "";
  private @Nullable HttpResponse<?> lastResponse;
  /** The back-off before the next attempt, decided with the retry; read by the retry's interval function. */
  long nextBackoffMillis;
  /** The future handed to an async caller; a cancelled future stops further attempts. */
  volatile @Nullable CompletableFuture<?> future;
  /** The JDK client's future of the async attempt in flight; cancelled with {@link #future}. */
  private volatile @Nullable CompletableFuture<?> exchange;

  Call(LoadBalancedHttpClient client, HttpRequest request, HttpResponse.BodyHandler<?> handler, boolean idempotent) {
    this.client = client;
    this.request = request;
    this.handler = handler;
    this.idempotent = idempotent;
    this.method = request.method();
    URI uri = request.uri();
    String rawPath = uri.getRawPath();
    this.path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    this.rawQuery = uri.getRawQuery();
    this.deadlineNanos = client.ticker.read() + client.deadline.toNanos();
    this.body = RequestBody.of(request, client.policy.bodyReplayBuffer());
  }

  /** An attempt under way: the endpoint, the request sent to it, and when it started. */
  private static final class Target {
    final Endpoint<URI> endpoint;
    final HttpRequest request;
    /** The pool's lease on the endpoint; reported exactly once per attempt. */
    final Lease<URI> lease;
    final long startNanos;
    /** Whether the overall deadline cut the attempt's timeout below the one it is owed. */
    final boolean cutByDeadline;

    Target(Endpoint<URI> endpoint, HttpRequest request, Lease<URI> lease, long startNanos, boolean cutByDeadline) {
      this.endpoint = endpoint;
      this.request = request;
      this.lease = lease;
      this.startNanos = startNanos;
      this.cutByDeadline = cutByDeadline;
    }
  }

  /** An attempt that ended with a response: a success, or a retryable status. */
  static final class Outcome {
    final Call call;
    final HttpResponse<?> response;
    final boolean failed;
    final boolean retry;

    Outcome(Call call, HttpResponse<?> response, boolean failed, boolean retry) {
      this.call = call;
      this.response = response;
      this.failed = failed;
      this.retry = retry;
    }
  }

  /** An attempt that ended in an error, or could not be made; {@link #retry} tells Resilience4j. */
  static final class AttemptFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final transient Call call;
    final boolean retry;

    AttemptFailure(Call call, @Nullable Throwable cause, boolean retry) {
      super(null, cause, false, false);
      this.call = call;
      this.retry = retry;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Attempts.

  /** Makes one attempt on the caller's thread. */
  Outcome attemptSync() throws AttemptFailure, InterruptedException {
    Target t = begin();
    HttpResponse<?> response;
    try {
      response = client.http.send(t.request, handler);
    } catch (IOException e) {
      throw fail(t, e);
    } catch (InterruptedException | RuntimeException e) {
      abandon(t);
      throw e;
    }
    return respond(t, response);
  }

  /** Makes one attempt without blocking; the stage never completes with a {@code CompletionException}. */
  CompletionStage<Outcome> attemptAsync() {
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    Target t;
    try {
      if (cancelledByCaller()) {
        throw cancelled();
      }
      t = begin();
    } catch (AttemptFailure e) {
      out.completeExceptionally(e);
      return out;
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
      return out;
    }
    try {
      CompletableFuture<? extends HttpResponse<?>> sent = client.http.sendAsync(t.request, handler);
      exchange = sent;
      if (cancelledByCaller()) {
        // The caller cancelled before the exchange was published; cancel() may not have seen it.
        sent.cancel(true);
      }
      sent.whenComplete((response, error) -> {
        try {
          if (cancelledByCaller()) {
            // Whatever the attempt's outcome (most often the CancellationException of the abort),
            // the caller gave up on it: neutral for the endpoint.
            if (response != null) {
              closeBody(response);
            }
            abandon(t);
            out.completeExceptionally(cancelled());
            return;
          }
          if (error == null) {
            out.complete(respond(t, response));
            return;
          }
          Throwable e = Failures.unwrap(error);
          if (e instanceof IOException) {
            out.completeExceptionally(fail(t, (IOException) e));
          } else {
            abandon(t);
            out.completeExceptionally(e);
          }
        } catch (RuntimeException | Error e) {
          out.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      abandon(t);
      out.completeExceptionally(e);
    }
    return out;
  }

  /**
   * Aborts the async attempt in flight, if any: the caller cancelled {@link #future}. The JDK client
   * aborts an exchange only when its future is cancelled with interrupt.
   */
  void cancel() {
    CompletableFuture<?> sent = exchange;
    if (sent != null) {
      sent.cancel(true);
    }
  }

  private boolean cancelledByCaller() {
    CompletableFuture<?> f = future;
    return f != null && f.isDone();
  }

  private AttemptFailure cancelled() {
    stop(Reason.CANCELLED, "cancelled by the caller");
    return new AttemptFailure(this, new CancellationException("cancelled by the caller"), false);
  }

  /** Picks an endpoint, builds the attempt's request and records its start. */
  private Target begin() throws AttemptFailure {
    if (client.closed) {
      stop(Reason.CANCELLED, "client closed");
      throw new AttemptFailure(this, new CancellationException("client '" + client.serviceName + "' is closed"), false);
    }
    long remaining = deadlineNanos - client.ticker.read();
    if (remaining <= 0) {
      stop(Reason.DEADLINE_EXCEEDED, "deadline of " + client.deadline + " exceeded");
      throw new AttemptFailure(this, null, false);
    }
    Endpoint<URI> endpoint = client.pick(tried);
    if (endpoint == null) {
      NoEndpointAvailableException none = new NoEndpointAvailableException(client.pool.snapshot());
      stop(Reason.NO_ENDPOINT_AVAILABLE, none.getMessage());
      throw new AttemptFailure(this, none, false);
    }
    Duration timeout = client.perAttemptTimeout;
    if (request.timeout().isPresent() && request.timeout().get().compareTo(timeout) < 0) {
      timeout = request.timeout().get();
    }
    boolean cut = remaining < timeout.toNanos();
    if (cut) {
      timeout = Duration.ofNanos(Math.max(remaining, MIN_ATTEMPT_NANOS));
    }
    URI uri = client.resolve(endpoint, path, rawQuery);
    HttpRequest.Builder builder = HttpRequest.newBuilder(request, ALL_HEADERS).uri(uri).timeout(timeout);
    HttpRequest.BodyPublisher publisher = body.publisher();
    if (publisher != null) {
      builder.method(method, publisher);
    }
    HttpRequest attempt = builder.build();
    boolean retry = !attempts.isEmpty();
    tried.add(endpoint.id());
    client.countStart(endpoint, retry);
    return new Target(endpoint, attempt, client.pool.acquire(endpoint), client.ticker.read(), cut);
  }

  private Outcome respond(Target t, HttpResponse<?> response) {
    int status = response.statusCode();
    long elapsed = elapsedSince(t);
    if (!client.policy.retryableStatuses().contains(status)) {
      // Not retried; a 5xx still counts against the endpoint's health, other statuses for it.
      boolean serverError = status >= 500 && status <= 599;
      if (serverError) {
        t.lease.failure(new ServerErrorStatus(status));
      } else {
        t.lease.success();
      }
      client.countEnd(t.endpoint, elapsed, serverError);
      attempts.add(new Attempt(t.endpoint.id(), status, null, Duration.ofNanos(elapsed)));
      return new Outcome(this, response, false, false);
    }
    t.lease.failure(new ServerErrorStatus(status));
    client.countEnd(t.endpoint, elapsed, true);
    attempts.add(new Attempt(t.endpoint.id(), status, null, Duration.ofNanos(elapsed)));
    lastResponse = response;
    boolean retry = decide(Failures.Kind.IO, true, status, null);
    if (retry) {
      // Another attempt follows: this response is discarded. The last one keeps its body for the
      // caller (AllAttemptsFailedException.lastResponse()).
      closeBody(response);
    }
    return new Outcome(this, response, true, retry);
  }

  /**
   * Reports an attempt that ended in an error: the endpoint's failure, except a timeout of an
   * attempt whose time the caller's own deadline cut short (the endpoint was not given the time it
   * is owed, so the timeout says nothing about it) and an error that is not about I/O (a body
   * handler's, which {@code HttpClient.send} wraps in an {@code IOException}): those are neutral,
   * their lease released.
   */
  private AttemptFailure fail(Target t, IOException error) {
    long elapsed = elapsedSince(t);
    Failures.Kind kind = Failures.classify(error);
    boolean endpointFailed = kind != Failures.Kind.OTHER && !(t.cutByDeadline && error instanceof HttpTimeoutException);
    if (endpointFailed) {
      t.lease.failure(error);
    } else {
      t.lease.release();
    }
    client.countEnd(t.endpoint, elapsed, endpointFailed);
    attempts.add(new Attempt(t.endpoint.id(), null, error, Duration.ofNanos(elapsed)));
    boolean retry = decide(kind, false, null, error);
    return new AttemptFailure(this, error, retry);
  }

  /**
   * Reports an attempt the caller gave up on (interrupt, cancel) or that failed for a reason that
   * says nothing about the endpoint (a bug, a body handler's error): the pool gets a neutral outcome
   * (the lease is released), and it is left out of the failure counts.
   */
  private void abandon(Target t) {
    t.lease.release();
    client.countEnd(t.endpoint, elapsedSince(t), false);
  }

  private long elapsedSince(Target t) {
    return Math.max(0, client.ticker.read() - t.startNanos);
  }

  /**
   * Decides whether the failed attempt just recorded is retried, and if so spends a retry from the
   * budget and sets the back-off.
   *
   * @param kind what the error says about the request, for an error
   * @param statusFailure whether the attempt failed with a retryable status
   */
  private boolean decide(Failures.Kind kind, boolean statusFailure, @Nullable Integer status, @Nullable Throwable error) {
    boolean retry = decide0(kind, statusFailure);
    client.attemptFailed(this, attempts.size(), status, error, retry);
    return retry;
  }

  private boolean decide0(Failures.Kind kind, boolean statusFailure) {
    RetryPolicy policy = client.policy;
    boolean retryable;
    String notRetryable;
    if (statusFailure) {
      retryable = idempotent;
      notRetryable = method + " is not idempotent and reached the server";
    } else {
      switch (kind) {
        case NOT_SENT:
          retryable = true;
          notRetryable = "";
          break;
        case TIMEOUT:
          retryable = idempotent && policy.retryOnTimeout();
          notRetryable = idempotent ? "the policy does not retry timeouts"
              : method + " is not idempotent and may have reached the server before the timeout";
          break;
        case IO:
          retryable = idempotent && policy.retryOnIoError();
          notRetryable = idempotent ? "the policy does not retry I/O errors"
              : method + " is not idempotent and may have reached the server before the connection broke";
          break;
        default:
          retryable = false;
          notRetryable = "the error is not retryable";
          break;
      }
    }
    if (!retryable) {
      return stop(Reason.NOT_RETRYABLE, "not retried: " + notRetryable);
    }
    int made = attempts.size();
    if (made >= policy.maxAttempts()) {
      return stop(Reason.MAX_ATTEMPTS, "max attempts: " + policy.maxAttempts());
    }
    if (!body.canResend()) {
      return stop(Reason.BODY_NOT_REPLAYABLE, "not retried: " + body.whyNotResendable());
    }
    long backoff = client.backoff.apply(made);
    long remaining = deadlineNanos - client.ticker.read();
    if (remaining - TimeUnit.MILLISECONDS.toNanos(backoff) < MIN_ATTEMPT_NANOS) {
      return stop(Reason.DEADLINE_EXCEEDED, "deadline of " + client.deadline + " leaves no time for a retry");
    }
    if (!client.withdrawRetry()) {
      return stop(Reason.RETRY_BUDGET_EXHAUSTED, "retry budget exhausted");
    }
    nextBackoffMillis = backoff;
    return true;
  }

  private boolean stop(Reason reason, String detail) {
    this.stopReason = reason;
    this.stopDetail = detail;
    return false;
  }

  /** Closes a response body that is a stream; the response is discarded. */
  static void closeBody(HttpResponse<?> response) {
    Object body = response.body();
    if (body instanceof AutoCloseable) {
      try {
        ((AutoCloseable) body).close();
      } catch (Exception ignored) {
        // The body is discarded; a failure to close it changes nothing for the caller.
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Endings.

  /** Returns the response of a successful outcome, or throws for a failed one. */
  HttpResponse<?> finish(Outcome outcome) throws AllAttemptsFailedException {
    if (!outcome.failed) {
      return outcome.response;
    }
    throw failure(null);
  }

  /** Returns the exception for a call whose retry was refused because the client is closed. */
  AllAttemptsFailedException closed() {
    stop(Reason.CANCELLED, "client closed");
    return failure(new CancellationException("client '" + client.serviceName + "' is closed"));
  }

  /** Returns the exception for a call that ends without success. */
  AllAttemptsFailedException failure(@Nullable Throwable cause) {
    Reason reason = stopReason != null ? stopReason : Reason.NOT_RETRYABLE;
    client.countFailedRequest();
    int n = attempts.size();
    StringBuilder sb = new StringBuilder()
        .append(method).append(' ').append(path).append(" to service '").append(client.serviceName)
        .append("' failed after ").append(n).append(n == 1 ? " attempt" : " attempts")
        .append(" (").append(stopDetail.isEmpty() ? reason.name() : stopDetail).append(')');
    if (n > 0) {
      sb.append(": ");
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append("; ");
        }
        sb.append(i + 1).append(". ").append(attempts.get(i));
      }
    }
    return new AllAttemptsFailedException(sb.toString(), reason, attempts, lastResponse, cause);
  }
}
