package io.rota.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A request marked idempotent by {@link LoadBalancedHttpClient#idempotent(HttpRequest)}: the same
 * request, which the client may retry whatever its method. Its {@link #toString()} never shows the
 * query string. Immutable.
 */
final class IdempotentRequest extends HttpRequest {

  final HttpRequest delegate;

  IdempotentRequest(HttpRequest delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return delegate.bodyPublisher();
  }

  @Override
  public String method() {
    return delegate.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return delegate.timeout();
  }

  @Override
  public boolean expectContinue() {
    return delegate.expectContinue();
  }

  @Override
  public URI uri() {
    return delegate.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return delegate.version();
  }

  @Override
  public HttpHeaders headers() {
    return delegate.headers();
  }

  /**
   * Returns {@code http://orders/orders POST (idempotent)}: the JDK's form without the query string
   * (which may carry tokens), user info or fragment.
   */
  @Override
  public String toString() {
    URI uri = delegate.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path
        + " " + delegate.method() + " (idempotent)";
  }
}
