package io.rota.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A request marked idempotent by {@link LoadBalancedHttpClient#idempotent(HttpRequest)}: the same
 * request, which the client may retry whatever its method. Immutable.
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

  @Override
  public String toString() {
    return delegate.toString() + " (idempotent)";
  }
}
