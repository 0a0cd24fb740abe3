package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rota.core.EndpointPoolConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The meters of {@link LoadBalancedHttpClientMetrics} on real WireMock servers: attempts, failures
 * and retries move when one endpoint answers 503, its state gauge shows its ejection, refused retries
 * count when the budget is empty, and endpoint meters follow membership.
 */
class LoadBalancedHttpClientMetricsIT {

  @RegisterExtension
  final ServerGroup servers = ServerGroup.perTest();
  private final WireMockServer a = servers.add();
  private final WireMockServer bad = servers.add();
  private final WireMockServer c = servers.add();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LoadBalancedHttpClientBuilder builder() {
    return LoadBalancedHttpClient.builder("orders")
        .endpoint("a", Servers.base(a))
        .endpoint("bad", Servers.base(bad))
        .perAttemptTimeoutMillis(1000)
        .retryPolicy(RetryPolicy.custom().maxAttempts(3).initialBackoffMillis(1).maxBackoffMillis(2).build())
        // Ejected for a minute: the state gauge is read while it is still out.
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(3).ejectionTime(Duration.ofMinutes(1)).build());
  }

  private RequiredSearch service(String name) {
    return registry.get(name).tag("service", "orders");
  }

  private double count(String name, String endpoint) {
    return service(name).tag("endpoint", endpoint).functionCounter().count();
  }

  private double state(String endpoint, String state) {
    return registry.get("rota.pool.endpoint.state").tag("pool", "orders").tag("endpoint", endpoint)
        .tag("state", state).gauge().value();
  }

  private static void get(LoadBalancedHttpClient client, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      client.send(client.newRequest("/items").build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  @Test
  void attemptsFailuresAndRetriesMoveWhenAnEndpointAnswers503AndItsEjectionShows() throws Exception {
    Servers.status(bad, 503);
    try (LoadBalancedHttpClient client = builder().build()) {
      LoadBalancedHttpClientMetrics.of(client).bindTo(registry);
      assertThat(state("bad", "healthy")).isEqualTo(1);

      get(client, 40);

      assertThat(service("rota.http.client.requests").tag("outcome", "success").functionCounter().count())
          .isEqualTo(40);
      assertThat(service("rota.http.client.requests").tag("outcome", "failure").functionCounter().count()).isZero();
      FunctionTimer badAttempts = service("rota.http.client.attempts").tag("endpoint", "bad").functionTimer();
      FunctionTimer aAttempts = service("rota.http.client.attempts").tag("endpoint", "a").functionTimer();
      assertThat(badAttempts.count()).as("503s until ejected after 3 in a row").isEqualTo(3);
      assertThat(aAttempts.count()).isEqualTo(40);
      assertThat(aAttempts.totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(count("rota.http.client.attempt.failures", "bad")).isEqualTo(3);
      assertThat(count("rota.http.client.attempt.failures", "a")).isZero();
      assertThat(service("rota.http.client.retries").functionCounter().count()).as("each 503 retried on a")
          .isEqualTo(3);
      assertThat(service("rota.http.client.retries.refused").functionCounter().count()).isZero();
      assertThat(service("rota.http.client.retry.budget").gauge().value()).isPositive();

      // The pool's meters: the ejection and the calls of each endpoint.
      assertThat(state("bad", "ejected")).isEqualTo(1);
      assertThat(state("bad", "healthy")).isZero();
      assertThat(registry.get("rota.pool.endpoint.ejections").tag("pool", "orders").tag("endpoint", "bad")
          .functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("rota.pool.endpoint.calls").tag("pool", "orders").tag("endpoint", "bad")
          .tag("outcome", "failure").functionCounter().count()).isEqualTo(3);
      assertThat(registry.get("rota.pool.endpoint.effective.weight").tag("pool", "orders").tag("endpoint", "bad")
          .gauge().value()).isZero();
    }
  }

  @Test
  void refusedRetriesCountWhenTheBudgetIsEmpty() throws Exception {
    Servers.status(a, 503);
    Servers.status(bad, 503);
    try (LoadBalancedHttpClient client = builder()
        .retryBudget(RetryBudget.custom().retryRatio(0).minRetriesPerSecond(0).build()).build()) {
      LoadBalancedHttpClientMetrics.of(client).bindTo(registry);

      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> get(client, 1)).isInstanceOf(AllAttemptsFailedException.class);
      }

      assertThat(service("rota.http.client.requests").tag("outcome", "failure").functionCounter().count())
          .isEqualTo(2);
      assertThat(service("rota.http.client.retries.refused").functionCounter().count()).isEqualTo(2);
      assertThat(service("rota.http.client.retries").functionCounter().count()).isZero();
      assertThat(service("rota.http.client.retry.budget").gauge().value()).isZero();
    }
  }

  @Test
  void endpointMetersFollowMembership() throws Exception {
    try (LoadBalancedHttpClient client = builder().build()) {
      LoadBalancedHttpClientMetrics.of(client).bindTo(registry);

      client.addEndpoint(HttpEndpoint.of("c", Servers.base(c)));
      Servers.await(Duration.ofSeconds(10), () -> !meters("c").isEmpty(), "c's meters");
      get(client, 6);
      assertThat(service("rota.http.client.attempts").tag("endpoint", "c").functionTimer().count()).isEqualTo(2);

      client.removeEndpoint("c");
      Servers.await(Duration.ofSeconds(10), () -> meters("c").isEmpty(), "c's meters removed");
      assertThat(meters("a")).isNotEmpty();
    }
  }

  private List<Meter> meters(String endpoint) {
    return registry.getMeters().stream().filter(m -> endpoint.equals(m.getId().getTag("endpoint"))).toList();
  }
}
