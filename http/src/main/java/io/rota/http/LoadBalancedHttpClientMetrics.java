package io.rota.http;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rota.core.EndpointPoolMetrics;
import io.rota.core.internal.MeterBinding;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of a {@link LoadBalancedHttpClient}: requests by outcome, attempts and their
 * latency, failed attempts, retries, refused retries and the retry budget; plus, through
 * {@link EndpointPoolMetrics}, the {@code rota.pool.*} meters of its endpoint pool (tag {@code pool}
 * = the service name): health states, weights, in flight, ejections, health-check latency.
 *
 * <pre>{@code
 * LoadBalancedHttpClientMetrics.of(client).bindTo(registry);
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of Rota: the binders are the only classes that use it.
 *
 * <h2>Meters</h2>
 * Every meter has the tag {@code service} (the service name) plus the tags given to
 * {@link #of(LoadBalancedHttpClient, Iterable)}; endpoint meters also {@code endpoint} (the id).
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>what</th></tr>
 *   <tr><td>{@code rota.http.client.requests}</td><td>function counter</td><td>{@code outcome}:
 *       {@code success}, {@code failure}</td><td>requests that returned a response, and those that
 *       failed with {@link AllAttemptsFailedException}</td></tr>
 *   <tr><td>{@code rota.http.client.attempts}</td><td>function timer</td><td>{@code endpoint}</td>
 *       <td>attempts sent to the endpoint that ended (retries included), and the time from sending
 *       each to its response headers or error</td></tr>
 *   <tr><td>{@code rota.http.client.attempt.failures}</td><td>function counter</td><td>{@code endpoint}</td>
 *       <td>attempts that failed: an error, a retryable status or another 5xx</td></tr>
 *   <tr><td>{@code rota.http.client.retries}</td><td>function counter</td><td></td><td>attempts after
 *       the first, over all requests</td></tr>
 *   <tr><td>{@code rota.http.client.retries.refused}</td><td>function counter</td><td></td>
 *       <td>retries the {@link RetryBudget} refused</td></tr>
 *   <tr><td>{@code rota.http.client.retry.budget}</td><td>gauge</td><td></td><td>the retries the
 *       budget allows now</td></tr>
 * </table>
 *
 * <p>Meters of endpoints added at run time (by hand or by an {@link EndpointSource}) appear, and
 * those of removed ones are removed from the registry, shortly after the change. Every meter reads the
 * client's lock-free counters through weak references: nothing is recorded on the request path that
 * the client does not count anyway. {@link #close()} removes every meter this binder registered.
 * Thread-safe.
 */
// Micrometer is `requires static`, not transitive: whoever binds has it and requires it already.
@SuppressWarnings("exports")
public final class LoadBalancedHttpClientMetrics implements MeterBinder, AutoCloseable {

  private static final String REQUESTS =
      "Requests that returned a response (success) or failed with AllAttemptsFailedException (failure)";

  private final LoadBalancedHttpClient client;
  private final Tags tags;
  private final EndpointPoolMetrics pool;
  private final MeterBinding.Group bindings = new MeterBinding.Group();

  private LoadBalancedHttpClientMetrics(LoadBalancedHttpClient client, Tags tags) {
    this.client = client;
    this.tags = tags;
    this.pool = EndpointPoolMetrics.of(client.pool, tags);
  }

  /** Returns a binder of the client's meters. */
  public static LoadBalancedHttpClientMetrics of(LoadBalancedHttpClient client) {
    return of(client, Tags.empty());
  }

  /** Returns a binder of the client's meters, each with these tags too. */
  public static LoadBalancedHttpClientMetrics of(LoadBalancedHttpClient client, Iterable<Tag> tags) {
    requireNonNull(client, "client");
    requireNonNull(tags, "tags");
    return new LoadBalancedHttpClientMetrics(client, Tags.of(tags));
  }

  /** Registers the client's meters in {@code registry}, and keeps them in step with its endpoints. */
  @Override
  public void bindTo(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    pool.bindTo(registry);
    MeterBinding binding = bindings.bind(registry);
    Tags t = tags.and("service", client.serviceName());
    binding.add(FunctionCounter.builder("rota.http.client.requests", client, c -> c.succeededRequests.sum())
        .tags(t).tag("outcome", "success").description(REQUESTS).register(registry));
    binding.add(FunctionCounter.builder("rota.http.client.requests", client, c -> c.failedRequests.sum())
        .tags(t).tag("outcome", "failure").description(REQUESTS).register(registry));
    binding.add(FunctionCounter.builder("rota.http.client.retries", client, c -> c.retries.sum())
        .tags(t).description("Attempts after the first").register(registry));
    binding.add(FunctionCounter.builder("rota.http.client.retries.refused", client, c -> c.retriesRefused.sum())
        .tags(t).description("Retries the retry budget refused").register(registry));
    binding.add(Gauge.builder("rota.http.client.retry.budget", client, LoadBalancedHttpClient::retryBudgetBalance)
        .tags(t).description("Retries the retry budget allows now").register(registry));
    binding.follow(client.pool, new PerEndpoint(client, t));
  }

  /** Removes every meter this binder registered (the pool's too), from every registry it was bound to. */
  @Override
  public void close() {
    bindings.close();
    pool.close();
  }

  @Override
  public String toString() {
    return "LoadBalancedHttpClientMetrics{service=" + client.serviceName() + ", tags=" + tags + '}';
  }

  /** The meters of one endpoint, read from its counters in the client. */
  private static final class PerEndpoint implements MeterBinding.EndpointMeters<LoadBalancedHttpClient.Counters> {
    private final LoadBalancedHttpClient client;
    private final Tags serviceTags;

    PerEndpoint(LoadBalancedHttpClient client, Tags serviceTags) {
      this.client = client;
      this.serviceTags = serviceTags;
    }

    @Override
    public LoadBalancedHttpClient.@Nullable Counters find(String endpointId) {
      return client.counters(endpointId);
    }

    @Override
    public List<Meter> register(MeterRegistry r, String id, LoadBalancedHttpClient.Counters counters) {
      Tags t = serviceTags.and("endpoint", id);
      return List.of(
          FunctionTimer.builder("rota.http.client.attempts", counters, c -> c.completed.sum(),
                  c -> c.latencyNanos.sum(), TimeUnit.NANOSECONDS)
              .tags(t).description("Attempts sent to the endpoint, until their response headers or error").register(r),
          FunctionCounter.builder("rota.http.client.attempt.failures", counters, c -> c.failures.sum())
              .tags(t).description("Attempts to the endpoint that failed").register(r));
    }
  }
}
