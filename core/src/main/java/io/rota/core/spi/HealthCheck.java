package io.rota.core.spi;

import io.rota.core.Endpoint;

/**
 * An active health check: probes one endpoint. The pool runs it every
 * {@code healthCheckInterval} (with jitter) on its health-check executor, gives up on it after
 * {@code healthCheckTimeout} (interrupting it), and marks the endpoint down after {@code fall}
 * consecutive failures and up again after {@code rise} consecutive passes.
 *
 * <p>Implementations must be thread-safe; they may block (a JDBC {@code SELECT 1}, an HTTP
 * {@code GET /health}) and should honour interruption.
 *
 * @param <A> the type of the endpoint address
 */
@FunctionalInterface
public interface HealthCheck<A> {

  /**
   * Probes the endpoint. Returning normally means healthy; throwing means unhealthy (the exception is
   * the reason, reported in events and logs).
   *
   * @throws Exception if the endpoint is unhealthy
   */
  void check(Endpoint<A> endpoint) throws Exception;
}
