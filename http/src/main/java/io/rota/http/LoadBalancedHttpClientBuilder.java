package io.rota.http;

import static io.rota.core.internal.Checks.checkArgument;
import static io.rota.core.internal.Checks.checkState;
import static io.rota.core.internal.Checks.inRange;
import static io.rota.core.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.Ticker;
import io.rota.core.Tier;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link LoadBalancedHttpClient}. Not thread-safe; {@link #build()} copies what it was
 * given, so the builder can be reused.
 *
 * <p>Setters check their argument at once ({@link IllegalArgumentException}); {@link #build()}
 * checks the rules that tie several settings together ({@link IllegalStateException}).
 */
public final class LoadBalancedHttpClientBuilder {

  final java.util.List<java.util.function.Consumer<? super HttpClientEvent>> listeners = new java.util.ArrayList<>();

  /** Default {@link #perAttemptTimeout(Duration)}: {@value} seconds. */
  public static final int DEFAULT_PER_ATTEMPT_TIMEOUT_SECONDS = 10;
  /** Default {@link #deadline(Duration)}: {@value} seconds. */
  public static final int DEFAULT_DEADLINE_SECONDS = 30;
  /** Default {@link #connectTimeout(Duration)} of the client's own {@code HttpClient}: {@value} seconds. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 2;

  final String serviceName;
  final List<HttpEndpoint> endpoints = new ArrayList<>();
  @Nullable HttpClient httpClient;
  @Nullable Duration connectTimeout;
  @Nullable SSLContext sslContext;
  HttpClient.@Nullable Version version;
  HealthSettings health = new HealthSettings();
  @Nullable EndpointSource source;
  /** After build(): the endpoints of the source's first read. */
  List<HttpEndpoint> sourced = List.of();
  RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
  RetryBudget retryBudget = RetryBudget.ofDefaults();
  Duration perAttemptTimeout = Duration.ofSeconds(DEFAULT_PER_ATTEMPT_TIMEOUT_SECONDS);
  Duration deadline = Duration.ofSeconds(DEFAULT_DEADLINE_SECONDS);
  /** The poolConfig given, or null; after build(), the resolved one. */
  @Nullable EndpointPoolConfig poolConfig;
  Ticker ticker = Ticker.system();

  LoadBalancedHttpClientBuilder(String serviceName) {
    requireNonNull(serviceName, "serviceName");
    this.serviceName = validateServiceName(serviceName);
  }

  /**
   * Checks that the name can be the host of a URI ({@code http://orders/path}), and returns it in
   * lower case.
   */
  static String validateServiceName(String name) {
    boolean valid = !name.isBlank();
    if (valid) {
      try {
        URI uri = new URI("http://" + name + "/");
        valid = name.equalsIgnoreCase(uri.getHost()) && uri.getPort() == -1;
      } catch (URISyntaxException e) {
        valid = false;
      }
    }
    checkArgument(valid, "serviceName: '%s' (expected: a host name such as 'orders' or 'orders.internal';"
        + " requests address it as http://<serviceName>/path)", name);
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * Adds a primary endpoint with weight {@value Endpoint#DEFAULT_WEIGHT}.
   *
   * @param id a unique id, used in logs, events and errors
   * @param baseUri {@code http://host:port} or {@code https://host:port}, with an optional base path
   *     that request paths are appended to
   * @throws IllegalArgumentException if the id is blank or already used, or the URI is not an
   *     {@code http} or {@code https} URI with a host, or has user info, a query or a fragment
   */
  public LoadBalancedHttpClientBuilder endpoint(String id, URI baseUri) {
    return endpoint(id, baseUri, Endpoint.DEFAULT_WEIGHT);
  }

  /**
   * Adds a primary endpoint; requests spread over primary endpoints in proportion to their weights.
   *
   * @throws IllegalArgumentException as {@link #endpoint(String, URI)}, or if {@code weight} is
   *     outside {@code 0..}{@value Endpoint#MAX_WEIGHT}
   */
  public LoadBalancedHttpClientBuilder endpoint(String id, URI baseUri, int weight) {
    return add(id, baseUri, weight, Tier.PRIMARY);
  }

  /**
   * Adds a backup endpoint with weight {@value Endpoint#DEFAULT_WEIGHT}: it takes requests only
   * while no primary endpoint is available.
   *
   * @throws IllegalArgumentException as {@link #endpoint(String, URI)}
   */
  public LoadBalancedHttpClientBuilder backupEndpoint(String id, URI baseUri) {
    return backupEndpoint(id, baseUri, Endpoint.DEFAULT_WEIGHT);
  }

  /**
   * Adds a backup endpoint: it takes requests only while no primary endpoint is available.
   *
   * @throws IllegalArgumentException as {@link #endpoint(String, URI, int)}
   */
  public LoadBalancedHttpClientBuilder backupEndpoint(String id, URI baseUri, int weight) {
    return add(id, baseUri, weight, Tier.BACKUP);
  }

  private LoadBalancedHttpClientBuilder add(String id, URI baseUri, int weight, Tier tier) {
    return endpoint(HttpEndpoint.of(id, baseUri).withWeight(weight).withTier(tier));
  }

  /**
   * Adds an endpoint of any tier, weight and {@linkplain HttpEndpoint#authority() authority}: the way
   * to give an {@code https} endpoint by IP address whose certificate names the service's host name.
   *
   * <pre>{@code
   * .endpoint(HttpEndpoint.of("a", URI.create("https://10.0.0.1:8443")).withAuthority("orders.example.com"))
   * }</pre>
   *
   * @throws IllegalArgumentException if the id is already used, or another {@code https} endpoint has
   *     the same address ({@code host:port}) with another authority
   */
  public LoadBalancedHttpClientBuilder endpoint(HttpEndpoint endpoint) {
    requireNonNull(endpoint, "endpoint");
    for (HttpEndpoint e : endpoints) {
      checkArgument(!e.id().equals(endpoint.id()), "endpoint id: '%s' (expected: unique; it is already used)",
          endpoint.id());
      EndpointTransports.checkSameAddressSameName(endpoint, e);
    }
    endpoints.add(endpoint);
    return this;
  }

  /**
   * Sets where (more) endpoints come from: a static list, a DNS name re-resolved on an interval
   * ({@link DnsEndpointSource}), or a supplier of your own ({@link EndpointSource#polling}). Its first
   * read happens in {@link #build()}; later reads are diffed into the client (see
   * {@link EndpointSource}). Endpoints given with {@code endpoint(...)} are kept beside it. Default:
   * none.
   */
  public LoadBalancedHttpClientBuilder endpointSource(EndpointSource source) {
    checkState(this.source == null, "endpointSource: %s (expected: set once; it was already set to %s)",
        source, this.source);
    this.source = requireNonNull(source, "source");
    return this;
  }

  /**
   * Sets the {@code HttpClient} that sends every attempt and health check, with its own TLS
   * ({@code SSLContext}, {@code SSLParameters}), proxy, HTTP version and executor. It is not closed
   * by {@link LoadBalancedHttpClient#close()}. Its redirect policy must be
   * {@link HttpClient.Redirect#NEVER} (the default), since a redirect could take a request to a host
   * that is not a configured endpoint. It is used as it is, its version included (the JDK's default,
   * HTTP/2, offers an {@code h2c} upgrade to {@code http} endpoints; build it with
   * {@code version(HTTP_1_1)} to avoid that). Default: clients of its own with
   * {@link #connectTimeout(Duration)}, {@link #sslContext(SSLContext)} and
   * {@link #version(HttpClient.Version)}.
   *
   * @throws IllegalArgumentException if the client follows redirects
   */
  public LoadBalancedHttpClientBuilder httpClient(HttpClient client) {
    requireNonNull(client, "client");
    checkArgument(client.followRedirects() == HttpClient.Redirect.NEVER,
        "httpClient: follows redirects (%s) (expected: Redirect.NEVER; a redirect could send a request to a host"
            + " that is not a configured endpoint)", client.followRedirects());
    this.httpClient = client;
    return this;
  }

  /**
   * Sets the connect timeout of the client's own {@code HttpClient}; default
   * {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s. Not allowed with {@link #httpClient(HttpClient)}.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public LoadBalancedHttpClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /** Same as {@link #connectTimeout(Duration)} in milliseconds. */
  public LoadBalancedHttpClientBuilder connectTimeoutMillis(long millis) {
    return connectTimeout(Duration.ofMillis(millis));
  }

  /**
   * Sets the TLS context of the client's own {@code HttpClient} for {@code https} endpoints (for
   * example one that trusts a private CA); default the JDK's default context. Host names are always
   * verified. Not allowed with {@link #httpClient(HttpClient)}: configure that client instead.
   */
  public LoadBalancedHttpClientBuilder sslContext(SSLContext context) {
    this.sslContext = requireNonNull(context, "context");
    return this;
  }

  /**
   * Configures health: the active check, ejection of failing endpoints, slow start and panic mode,
   * each with its default (see {@link HealthSettings}). Calls add up: each setting may be set once.
   *
   * <pre>{@code
   * .health(h -> h.check("/health").intervalMillis(2000).fall(2).consecutiveFailures(3))
   * }</pre>
   */
  public LoadBalancedHttpClientBuilder health(Consumer<? super HealthSettings> settings) {
    requireNonNull(settings, "settings").accept(health);
    return this;
  }

  /**
   * Sets the HTTP version of the client's own {@code HttpClient}, for every endpoint. Default: HTTP/1.1
   * for {@code http} endpoints (no {@code Upgrade: h2c} offer) and HTTP/2 for {@code https} endpoints
   * (negotiated by TLS ALPN, HTTP/1.1 if the server offers no more). {@code HTTP_2} here also offers
   * the h2c upgrade to {@code http} endpoints; {@code HTTP_1_1} keeps {@code https} ones on HTTP/1.1. A
   * version set on a request wins for that request. Works together with
   * {@link #connectTimeout(Duration)} and {@link #sslContext(SSLContext)}; not allowed with
   * {@link #httpClient(HttpClient)}, whose own version is used as it is.
   */
  public LoadBalancedHttpClientBuilder version(HttpClient.Version version) {
    this.version = requireNonNull(version, "version");
    return this;
  }

  /**
   * Turns the active health check on, with the other health settings at their defaults unless set
   * with {@link #health(Consumer)}: the same as {@code health(h -> h.check(path))}.
   *
   * @throws IllegalArgumentException as {@link HealthSettings#check(String)}
   */
  public LoadBalancedHttpClientBuilder healthCheck(String path) {
    health.check(path);
    return this;
  }

  /** Sets the retry policy; default {@link RetryPolicy#ofDefaults()}. */
  public LoadBalancedHttpClientBuilder retryPolicy(RetryPolicy policy) {
    this.retryPolicy = requireNonNull(policy, "policy");
    return this;
  }

  /** Sets the retry budget; default {@link RetryBudget#ofDefaults()}. */
  public LoadBalancedHttpClientBuilder retryBudget(RetryBudget budget) {
    this.retryBudget = requireNonNull(budget, "budget");
    return this;
  }

  /**
   * Sets how long one attempt may wait for its response headers; default
   * {@value #DEFAULT_PER_ATTEMPT_TIMEOUT_SECONDS} s. A timeout set on the request itself, if shorter,
   * wins. An attempt that times out fails with {@code java.net.http.HttpTimeoutException}.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public LoadBalancedHttpClientBuilder perAttemptTimeout(Duration timeout) {
    this.perAttemptTimeout = positive(timeout, "perAttemptTimeout");
    return this;
  }

  /** Same as {@link #perAttemptTimeout(Duration)} in milliseconds. */
  public LoadBalancedHttpClientBuilder perAttemptTimeoutMillis(long millis) {
    return perAttemptTimeout(Duration.ofMillis(millis));
  }

  /**
   * Sets the time a request may take over all its attempts and back-offs; default
   * {@value #DEFAULT_DEADLINE_SECONDS} s. No retry starts when the deadline leaves no time for it,
   * and the last attempt's timeout is cut to what is left.
   *
   * @throws IllegalArgumentException if {@code deadline} is not positive
   */
  public LoadBalancedHttpClientBuilder deadline(Duration deadline) {
    this.deadline = positive(deadline, "deadline");
    return this;
  }

  /** Same as {@link #deadline(Duration)} in milliseconds. */
  public LoadBalancedHttpClientBuilder deadlineMillis(long millis) {
    return deadline(Duration.ofMillis(millis));
  }

  /**
   * Sets the health settings from a core {@link EndpointPoolConfig} (for example one shared with other
   * pools), as the base that {@link #health(Consumer)} settings apply to. A setting given both ways
   * must agree: if the config's value is not the default and {@code health} sets another,
   * {@link #build()} fails. Default {@link EndpointPoolConfig#ofDefaults()}.
   */
  public LoadBalancedHttpClientBuilder poolConfig(EndpointPoolConfig config) {
    this.poolConfig = requireNonNull(config, "config");
    return this;
  }

  /** Reads the source for the first time; its endpoints join the ones given here. */
  private List<HttpEndpoint> firstRead(EndpointSource source) {
    List<HttpEndpoint> first;
    try {
      first = List.copyOf(source.endpoints());
    } catch (Exception e) {
      throw new IllegalStateException("endpointSource " + source + ": first read failed ("
          + e.getClass().getName() + ": " + e.getMessage() + ")", e);
    }
    checkState(!first.isEmpty(), "endpointSource %s: no endpoint (expected: at least one at the first read)",
        source);
    List<HttpEndpoint> seen = new ArrayList<>(endpoints);
    for (HttpEndpoint e : first) {
      for (HttpEndpoint o : seen) {
        checkState(!o.id().equals(e.id()), "endpoint id: '%s' (expected: unique; endpointSource %s delivers an id"
            + " already used)", e.id(), source);
        EndpointTransports.checkSameAddressSameName(e, o);
      }
      seen.add(e);
    }
    return first;
  }

  /** Sets the time source of the pool, the retry budget, deadlines and latencies (tests). */
  LoadBalancedHttpClientBuilder ticker(Ticker ticker) {
    this.ticker = requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Registers a listener before the client starts, so that it also receives the events of the first
   * health checks (one added with {@link LoadBalancedHttpClient#addListener} after {@code build()}
   * may miss those).
   */
  public LoadBalancedHttpClientBuilder listener(java.util.function.Consumer<? super HttpClientEvent> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Returns the client; its health checks, if any, start at once.
   *
   * @throws IllegalStateException if no endpoint was added; if the endpoint source's first read fails,
   *     finds none or repeats an id; if {@link #connectTimeout(Duration)},
   *     {@link #sslContext(SSLContext)} or {@link #version(HttpClient.Version)} is set together with
   *     {@link #httpClient(HttpClient)}; if a
   *     health setting is set twice to different values (also through {@link #poolConfig}), or an
   *     active-check setting without {@link HealthSettings#check(String)}
   */
  public LoadBalancedHttpClient build() {
    List<HttpEndpoint> first = source == null ? List.of() : firstRead(source);
    checkState(!endpoints.isEmpty() || !first.isEmpty(),
        "endpoints: none (expected: at least one endpoint for service '%s')", serviceName);
    if (httpClient != null) {
      checkState(connectTimeout == null,
          "connectTimeout: %s (expected: not set together with httpClient; set it on that HttpClient)",
          connectTimeout);
      checkState(sslContext == null,
          "sslContext: set (expected: not set together with httpClient; set it on that HttpClient)");
      checkState(version == null,
          "version: %s (expected: not set together with httpClient; set it on that HttpClient)", version);
    }
    EndpointPoolConfig resolved = health.resolve(poolConfig);
    LoadBalancedHttpClientBuilder copy = new LoadBalancedHttpClientBuilder(serviceName);
    copy.endpoints.addAll(endpoints);
    copy.endpoints.addAll(first);
    copy.source = source;
    copy.sourced = first;
    copy.httpClient = httpClient;
    copy.connectTimeout = connectTimeout;
    copy.sslContext = sslContext;
    copy.version = version;
    copy.health = health.copy();
    copy.retryPolicy = retryPolicy;
    copy.retryBudget = retryBudget;
    copy.perAttemptTimeout = perAttemptTimeout;
    copy.deadline = deadline;
    copy.ticker = ticker;
    copy.poolConfig = resolved;
    return new LoadBalancedHttpClient(copy);
  }
}
