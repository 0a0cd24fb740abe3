package io.rota.http;

import io.rota.core.event.PoolEvent;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened in a {@link LoadBalancedHttpClient}. Delivered to listeners registered
 * with {@link LoadBalancedHttpClient#addListener}, on the thread that saw it (a caller, an HTTP
 * client thread, a health-check thread); listeners must be quick and must not block. Events are
 * created only while a listener is registered.
 */
public sealed interface HttpClientEvent {

  /** Returns the service name of the client the event comes from. */
  String service();

  /**
   * A change in the endpoint pool: an endpoint ejected, down, back, or the serving tier changed.
   *
   * @param service the service name
   * @param event the pool event
   */
  record PoolChanged(String service, PoolEvent event) implements HttpClientEvent {}

  /**
   * An attempt failed.
   *
   * @param service the service name
   * @param endpointId the endpoint the attempt went to
   * @param method the request method
   * @param path the request path, without the query string
   * @param attempt the attempt number, from 1
   * @param status the response status, or {@code null} if the attempt ended in an error
   * @param errorType the error's class name, or {@code null} if a response came
   * @param retrying whether another attempt follows
   */
  record AttemptFailed(
      String service,
      String endpointId,
      String method,
      String path,
      int attempt,
      @Nullable Integer status,
      @Nullable String errorType,
      boolean retrying) implements HttpClientEvent {}

  /**
   * The retry budget ran out (retries are refused), or has retries again after a tenth of its ttl
   * without a refusal.
   *
   * @param service the service name
   * @param exhausted whether retries are now refused
   */
  record RetryBudgetChanged(String service, boolean exhausted) implements HttpClientEvent {}
}
