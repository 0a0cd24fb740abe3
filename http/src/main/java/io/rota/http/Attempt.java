package io.rota.http;

import static java.util.Objects.requireNonNull;

import io.rota.http.internal.Failures;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a request: the endpoint it went to and how it ended, either with a response status
 * or an error. Listed by {@link AllAttemptsFailedException#attempts()}.
 *
 * @param endpointId the id of the endpoint the attempt was sent to
 * @param status the response status, or {@code null} if no response came
 * @param error why the attempt failed without a response, or {@code null} if a response came
 * @param elapsed how long the attempt took, from sending to the response headers or the error
 */
public record Attempt(String endpointId, @Nullable Integer status, @Nullable Throwable error, Duration elapsed) {

  /** Creates an attempt. */
  public Attempt {
    requireNonNull(endpointId, "endpointId");
    requireNonNull(elapsed, "elapsed");
  }

  /**
   * Returns {@code endpoint: status 503, 12 ms} or {@code endpoint: java.net.ConnectException, 1 ms}.
   * Holds no header, query string or address.
   */
  @Override
  public String toString() {
    String outcome = status != null ? "status " + status : error != null ? Failures.describe(error) : "no outcome";
    return endpointId + ": " + outcome + ", " + elapsed.toMillis() + " ms";
  }
}
