package io.rota.http;

import static io.rota.core.internal.Checks.checkArgument;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * The JDK {@code HttpClient}s that carry a client's attempts and health checks, chosen per request by
 * the address the request goes to. It is itself an {@code HttpClient}, so callers send through it
 * unaware of the choice:
 *
 * <ul>
 *   <li>{@code http} endpoints: the plain client (by default HTTP/1.1, see {@link #create});
 *   <li>{@code https} endpoints without an authority: the TLS client (the same one unless the version
 *       differs per scheme);
 *   <li>{@code https} endpoints with an {@link HttpEndpoint#authority() authority}: a client per
 *       authority, a copy of the TLS client whose {@code SSLParameters} name the authority as the TLS
 *       server name (SNI), so that the JDK's trust manager checks the certificate against it. Endpoints
 *       with the same authority share that client.
 * </ul>
 *
 * One address ({@code host:port}) has one TLS name: two {@code https} endpoints at the same address
 * with different authorities (or one without) are refused.
 *
 * <h2>Threading</h2>
 * Thread-safe. Sending reads a concurrent map (no lock); registering and unregistering endpoints
 * lock this object and are rare. The accessors answer the TLS client's (the user's own, or the plain
 * client when it is the same).
 */
final class EndpointTransports extends HttpClient {

  private final HttpClient plain;
  private final HttpClient tls;

  /** Clients of https addresses with an authority, by raw authority ({@code host:port}) of the URI. */
  private final ConcurrentHashMap<String, HttpClient> byAddress = new ConcurrentHashMap<>();

  /** The https endpoints registered, by address: who holds the address and with which authority. */
  private final Map<String, Holders> holders = new HashMap<>();
  /** Clients by authority, while an endpoint uses them. */
  private final Map<String, HttpClient> byAuthority = new HashMap<>();

  private static final class Holders {
    final @Nullable String authority;
    final List<String> ids = new ArrayList<>(1);

    Holders(@Nullable String authority) {
      this.authority = authority;
    }
  }

  EndpointTransports(HttpClient plain, HttpClient tls) {
    this.plain = plain;
    this.tls = tls;
  }

  /**
   * Returns the transports of a client that builds its own JDK clients: with {@code version}, one
   * client of that version for both schemes; without, HTTP/1.1 for {@code http} endpoints (no h2c
   * upgrade offer, which many servers and proxies mishandle) and HTTP/2 for {@code https} ones (ALPN
   * falls back to HTTP/1.1). Redirects are never followed.
   */
  static EndpointTransports create(Duration connectTimeout, @Nullable SSLContext sslContext,
      @Nullable Version version) {
    HttpClient.Builder b = HttpClient.newBuilder().followRedirects(Redirect.NEVER).connectTimeout(connectTimeout);
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    if (version != null) {
      HttpClient one = b.version(version).build();
      return new EndpointTransports(one, one);
    }
    HttpClient plain = b.version(Version.HTTP_1_1).build();
    return new EndpointTransports(plain, b.version(Version.HTTP_2).build());
  }

  /** Returns the client https endpoints without an authority use: the one the accessors describe. */
  HttpClient tls() {
    return tls;
  }

  /**
   * Registers an endpoint: for an https endpoint, its address and authority.
   *
   * @throws IllegalArgumentException if another https endpoint has the same address with another
   *     authority; nothing changes then
   */
  synchronized void register(HttpEndpoint endpoint) {
    if (!endpoint.isTls()) {
      return;
    }
    String address = endpoint.baseUri().getRawAuthority();
    Holders h = holders.get(address);
    if (h != null) {
      checkSameName(endpoint, h.authority, h.ids.get(0));
      h.ids.add(endpoint.id());
      return;
    }
    h = new Holders(endpoint.authority());
    h.ids.add(endpoint.id());
    holders.put(address, h);
    if (h.authority != null) {
      byAddress.put(address, byAuthority.computeIfAbsent(h.authority, this::clientFor));
    }
  }

  /**
   * Checks that an endpoint at the same address as another has the same TLS name.
   *
   * @throws IllegalArgumentException if not
   */
  static void checkSameAddressSameName(HttpEndpoint endpoint, HttpEndpoint other) {
    if (endpoint.isTls() && other.isTls()
        && endpoint.baseUri().getRawAuthority().equals(other.baseUri().getRawAuthority())) {
      checkSameName(endpoint, other.authority(), other.id());
    }
  }

  private static void checkSameName(HttpEndpoint endpoint, @Nullable String authority, String otherId) {
    checkArgument(Objects.equals(authority, endpoint.authority()),
        "authority of endpoint '%s': %s (expected: %s, as endpoint '%s' at the same address has; one address"
            + " has one TLS name)", endpoint.id(), describe(endpoint.authority()), describe(authority), otherId);
  }

  private static String describe(@Nullable String authority) {
    return authority == null ? "none" : "'" + authority + "'";
  }

  /**
   * Unregisters an endpoint; a client no endpoint uses any more is dropped. An attempt picked just
   * before its endpoint was removed and sent after this then goes through the TLS client, which checks
   * the certificate against the URI's address: it fails the handshake (and is retried elsewhere),
   * never skips verification.
   */
  synchronized void unregister(HttpEndpoint endpoint) {
    if (!endpoint.isTls()) {
      return;
    }
    String address = endpoint.baseUri().getRawAuthority();
    Holders h = holders.get(address);
    if (h == null || !h.ids.remove(endpoint.id()) || !h.ids.isEmpty()) {
      return;
    }
    holders.remove(address);
    byAddress.remove(address);
    if (h.authority != null && holders.values().stream().noneMatch(o -> h.authority.equals(o.authority))) {
      byAuthority.remove(h.authority);
    }
  }

  /**
   * Returns a copy of the TLS client that sends the authority as SNI name. The JDK copies the
   * client's server names into each connection's parameters when the URI's host is an IP address,
   * and its trust manager checks the certificate against the SNI name.
   */
  private HttpClient clientFor(String authority) {
    SSLParameters params = tls.sslParameters();
    params.setServerNames(List.of(new SNIHostName(authority)));
    params.setEndpointIdentificationAlgorithm("HTTPS");
    HttpClient.Builder b = HttpClient.newBuilder()
        .sslContext(tls.sslContext())
        .sslParameters(params)
        .followRedirects(tls.followRedirects())
        .version(tls.version());
    tls.connectTimeout().ifPresent(b::connectTimeout);
    tls.proxy().ifPresent(b::proxy);
    tls.authenticator().ifPresent(b::authenticator);
    tls.cookieHandler().ifPresent(b::cookieHandler);
    tls.executor().ifPresent(b::executor);
    return b.build();
  }

  /** Returns the client for a request's URI. */
  HttpClient clientFor(URI uri) {
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      HttpClient c = byAddress.get(uri.getRawAuthority());
      return c != null ? c : tls;
    }
    return plain;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return clientFor(request.uri()).send(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return clientFor(request.uri()).sendAsync(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
    return clientFor(request.uri()).sendAsync(request, handler, pushPromiseHandler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return tls.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return tls.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return tls.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return tls.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return tls.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return tls.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return tls.authenticator();
  }

  @Override
  public Version version() {
    return tls.version();
  }

  @Override
  public Optional<Executor> executor() {
    return tls.executor();
  }
}
