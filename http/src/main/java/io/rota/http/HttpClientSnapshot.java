package io.rota.http;

import io.rota.core.EndpointState;
import io.rota.core.PoolSnapshot;
import io.rota.core.Tier;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a {@link LoadBalancedHttpClient}: per-endpoint attempts, failures, retries
 * and latency, the client's totals, and the core pool's own snapshot (health states, weights, in
 * flight).
 *
 * @param service the service name
 * @param pool the endpoint pool's snapshot
 * @param endpoints every endpoint now in the client, in the order they joined (removed ones are left out)
 * @param requests requests sent through {@code send} and {@code sendAsync}
 * @param failedRequests requests that ended with an {@link AllAttemptsFailedException}
 * @param retries attempts after the first, over all requests
 * @param retriesRefused retries the {@link RetryBudget} refused
 * @param retryBudget the retries the budget allows now
 */
public record HttpClientSnapshot(
    String service,
    PoolSnapshot pool,
    List<EndpointStats> endpoints,
    long requests,
    long failedRequests,
    long retries,
    long retriesRefused,
    double retryBudget) {

  /** Creates a snapshot; the list is copied. */
  public HttpClientSnapshot {
    endpoints = List.copyOf(endpoints);
  }

  /** Returns the stats of the endpoint with that id, or {@code null}. */
  public @Nullable EndpointStats endpoint(String id) {
    for (EndpointStats e : endpoints) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    return null;
  }

  /**
   * One endpoint's counters since it joined the client (a weight change keeps them).
   *
   * @param id the endpoint id
   * @param tier the endpoint's tier
   * @param state the endpoint's health state in the pool
   * @param requests attempts sent to the endpoint, retries included
   * @param failures attempts that failed: an error or a retryable status
   * @param retries attempts sent to the endpoint as a retry of an attempt that failed elsewhere
   * @param meanLatency the mean time from sending an attempt to its response headers or error
   */
  public record EndpointStats(
      String id,
      Tier tier,
      EndpointState state,
      long requests,
      long failures,
      long retries,
      Duration meanLatency) {}
}
