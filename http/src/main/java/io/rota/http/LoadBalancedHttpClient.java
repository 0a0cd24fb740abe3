package io.rota.http;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointSnapshot;
import io.rota.core.PoolSnapshot;
import io.rota.core.Ticker;
import io.rota.core.internal.DaemonThreads;
import io.rota.http.AllAttemptsFailedException.Reason;
import io.rota.http.internal.Failures;
import io.rota.http.internal.RetryTokens;
import java.io.IOException;
import java.net.URI;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load-balanced HTTP client over {@link HttpClient}: each attempt of a request goes to an endpoint
 * picked by a Rota {@link EndpointPool} (smooth weighted round robin, ejection of failing endpoints,
 * active health checks, backup tier), failed attempts are retried on another endpoint, and a retry
 * budget keeps retries from multiplying an outage.
 *
 * <pre>{@code
 * LoadBalancedHttpClient orders = LoadBalancedHttpClient.builder("orders")
 *     .endpoint("a", URI.create("https://10.0.0.1:8443"), 3)
 *     .endpoint("b", URI.create("https://10.0.0.2:8443"), 1)
 *     .backupEndpoint("dr", URI.create("https://dr.example.com"))
 *     .healthCheck("/health")
 *     .build();
 *
 * HttpRequest request = HttpRequest.newBuilder(orders.uri("/orders?id=42")).build();
 * HttpResponse<String> response = orders.send(request, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <h2>Requests name the service, not a server</h2>
 * A request's URI has the service name as its host: {@code http://orders/orders?id=42}, which
 * {@link #uri(String)} and {@link #newRequest(String)} build from a path. For each attempt the client
 * replaces scheme, host and port with the picked endpoint's (and puts the endpoint's base path in
 * front of the request's path); the request's own scheme is ignored. A request for any other host
 * is refused with an {@link IllegalArgumentException} before anything is sent: only configured
 * endpoints ever receive a request.
 *
 * <h2>Retries</h2>
 * See {@link RetryPolicy} for what is retried. A retry goes to an endpoint this request has not
 * tried yet, picked at random by weight among the available endpoints of the serving tier; when
 * that tier has no untried endpoint left, to an available endpoint of the other tier (so a request
 * that failed on every primary endpoint may be served by a backup); only when no untried endpoint
 * is available at all, to one already tried. Retries
 * wait the policy's back-off (Resilience4j {@code Retry} with an exponential random back-off), stop
 * at the overall deadline (the last attempt's timeout is cut to what the deadline leaves; if such a
 * cut attempt times out, the endpoint was not given its time: the outcome is neutral for its
 * health, not a failure), and take a retry from the {@link RetryBudget}. A request that does not
 * succeed fails with {@link AllAttemptsFailedException}, which lists every attempt and holds the
 * last response (a final 503 with its headers and a readable body, whatever the body handler).
 * Each attempt copies the request (method, headers, body publisher, version, expect-continue) with
 * the endpoint's URI and the attempt's timeout. A retry sends the body again only if the whole body can
 * be: the JDK's {@code noBody}, {@code ofString}, {@code ofByteArray(s)} and {@code ofFile}
 * publishers, or one marked with {@link ReplayableBody#of}; a one-shot body ({@code ofInputStream},
 * {@code fromPublisher}) that an attempt began to send is never resent, empty or partial: the
 * request fails with {@link AllAttemptsFailedException.Reason#BODY_NOT_REPLAYABLE} (see
 * {@link RetryPolicy}, "Bodies", and {@link RetryPolicy#bodyReplayBuffer()}).
 *
 * <h2>Health</h2>
 * Every attempt's outcome goes to the pool: an error, a retryable status or any other 5xx is a
 * failure (a 5xx that is not retryable is still returned to the caller, not resent), any other
 * response a success. Failures eject an endpoint through its circuit breaker; an optional active
 * check takes it out and brings it back. Every health setting is in one place,
 * {@link HealthSettings} ({@link LoadBalancedHttpClientBuilder#health}). An attempt the caller
 * abandons (interrupt) says nothing about the endpoint: the pool gets a neutral outcome (its lease
 * is released) and the client's failure counts leave it out.
 *
 * <h2>Membership at run time</h2>
 * {@link #addEndpoint}, {@link #removeEndpoint} and {@link #setWeight} change the endpoints while
 * requests run; the next pick sees the change. A removed endpoint drains: attempts already sent to it
 * finish, no new attempt (first or retry) goes to it. {@link #endpoints()} lists the current ones.
 * An {@link EndpointSource} ({@link LoadBalancedHttpClientBuilder#endpointSource}: a static list, a
 * {@link DnsEndpointSource DNS name} or a supplier of your own) is read on its interval and diffed into
 * the client through the same operations; a failed read keeps the last known set.
 *
 * <h2>TLS</h2>
 * {@code https} endpoints use the {@code HttpClient}'s {@code SSLContext}, with host name
 * verification as the JDK does it (on). An endpoint given by IP address whose certificate names a
 * host name keeps verification on with an {@linkplain HttpEndpoint#withAuthority(String) authority}:
 * the certificate is checked against that name, sent as the TLS server name (SNI). Nothing turns an
 * {@code https} endpoint into plain HTTP: only an {@code http} base URI is sent in plaintext.
 *
 * <h2>Secrets</h2>
 * Header values never appear in logs, events or exception messages; those name the method, the path
 * without its query string, and endpoint ids (not their addresses).
 *
 * <h2>An {@code HttpClient}</h2>
 * The client is a {@link HttpClient}, so code that takes one (Spring's
 * {@code JdkClientHttpRequestFactory} and {@code RestClient}, Feign's {@code Http2Client}, SDKs that
 * accept a client) uses Rota unchanged once its requests name the service ({@code http://orders/...}):
 * {@link #send} and {@link #sendAsync} take the load-balanced path, and the accessors
 * ({@link #cookieHandler()}, {@link #connectTimeout()}, {@link #followRedirects()}, {@link #proxy()},
 * {@link #sslContext()}, {@link #sslParameters()}, {@link #authenticator()}, {@link #version()},
 * {@link #executor()}) answer what the underlying {@code HttpClient} ({@link #httpClient()}) does.
 * Two parts of the type are not balanced: HTTP/2 server push is declined (see
 * {@link #sendAsync(HttpRequest, HttpResponse.BodyHandler, HttpResponse.PushPromiseHandler)}) and
 * {@link #newWebSocketBuilder()} throws.
 *
 * <h2>Threading</h2>
 * Thread-safe. {@link #send} runs its attempts and back-offs on the caller's thread;
 * {@link #sendAsync} runs them on the {@code HttpClient}'s executor and waits out back-offs on a
 * scheduler thread of this client. An endpoint source with an interval is read on a thread of its
 * own ({@code rota-<service>-endpoints}). {@link #close()} stops health checks and that scheduler; it does
 * not close an {@code HttpClient} given to the builder.
 */
public final class LoadBalancedHttpClient extends HttpClient implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(LoadBalancedHttpClient.class);

  /** Methods that RFC 9110 defines as idempotent. */
  static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  final String serviceName;
  /** Sends every attempt and health check, through the JDK client of the attempt's endpoint. */
  final HttpClient http;
  private final EndpointTransports transports;
  private final boolean ownsHttpClient;
  final EndpointPool<URI> pool;
  private final EndpointPoolConfig poolConfig;
  final RetryPolicy policy;
  final Duration perAttemptTimeout;
  final Duration deadline;
  final Ticker ticker;
  final IntervalFunction backoff;
  private final Retry retry;
  private final RetryBudget budget;
  private final RetryTokens tokens;
  private final ScheduledThreadPoolExecutor scheduler;
  /** The endpoints now in the pool, by id; changed under {@link #membershipLock}, read without a lock. */
  private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
  /** Serializes membership changes (add, remove, weight), so that members and the pool agree. */
  private final Object membershipLock = new Object();
  private final @Nullable EndpointSource source;
  /** Reads the source on its interval; null for none or a static one. */
  private final @Nullable ScheduledExecutorService sourceReader;
  /** The endpoints the source delivered, as last applied; touched by the reader thread only. */
  private Map<String, HttpEndpoint> sourced;
  /** Whether the source's last read failed; touched by the reader thread only. */
  private boolean sourceFailing;

  // Package-private for LoadBalancedHttpClientMetrics.
  final LongAdder requests = new LongAdder();
  final LongAdder succeededRequests = new LongAdder();
  final LongAdder failedRequests = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder retriesRefused = new LongAdder();
  private final AtomicBoolean budgetExhausted = new AtomicBoolean();
  private final long budgetQuietNanos;
  private volatile long lastRefusalNanos;
  private final CopyOnWriteArrayList<Consumer<? super HttpClientEvent>> listeners = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  LoadBalancedHttpClient(LoadBalancedHttpClientBuilder b) {
    this.serviceName = b.serviceName;
    this.policy = b.retryPolicy;
    this.budget = b.retryBudget;
    this.perAttemptTimeout = b.perAttemptTimeout;
    this.deadline = b.deadline;
    this.ticker = b.ticker;
    this.ownsHttpClient = b.httpClient == null;
    this.transports = b.httpClient != null ? new EndpointTransports(b.httpClient, b.httpClient)
        : EndpointTransports.create(b.connectTimeout != null ? b.connectTimeout
            : Duration.ofSeconds(LoadBalancedHttpClientBuilder.DEFAULT_CONNECT_TIMEOUT_SECONDS), b.sslContext, b.version);
    this.http = transports;
    this.budgetQuietNanos = budget.ttl().toNanos() / 10;
    this.tokens = new RetryTokens(budget.retryRatio(), budget.minRetriesPerSecond(), budget.ttl().toNanos(), ticker);
    this.backoff = IntervalFunction.ofExponentialRandomBackoff(
        policy.initialBackoff(), policy.backoffMultiplier(), policy.jitter(), policy.maxBackoff());
    this.retry = Retry.of(serviceName, RetryConfig.<Call.Outcome>custom()
        .maxAttempts(policy.maxAttempts())
        .retryOnResult(outcome -> outcome.retry)
        .retryOnException(e -> e instanceof Call.AttemptFailure && ((Call.AttemptFailure) e).retry)
        // The back-off was drawn when the retry was decided (see Call.decide), so that the deadline
        // check saw the real wait.
        .intervalBiFunction((attempt, either) -> either.isRight()
            ? either.get().call.nextBackoffMillis
            : either.getLeft() instanceof Call.AttemptFailure ? ((Call.AttemptFailure) either.getLeft()).call.nextBackoffMillis
            : 0L)
        .failAfterMaxAttempts(false)
        .writableStackTraceEnabled(false)
        .build());
    ScheduledThreadPoolExecutor ses =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("rota-" + serviceName + "-retry"));
    ses.setRemoveOnCancelPolicy(true);
    this.scheduler = ses;

    List<Endpoint<URI>> poolEndpoints = new ArrayList<>(b.endpoints.size());
    for (HttpEndpoint he : b.endpoints) {
      transports.register(he);
      Member m = new Member(he);
      members.put(he.id(), m);
      poolEndpoints.add(m.endpoint);
    }

    listeners.addAll(b.listeners);
    this.poolConfig = requireNonNull(b.poolConfig, "poolConfig");
    var pb = EndpointPool.<URI>builder(serviceName).endpoints(poolEndpoints).config(poolConfig).ticker(ticker)
        .listener(event -> {
          if (!listeners.isEmpty()) {
            fire(new HttpClientEvent.PoolChanged(serviceName, event));
          }
        });
    String healthPath = b.health.path();
    if (healthPath != null) {
      pb.healthCheck(new HttpHealthCheck(http, healthPath, b.health.expectedStatusOrDefault(),
          poolConfig.healthCheckTimeout()));
    }
    this.pool = pb.build();
    this.source = b.source;
    Map<String, HttpEndpoint> first = new LinkedHashMap<>();
    for (HttpEndpoint e : b.sourced) {
      first.put(e.id(), e);
    }
    this.sourced = first;
    Duration every = source == null ? Duration.ZERO : source.refreshInterval();
    if (!every.isZero() && !every.isNegative()) {
      ScheduledThreadPoolExecutor reader =
          new ScheduledThreadPoolExecutor(1, DaemonThreads.named("rota-" + serviceName + "-endpoints"));
      reader.scheduleWithFixedDelay(this::readSource, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
      this.sourceReader = reader;
    } else {
      this.sourceReader = null;
    }
    if (logger.isDebugEnabled()) {
      logger.debug("{} - {}, {}, perAttemptTimeout={}, deadline={}, health check: {}, own HttpClient: {}",
          serviceName, policy, budget, perAttemptTimeout, deadline,
          b.health,
          ownsHttpClient);
    }
  }

  /**
   * Returns a builder for a client of the service with that name. The name is the host of the
   * requests' URIs ({@code http://<serviceName>/path}) and names the pool in logs, events and errors.
   *
   * @throws IllegalArgumentException if the name cannot be a URI host (blank, with {@code _} or a
   *     port...)
   */
  public static LoadBalancedHttpClientBuilder builder(String serviceName) {
    return new LoadBalancedHttpClientBuilder(serviceName);
  }

  /** Returns the pool's resolved health settings (tests). */
  EndpointPoolConfig poolConfig() {
    return poolConfig;
  }

  /** Returns the service name, in lower case. */
  public String serviceName() {
    return serviceName;
  }

  /**
   * Returns the {@code HttpClient} that sends the attempts: the one given to the builder, or the
   * client's own. Attempts to an {@code https} endpoint with an {@linkplain HttpEndpoint#authority()
   * authority} go through a copy of it that names the authority as the TLS server name.
   */
  public HttpClient httpClient() {
    return transports.tls();
  }

  // ---------------------------------------------------------------------------------------------
  // HttpClient accessors: what the HttpClient that sends the attempts does.

  /** Returns the cookie handler of the {@code HttpClient} that sends the attempts. */
  @Override
  public Optional<CookieHandler> cookieHandler() {
    return http.cookieHandler();
  }

  /** Returns the connect timeout of the {@code HttpClient} that sends the attempts. */
  @Override
  public Optional<Duration> connectTimeout() {
    return http.connectTimeout();
  }

  /**
   * Returns {@link HttpClient.Redirect#NEVER}: a redirect could take a request to a host that is not
   * a configured endpoint, so none is followed (the response is returned as it is).
   */
  @Override
  public Redirect followRedirects() {
    return http.followRedirects();
  }

  /** Returns the proxy selector of the {@code HttpClient} that sends the attempts. */
  @Override
  public Optional<ProxySelector> proxy() {
    return http.proxy();
  }

  /** Returns the TLS context of the {@code HttpClient} that sends the attempts. */
  @Override
  public SSLContext sslContext() {
    return http.sslContext();
  }

  /** Returns a copy of the TLS parameters of the {@code HttpClient} that sends the attempts. */
  @Override
  public SSLParameters sslParameters() {
    return http.sslParameters();
  }

  /** Returns the authenticator of the {@code HttpClient} that sends the attempts. */
  @Override
  public Optional<Authenticator> authenticator() {
    return http.authenticator();
  }

  /**
   * Returns the preferred HTTP version of the {@code HttpClient} that sends the attempts to
   * {@code https} endpoints: the one given to the builder, the one set with
   * {@link LoadBalancedHttpClientBuilder#version(HttpClient.Version)}, or by default HTTP/2 (chosen by
   * TLS ALPN, HTTP/1.1 if the server offers no more). By default {@code http} endpoints get HTTP/1.1.
   */
  @Override
  public Version version() {
    return http.version();
  }

  /** Returns the executor of the {@code HttpClient} that sends the attempts, if one was given to it. */
  @Override
  public Optional<Executor> executor() {
    return http.executor();
  }

  /**
   * Throws: a WebSocket is one long-lived connection to one server, which no balancing, retry or
   * health check applies to. Open it with a plain {@code HttpClient} to an endpoint's address.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    throw new UnsupportedOperationException("WebSocket: not supported by the load-balanced client of service '"
        + serviceName + "' (expected: a plain HttpClient; a WebSocket is one connection to one server, not"
        + " balanced per request)");
  }

  /**
   * Returns the URI of a path of this service: {@code uri("/orders?id=42")} is
   * {@code http://<serviceName>/orders?id=42}. Each attempt sends it to an endpoint.
   *
   * @param pathAndQuery a path starting with {@code /}, with an optional query, percent-encoded
   * @throws IllegalArgumentException if it does not start with {@code /} or is not a valid URI path
   */
  public URI uri(String pathAndQuery) {
    requireNonNull(pathAndQuery, "pathAndQuery");
    int q = pathAndQuery.indexOf('?');
    String pathOnly = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    if (!pathAndQuery.startsWith("/")) {
      throw new IllegalArgumentException("path: '" + pathOnly + "' (expected: a path starting with '/')");
    }
    try {
      URI uri = new URI("http://" + serviceName + pathAndQuery);
      if (uri.getRawFragment() == null && serviceName.equals(uri.getHost())) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below, without the query string.
    }
    throw new IllegalArgumentException(
        "path: '" + pathOnly + "' (expected: a valid URI path and optional query, percent-encoded, no fragment)");
  }

  /**
   * Returns a request builder for a path of this service, as
   * {@code HttpRequest.newBuilder(uri(pathAndQuery))}: the way to send a relative URI.
   *
   * @throws IllegalArgumentException as {@link #uri(String)}
   */
  public HttpRequest.Builder newRequest(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery));
  }

  /**
   * Returns the request marked idempotent: the client retries it like a GET, whatever its method
   * (for example a POST that carries an idempotency key the server honours). The marked request is
   * otherwise the same request.
   */
  public static HttpRequest idempotent(HttpRequest request) {
    requireNonNull(request, "request");
    return request instanceof IdempotentRequest ? request : new IdempotentRequest(request);
  }

  /**
   * Sends the request, retrying failed attempts on other endpoints, and returns the response.
   *
   * @return the first response whose status is not in {@link RetryPolicy#retryableStatuses()}
   * @throws AllAttemptsFailedException if the request did not succeed; it lists every attempt and
   *     holds the last response, if any, with its body readable
   *     ({@link AllAttemptsFailedException#lastResponse()})
   * @throws IllegalArgumentException if the request's URI is not a URI of this service (another
   *     host, a port, user info); nothing was sent
   * @throws IllegalStateException if the client is closed
   * @throws InterruptedException if the thread was interrupted while sending or waiting to retry
   * @throws IOException only as an {@link AllAttemptsFailedException}
   */
  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Call call = newCall(request, handler);
    Call.Outcome outcome;
    try {
      outcome = Retry.decorateCheckedSupplier(retry, call::attemptSync).get();
    } catch (Call.AttemptFailure f) {
      if (Thread.interrupted()) {
        throw interrupted(call, f);
      }
      throw call.failure(f.getCause());
    } catch (CancellationException e) {
      // Resilience4j's answer to an interrupt during the back-off after a retryable status.
      if (Thread.interrupted()) {
        throw interrupted(call, e);
      }
      throw e;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("unexpected " + t.getClass().getName(), t);
    }
    HttpResponse<T> response = cast(call.finish(outcome));
    succeededRequests.increment();
    return response;
  }

  private static InterruptedException interrupted(Call call, Throwable cause) {
    InterruptedException e = new InterruptedException(
        "interrupted while waiting to retry " + call.method + ' ' + call.path);
    e.initCause(cause);
    return e;
  }

  /**
   * Sends the request without blocking, retrying failed attempts on other endpoints.
   *
   * <p>The future completes with the first response whose status is not in
   * {@link RetryPolicy#retryableStatuses()}, or exceptionally with an
   * {@link AllAttemptsFailedException} that lists every attempt and holds the last response, if
   * any, with its body readable. Cancelling it (with or without
   * interrupt) aborts the attempt in flight, cancelling the JDK client's exchange, and sends no
   * further attempt: a retry waiting out its back-off ends without sending when it is due. The
   * aborted attempt says nothing about its endpoint: the pool gets a neutral outcome. A response
   * that arrives as the future is cancelled is discarded (a stream body is closed).
   *
   * @throws IllegalArgumentException if the request's URI is not a URI of this service (another
   *     host, a port, user info); nothing was sent
   * @throws IllegalStateException if the client is closed
   */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    Call call = newCall(request, handler);
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    call.future = result;
    result.whenComplete((response, error) -> {
      if (result.isCancelled()) {
        call.cancel();
      }
    });
    Retry.decorateCompletionStage(retry, scheduler, call::attemptAsync).get().whenComplete((outcome, error) -> {
      if (error == null) {
        try {
          HttpResponse<T> response = cast(call.finish(outcome));
          if (result.complete(response)) {
            succeededRequests.increment();
          } else {
            // Cancelled as the response came: the caller gets none, so the request failed.
            Call.closeBody(response);
            countFailedRequest();
          }
        } catch (AllAttemptsFailedException e) {
          failAsync(result, e);
        }
        return;
      }
      Throwable e = Failures.unwrap(error);
      if (e instanceof Call.AttemptFailure) {
        failAsync(result, call.failure(e.getCause()));
      } else if (e instanceof RejectedExecutionException) {
        // The retry scheduler is shut down: the client was closed before the retry was scheduled.
        failAsync(result, call.closed());
      } else {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Fails the caller's future; if it was cancelled already, nobody will read the last response: closes it. */
  private static void failAsync(CompletableFuture<?> result, AllAttemptsFailedException e) {
    HttpResponse<?> last = e.lastResponse();
    if (!result.completeExceptionally(e) && last != null) {
      Call.closeBody(last);
    }
  }

  /**
   * Sends the request as {@link #sendAsync(HttpRequest, HttpResponse.BodyHandler)} does, declining
   * HTTP/2 server push: {@code pushPromiseHandler} is never called, as on an HTTP/1.1 connection. A
   * pushed response would belong to the connection of one attempt, outside retries, health and the
   * rule that only the requested endpoint answers; the HTTP/2 protocol lets a client decline every
   * push, and callers that pass a handler must already cope with servers that never push.
   *
   * @param pushPromiseHandler ignored; may be {@code null}
   * @throws IllegalArgumentException as {@link #sendAsync(HttpRequest, HttpResponse.BodyHandler)}
   * @throws IllegalStateException if the client is closed
   */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
    return sendAsync(request, handler);
  }

  @SuppressWarnings("unchecked") // the response came from the caller's own BodyHandler<T>
  private static <T> HttpResponse<T> cast(HttpResponse<?> response) {
    return (HttpResponse<T>) response;
  }

  private Call newCall(HttpRequest request, HttpResponse.BodyHandler<?> handler) {
    requireNonNull(request, "request");
    requireNonNull(handler, "handler");
    checkOpen();
    boolean marked = request instanceof IdempotentRequest;
    HttpRequest r = marked ? ((IdempotentRequest) request).delegate : request;
    checkTarget(r.uri());
    requests.increment();
    tokens.deposit();
    return new Call(this, r, handler, marked || IDEMPOTENT_METHODS.contains(r.method()));
  }

  /** Refuses a request URI that does not address this service; its query string is never shown. */
  void checkTarget(URI uri) {
    String host = uri.getHost();
    if (host == null || !host.equalsIgnoreCase(serviceName)) {
      String shown = host != null ? "'" + host + "'" : uri.getRawAuthority() != null ? "'" + uri.getRawAuthority() + "'" : "none";
      throw new IllegalArgumentException("request host: " + shown + " (expected: '" + serviceName
          + "', as in http://" + serviceName + "/path; only the configured endpoints of service '" + serviceName
          + "' receive requests, so nothing was sent)");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("request URI: has user info (expected: none; send credentials in a header)");
    }
    if (uri.getPort() != -1) {
      throw new IllegalArgumentException("request port: " + uri.getPort()
          + " (expected: none; each attempt uses its endpoint's port)");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Endpoints.

  /**
   * Picks the endpoint for an attempt. A first attempt takes the pool's pick. A retry picks at
   * random, by effective weight, among the endpoints this request has not tried: those of the
   * serving tier, else any available one; only when none is left does it take the pool's pick,
   * which may be one already tried. Retries thus never take turns from the pool's rotation (which
   * would shift first attempts towards the endpoint that fails), at the cost of one pool snapshot
   * per retry. Returns {@code null} if no endpoint is available at all.
   */
  @Nullable Endpoint<URI> pick(List<String> tried) {
    if (tried.isEmpty()) {
      return pool.select();
    }
    PoolSnapshot snapshot = pool.snapshot();
    Endpoint<URI> untried = pickUntried(snapshot, tried, true);
    if (untried == null) {
      untried = pickUntried(snapshot, tried, false);
    }
    return untried != null ? untried : pool.select();
  }

  /**
   * Picks at random, by weight, an untried endpoint: of the serving tier (those with an effective
   * weight), or else any available one.
   */
  private @Nullable Endpoint<URI> pickUntried(PoolSnapshot snapshot, List<String> tried, boolean serving) {
    List<EndpointSnapshot> candidates = new ArrayList<>();
    double total = 0;
    for (EndpointSnapshot s : snapshot.endpoints()) {
      double w = serving ? s.effectiveWeight() : s.state().isAvailable() ? s.weight() : 0;
      if (w > 0 && !tried.contains(s.id()) && members.containsKey(s.id())) {
        candidates.add(s);
        total += w;
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    double r = ThreadLocalRandom.current().nextDouble(total);
    for (EndpointSnapshot s : candidates) {
      r -= serving ? s.effectiveWeight() : s.weight();
      if (r < 0) {
        return endpointOf(s.id());
      }
    }
    return endpointOf(candidates.get(candidates.size() - 1).id());
  }

  /** Returns the pool endpoint of a member, or {@code null} if it was removed in the meantime. */
  private @Nullable Endpoint<URI> endpointOf(String id) {
    Member m = members.get(id);
    return m == null ? null : m.endpoint;
  }

  /** Returns the URI of an attempt: the endpoint's scheme, authority and base path, then the request's. */
  URI resolve(Endpoint<URI> endpoint, String rawPath, @Nullable String rawQuery) {
    // An endpoint removed after it was picked still gets the attempt it was picked for (drain).
    Member m = members.get(endpoint.id());
    return resolve(m != null ? m.prefix : prefix(endpoint.address()), rawPath, rawQuery);
  }

  /** Returns {@code base} with {@code rawPath} and {@code rawQuery} appended to its path. */
  static URI resolve(URI base, String rawPath, @Nullable String rawQuery) {
    return resolve(prefix(base), rawPath, rawQuery);
  }

  private static URI resolve(String prefix, String rawPath, @Nullable String rawQuery) {
    StringBuilder sb = new StringBuilder(prefix.length() + rawPath.length() + 16).append(prefix);
    sb.append(rawPath.isEmpty() ? "/" : rawPath);
    if (rawQuery != null) {
      sb.append('?').append(rawQuery);
    }
    return URI.create(sb.toString());
  }

  private static String prefix(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return base.getScheme() + "://" + base.getRawAuthority() + path;
  }

  // ---------------------------------------------------------------------------------------------
  // Membership at run time.

  /**
   * Adds an endpoint; the next pick may take it (with slow start on, it ramps up from the initial
   * share). Thread-safe; membership changes are serialized.
   *
   * @throws IllegalArgumentException if an endpoint with that id is in the client, or another
   *     {@code https} endpoint has the same address with another authority
   * @throws IllegalStateException if the client is closed
   */
  public void addEndpoint(HttpEndpoint endpoint) {
    requireNonNull(endpoint, "endpoint");
    synchronized (membershipLock) {
      checkOpen();
      if (members.containsKey(endpoint.id())) {
        throw new IllegalArgumentException(
            "endpoint id: '" + endpoint.id() + "' (expected: unique; it is already used)");
      }
      transports.register(endpoint);
      Member m = new Member(endpoint);
      members.put(endpoint.id(), m);
      try {
        pool.add(m.endpoint);
      } catch (RuntimeException e) {
        members.remove(endpoint.id());
        transports.unregister(endpoint);
        throw e;
      }
    }
    logger.info("{} - Endpoint {} added", serviceName, endpoint);
  }

  /**
   * Removes an endpoint and drains it: no attempt starts on it once this returns (neither a first
   * attempt nor a retry), and attempts already sent to it run to their end, their outcomes left out of
   * the pool. Thread-safe.
   *
   * @return whether an endpoint with that id was in the client
   * @throws IllegalStateException if the client is closed
   */
  public boolean removeEndpoint(String id) {
    requireNonNull(id, "id");
    Member m;
    synchronized (membershipLock) {
      checkOpen();
      m = members.get(id);
      if (m == null) {
        return false;
      }
      pool.remove(id);
      members.remove(id);
      transports.unregister(m.http);
    }
    logger.info("{} - Endpoint {} removed", serviceName, m.http);
    return true;
  }

  /**
   * Changes an endpoint's weight; the next pick sees it, and the rotation neither restarts nor
   * favours anyone. Weight 0 drains the endpoint but keeps it (and its health checks). Thread-safe.
   *
   * @throws IllegalArgumentException if no endpoint has that id, or {@code weight} is outside
   *     {@code 0..}{@value Endpoint#MAX_WEIGHT}
   * @throws IllegalStateException if the client is closed
   */
  public void setWeight(String id, int weight) {
    requireNonNull(id, "id");
    Member before;
    synchronized (membershipLock) {
      checkOpen();
      before = members.get(id);
      if (before == null) {
        throw new IllegalArgumentException("endpoint id: '" + id + "' (expected: one of " + members.keySet() + ")");
      }
      Member after = before.withWeight(weight);
      if (after.http == before.http) {
        return;
      }
      pool.setWeight(id, weight);
      members.put(id, after);
    }
    logger.info("{} - Endpoint {} weight {} -> {}", serviceName, id, before.http.weight(), weight);
  }

  /** Returns the endpoints now in the client, in the order they joined. Thread-safe. */
  public List<HttpEndpoint> endpoints() {
    List<HttpEndpoint> list = new ArrayList<>(members.size());
    for (Endpoint<URI> e : pool.endpoints()) {
      Member m = members.get(e.id());
      if (m != null) {
        list.add(m.http);
      }
    }
    return Collections.unmodifiableList(list);
  }

  // ---------------------------------------------------------------------------------------------
  // Endpoint source.

  /** Reads the source now, on its reader thread, and waits for the diff to be applied (tests). */
  void refreshEndpoints() throws Exception {
    if (sourceReader != null) {
      sourceReader.submit(this::readSource).get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Reads the source and applies the difference to what it delivered last. Runs on the reader thread
   * only. A failed or empty read keeps everything, with one WARN per run of failures.
   */
  private void readSource() {
    EndpointSource s = requireNonNull(source, "source");
    if (closed) {
      return;
    }
    Map<String, HttpEndpoint> next = new LinkedHashMap<>();
    try {
      for (HttpEndpoint e : s.endpoints()) {
        if (next.put(e.id(), e) != null) {
          throw new IllegalStateException("endpoint id '" + e.id() + "' delivered twice");
        }
      }
      if (next.isEmpty()) {
        throw new IllegalStateException("no endpoint");
      }
    } catch (Exception e) {
      if (!sourceFailing) {
        sourceFailing = true;
        logger.warn("{} - Endpoint source {} failed ({}); keeping the last known endpoints {} and trying again"
            + " every {}", serviceName, s, Failures.describe(e), sourced.keySet(), s.refreshInterval());
      }
      return;
    }
    if (sourceFailing) {
      sourceFailing = false;
      logger.info("{} - Endpoint source {} read again: {}", serviceName, s, next.keySet());
    }
    try {
      // Additions and changes first, removals last: the pool never runs empty in between.
      Map<String, HttpEndpoint> applied = new LinkedHashMap<>();
      for (HttpEndpoint e : next.values()) {
        HttpEndpoint before = sourced.get(e.id());
        if (before != null && before.equals(e)) {
          applied.put(e.id(), e);
        } else if (apply(e)) {
          applied.put(e.id(), e);
        }
      }
      for (String id : sourced.keySet()) {
        if (!next.containsKey(id)) {
          removeEndpoint(id);
        }
      }
      sourced = applied;
    } catch (IllegalStateException closedMeanwhile) {
      // The client was closed during the diff: nothing more to do.
    }
  }

  /** Makes the client's endpoint with that id equal {@code e}; returns false if it was refused. */
  private boolean apply(HttpEndpoint e) {
    Member current = members.get(e.id());
    try {
      if (current == null) {
        addEndpoint(e);
      } else if (current.http.withWeight(e.weight()).equals(e)) {
        setWeight(e.id(), e.weight());
      } else if (!current.http.equals(e)) {
        removeEndpoint(e.id());
        addEndpoint(e);
      }
      return true;
    } catch (IllegalArgumentException refused) {
      logger.warn("{} - Endpoint source {} delivered endpoint {}, which was refused: {}", serviceName, source, e,
          refused.getMessage());
      return false;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("client '" + serviceName + "' is closed");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Counters, budget, events.

  /** An endpoint of the client: its settings, the pool's value, its URI prefix and its counters. */
  private static final class Member {
    final HttpEndpoint http;
    final Endpoint<URI> endpoint;
    /** Scheme, authority and base path without a trailing slash. */
    final String prefix;
    final Counters counters;

    Member(HttpEndpoint http) {
      this(http, http.toPoolEndpoint(), new Counters());
    }

    private Member(HttpEndpoint http, Endpoint<URI> endpoint, Counters counters) {
      this.http = http;
      this.endpoint = endpoint;
      this.prefix = prefix(endpoint.address());
      this.counters = counters;
    }

    /** Returns this member with another weight, keeping its counters. */
    Member withWeight(int weight) {
      return new Member(http.withWeight(weight), endpoint.withWeight(weight), counters);
    }
  }

  /** Per-endpoint counters, updated without a lock. */
  static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder latencyNanos = new LongAdder();
  }

  /** Returns the counters of the endpoint with that id now in the client, or {@code null}. */
  @Nullable Counters counters(String id) {
    Member m = members.get(id);
    return m == null ? null : m.counters;
  }

  /** Returns the retries the budget allows now. */
  double retryBudgetBalance() {
    return tokens.balance();
  }

  void countStart(Endpoint<URI> endpoint, boolean isRetry) {
    Member m = members.get(endpoint.id());
    if (m != null) {
      Counters c = m.counters;
      c.requests.increment();
      if (isRetry) {
        c.retries.increment();
      }
    }
  }

  void countEnd(Endpoint<URI> endpoint, long latencyNanos, boolean failed) {
    Member m = members.get(endpoint.id());
    if (m != null) {
      Counters c = m.counters;
      c.completed.increment();
      c.latencyNanos.add(latencyNanos);
      if (failed) {
        c.failures.increment();
      }
    }
  }

  void countFailedRequest() {
    failedRequests.increment();
  }

  /**
   * Takes a retry from the budget. The budget counts as exhausted from its first refusal until a
   * retry is allowed after a quiet period (a tenth of its ttl) without refusals, so that a budget
   * refilling and emptying request by request logs one WARN, not one per request.
   */
  boolean withdrawRetry() {
    if (tokens.tryWithdraw()) {
      retries.increment();
      if (budgetExhausted.get() && ticker.read() - lastRefusalNanos >= budgetQuietNanos
          && budgetExhausted.compareAndSet(true, false)) {
        logger.info("{} - Retry budget has retries again", serviceName);
        fire(new HttpClientEvent.RetryBudgetChanged(serviceName, false));
      }
      return true;
    }
    retriesRefused.increment();
    lastRefusalNanos = ticker.read();
    if (!budgetExhausted.get() && budgetExhausted.compareAndSet(false, true)) {
      logger.warn("{} - Retry budget exhausted: failed requests are not retried until it refills ({})",
          serviceName, budget);
      fire(new HttpClientEvent.RetryBudgetChanged(serviceName, true));
    }
    return false;
  }

  /** Reports a failed attempt: a DEBUG line and, if anyone listens, an event. */
  void attemptFailed(Call call, int attempt, @Nullable Integer status, @Nullable Throwable error, boolean retrying) {
    String endpointId = call.attempts.get(attempt - 1).endpointId();
    if (logger.isDebugEnabled()) {
      logger.debug("{} - {} {} attempt {} on {} failed ({}){}", serviceName, call.method, call.path, attempt, endpointId,
          status != null ? "status " + status : Failures.describe(error), retrying ? ", retrying" : "");
    }
    if (!listeners.isEmpty()) {
      fire(new HttpClientEvent.AttemptFailed(serviceName, endpointId, call.method, call.path, attempt, status,
          error == null ? null : error.getClass().getName(), retrying));
    }
  }

  private void fire(HttpClientEvent event) {
    for (Consumer<? super HttpClientEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        logger.warn("{} - Exception thrown by event listener {} for {}", serviceName, listener, event, e);
      }
    }
  }

  /** Registers a listener for {@link HttpClientEvent}s. */
  public void addListener(Consumer<? super HttpClientEvent> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /** Unregisters a listener; returns whether it was registered. */
  public boolean removeListener(Consumer<? super HttpClientEvent> listener) {
    return listeners.remove(listener);
  }

  /** Returns a point-in-time view of every endpoint's counters and state, and the client's totals. */
  public HttpClientSnapshot snapshot() {
    PoolSnapshot ps = pool.snapshot();
    List<HttpClientSnapshot.EndpointStats> stats = new ArrayList<>(ps.endpoints().size());
    for (EndpointSnapshot e : ps.endpoints()) {
      Member m = members.get(e.id());
      Counters c = m == null ? null : m.counters;
      long completed = c == null ? 0 : c.completed.sum();
      Duration mean = completed == 0 ? Duration.ZERO : Duration.ofNanos(c.latencyNanos.sum() / completed);
      stats.add(new HttpClientSnapshot.EndpointStats(e.id(), e.tier(), e.state(),
          c == null ? 0 : c.requests.sum(), c == null ? 0 : c.failures.sum(), c == null ? 0 : c.retries.sum(), mean));
    }
    return new HttpClientSnapshot(serviceName, ps, stats, requests.sum(), failedRequests.sum(), retries.sum(),
        retriesRefused.sum(), tokens.balance());
  }

  /**
   * Stops health checks, the endpoint source's reads and the retry scheduler; requests still waiting to retry then fail with
   * {@link Reason#CANCELLED}, and new requests are refused. An {@code HttpClient} given to the
   * builder is left open.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sourceReader != null) {
      sourceReader.shutdownNow();
    }
    pool.close();
    // Delayed retries still run after shutdown() and, seeing the client closed, fail at once.
    scheduler.shutdown();
  }

  @Override
  public String toString() {
    return "LoadBalancedHttpClient{service=" + serviceName + ", endpoints=" + endpoints() + '}';
  }
}
