package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointState;
import io.rota.core.event.PoolEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The active health check takes a server out before any request fails on it, and brings it back. */
class ActiveHealthCheckIT {

  @RegisterExtension
  final ServerGroup servers = ServerGroup.perTest();
  private final WireMockServer a = servers.add();
  private final WireMockServer b = servers.add();
  private final WireMockServer sick = servers.add();

  @Test
  void theHealthCheckTakesAServerOutBeforeAnyRequestFailsOnItAndBringsItBack() throws Exception {
    List<PoolEvent> events = new CopyOnWriteArrayList<>();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .endpoint("sick", Servers.base(sick))
        .health(h -> h.check("/health").intervalMillis(50).timeoutMillis(500).rise(2).fall(2))
        .build()) {
      client.addListener(e -> {
        if (e instanceof HttpClientEvent.PoolChanged) {
          events.add(((HttpClientEvent.PoolChanged) e).event());
        }
      });
      Servers.await(Duration.ofSeconds(5), () -> Servers.count(sick, getRequestedFor(urlPathEqualTo("/health"))) >= 2,
          "health checks to run");

      // The server says it is unhealthy, and would fail requests too.
      Servers.status(sick, 503);
      Servers.await(Duration.ofSeconds(5), () -> client.snapshot().pool().endpoint("sick").state() == EndpointState.DOWN,
          "the health check to take the server out");
      assertThat(Servers.count(sick, getRequestedFor(urlPathEqualTo("/api")))).isZero();

      assertThat(Load.SYNC.run(client, 300, 4, () -> client.newRequest("/api").build())).isEmpty();
      assertThat(Servers.count(sick, getRequestedFor(urlPathEqualTo("/api")))).as("requests at the down server").isZero();
      HttpClientSnapshot down = client.snapshot();
      assertThat(down.retries()).isZero();
      assertThat(down.endpoint("sick").requests()).isZero();
      assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PoolEvent.StateChanged.class, s -> {
        assertThat(s.endpointId()).isEqualTo("sick");
        assertThat(s.to()).isEqualTo(EndpointState.DOWN);
        assertThat(s.cause()).contains("status 503 (expected 200)");
      }));

      // It recovers: two passed checks bring it back, and it takes its share again.
      Servers.healthy(sick);
      Servers.await(Duration.ofSeconds(5), () -> client.snapshot().pool().endpoint("sick").state() == EndpointState.HEALTHY,
          "the health check to bring the server back");
      assertThat(Load.SYNC.run(client, 300, 4, () -> client.newRequest("/api").build())).isEmpty();
      assertThat(Servers.count(sick, getRequestedFor(urlPathEqualTo("/api")))).isEqualTo(100);
    }
  }

  @Test
  void theHealthCheckExpectsTheConfiguredStatus() throws Exception {
    a.stubFor(get(urlPathEqualTo("/ready")).willReturn(aResponse().withStatus(204)));
    sick.stubFor(get(urlPathEqualTo("/ready")).willReturn(aResponse().withStatus(200)));
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("sick", Servers.base(sick))
        .endpoint("a", Servers.base(a))
        .health(h -> h.check("/ready").expectedStatus(204).intervalMillis(50).fall(1))
        .build()) {
      Servers.await(Duration.ofSeconds(5), () -> client.snapshot().pool().endpoint("sick").state() == EndpointState.DOWN,
          "200 to fail a check that expects 204");
      // The checks of the two endpoints run independently: wait for a's, then it must have passed.
      Servers.await(Duration.ofSeconds(5), () -> Servers.count(a, getRequestedFor(urlPathEqualTo("/ready"))) > 0,
          "a checked at least once");
      assertThat(client.snapshot().pool().endpoint("a").state()).isEqualTo(EndpointState.HEALTHY);
    }
  }
}
