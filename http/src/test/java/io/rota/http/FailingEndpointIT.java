package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointState;
import io.rota.core.event.PoolEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One of three real servers misbehaves while 8 threads send GETs: no request fails, the server is
 * ejected, and it takes traffic again once it recovers.
 */
class FailingEndpointIT {

  /** How the bad server misbehaves. */
  enum Misbehaviour {
    STATUS_503(s -> Servers.status(s, 503)),
    CONNECTION_RESET(s -> Servers.fault(s, Fault.CONNECTION_RESET_BY_PEER)),
    EMPTY_RESPONSE(s -> Servers.fault(s, Fault.EMPTY_RESPONSE)),
    MALFORMED_RESPONSE(s -> Servers.fault(s, Fault.MALFORMED_RESPONSE_CHUNK)),
    ANSWERS_PAST_TIMEOUT(s -> Servers.delay(s, Duration.ofMillis(4000)));

    final Consumer<WireMockServer> apply;

    Misbehaviour(Consumer<WireMockServer> apply) {
      this.apply = apply;
    }
  }

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add();
  private static final WireMockServer b = servers.add();
  private static final WireMockServer bad = servers.add();

  @ParameterizedTest
  @EnumSource(Misbehaviour.class)
  void aMisbehavingServerCostsNoFailedGetIsEjectedAndComesBack(Misbehaviour misbehaviour) throws Exception {
    List<PoolEvent> events = new CopyOnWriteArrayList<>();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .endpoint("bad", Servers.base(bad))
        // Far above what a healthy WireMock needs on a loaded 2-core machine, far below the bad delay.
        .perAttemptTimeoutMillis(1000)
        .poolConfig(EndpointPoolConfig.custom()
            .consecutiveFailures(3)
            .ejectionTimeMillis(500)
            .maxEjectionTimeMillis(1000)
            .halfOpenTrialCalls(2)
            .build())
        .build()) {
      client.addListener(e -> {
        if (e instanceof HttpClientEvent.PoolChanged) {
          events.add(((HttpClientEvent.PoolChanged) e).event());
        }
      });
      misbehaviour.apply.accept(bad);

      List<Throwable> failures = Load.SYNC.run(client, 800, 8, () -> client.newRequest("/items").build());

      assertThat(failures).as("failed requests").isEmpty();
      assertThat(Servers.count(bad)).as("requests the bad server saw").isPositive();
      assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PoolEvent.StateChanged.class, s -> {
        assertThat(s.endpointId()).isEqualTo("bad");
        assertThat(s.to()).isEqualTo(EndpointState.EJECTED);
      }));
      HttpClientSnapshot during = client.snapshot();
      assertThat(during.failedRequests()).isZero();
      assertThat(during.retries()).isPositive();
      assertThat(during.endpoint("bad").failures()).isPositive();
      assertThat(during.endpoint("a").failures()).isZero();
      assertThat(during.endpoint("b").failures()).isZero();

      // The server recovers: trial calls after its ejection succeed and it is healthy again.
      Servers.healthy(bad);
      int before = Servers.count(bad, getRequestedFor(urlPathEqualTo("/items")));
      Servers.await(Duration.ofSeconds(10), () -> {
        try {
          client.send(client.newRequest("/items").build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
          throw new AssertionError("request failed while the bad server recovers", e);
        }
        return client.snapshot().pool().endpoint("bad").state() == EndpointState.HEALTHY
            && Servers.count(bad, getRequestedFor(urlPathEqualTo("/items"))) > before;
      }, "the recovered server to be healthy and take requests");

      List<Throwable> after = Load.SYNC.run(client, 300, 4, () -> client.newRequest("/items").build());
      assertThat(after).isEmpty();
      assertThat(client.snapshot().pool().endpoint("bad").state()).isEqualTo(EndpointState.HEALTHY);
    }
  }
}
