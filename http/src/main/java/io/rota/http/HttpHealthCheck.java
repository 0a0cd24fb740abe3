package io.rota.http;

import io.rota.core.Endpoint;
import io.rota.core.spi.HealthCheck;
import io.rota.core.spi.HealthCheckFailedException;
import io.rota.http.internal.Failures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The active health check: {@code GET <base URI><path>} with the client's {@code HttpClient}, passing
 * on the expected status. Its failure reasons ("status 500 (expected 200)", the error type and JDK
 * message) hold no header or query string. Thread-safe.
 */
final class HttpHealthCheck implements HealthCheck<URI> {

  private final HttpClient http;
  private final String path;
  private final int expectedStatus;
  private final Duration timeout;

  HttpHealthCheck(HttpClient http, String path, int expectedStatus, Duration timeout) {
    this.http = http;
    this.path = path;
    this.expectedStatus = expectedStatus;
    this.timeout = timeout;
  }

  @Override
  public void check(Endpoint<URI> endpoint) throws Exception {
    URI uri = LoadBalancedHttpClient.resolve(endpoint.address(), path, null);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new HealthCheckFailedException(Failures.describe(e), e);
    }
    if (response.statusCode() != expectedStatus) {
      throw new HealthCheckFailedException("status " + response.statusCode() + " (expected " + expectedStatus + ")");
    }
  }

  @Override
  public String toString() {
    return "GET " + path + " expecting " + expectedStatus;
  }
}
