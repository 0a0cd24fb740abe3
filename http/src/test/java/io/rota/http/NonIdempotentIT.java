package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.rota.core.EndpointPoolConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A POST is resent only when it certainly never reached a server; every POST is counted at every
 * server.
 */
class NonIdempotentIT {

  /** How the bad server fails a POST that reached it. */
  enum Failure {
    CONNECTION_RESET(s -> Servers.fault(s, Fault.CONNECTION_RESET_BY_PEER)),
    STATUS_503(s -> Servers.status(s, 503)),
    ANSWERS_PAST_TIMEOUT(s -> Servers.delay(s, Duration.ofMillis(3000)));

    final Consumer<WireMockServer> apply;

    Failure(Consumer<WireMockServer> apply) {
      this.apply = apply;
    }
  }

  private static final int POSTS = 60;

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer bad = servers.add();
  private static final WireMockServer b = servers.add();
  private static final WireMockServer c = servers.add();

  private static LoadBalancedHttpClient client(URI badBase) {
    return LoadBalancedHttpClient.builder("orders")
        .endpoint("bad", badBase)
        .endpoint("b", Servers.base(b))
        .endpoint("c", Servers.base(c))
        // Far above what a healthy WireMock needs on a loaded 2-core machine, far below the bad delay.
        .perAttemptTimeoutMillis(1000)
        // Keep the bad endpoint in rotation for the whole run: every third POST goes to it.
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(1_000).failureRateThreshold(100)
            .slidingWindowSize(1_000).minimumNumberOfCalls(1_000).build())
        .build();
  }

  private static HttpRequest post(LoadBalancedHttpClient client) {
    return client.newRequest("/orders").POST(HttpRequest.BodyPublishers.ofString("{\"item\":42}")).build();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Failure.class)
  void aPostThatReachedAFailingServerIsNotResent(Failure failure) throws Exception {
    for (Load load : Load.values()) {
      servers.reset();
      failure.apply.accept(bad);
      try (LoadBalancedHttpClient client = client(Servers.base(bad))) {

        List<Throwable> failures = load.run(client, POSTS, 4, () -> post(client));

        int atBad = Servers.count(bad, postRequestedFor(urlPathEqualTo("/orders")));
        int atGood = Servers.count(b, postRequestedFor(urlPathEqualTo("/orders")))
            + Servers.count(c, postRequestedFor(urlPathEqualTo("/orders")));
        assertThat(atBad).as("%s: POSTs at the bad server", load).isEqualTo(POSTS / 3);
        assertThat(failures).as("%s: failed POSTs", load).hasSize(atBad);
        assertThat(atGood).as("%s: POSTs at the good servers", load).isEqualTo(POSTS - atBad);
        assertThat(failures).allSatisfy(f -> assertThat(f).isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
          assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.NOT_RETRYABLE);
          assertThat(e.attempts()).hasSize(1);
          assertThat(e.attempts().get(0).endpointId()).isEqualTo("bad");
          assertThat(e.getMessage()).startsWith("POST /orders to service 'orders' failed after 1 attempt (not retried:");
        }));
        assertThat(client.snapshot().retries()).isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Load.class)
  void aPostRefusedAtConnectGoesToAnotherServer(Load load) throws Exception {
    URI down = URI.create("http://127.0.0.1:" + Servers.closedPort());
    try (LoadBalancedHttpClient client = client(down)) {

      List<Throwable> failures = load.run(client, POSTS, 4, () -> post(client));

      assertThat(failures).isEmpty();
      assertThat(Servers.count(b, postRequestedFor(urlPathEqualTo("/orders")).withRequestBody(equalTo("{\"item\":42}")))
          + Servers.count(c, postRequestedFor(urlPathEqualTo("/orders")).withRequestBody(equalTo("{\"item\":42}"))))
          .isEqualTo(POSTS);
      // Each POST refused at connect was sent once more, to another server, where it succeeded.
      HttpClientSnapshot snapshot = client.snapshot();
      assertThat(snapshot.endpoint("bad").failures()).isEqualTo(POSTS / 3);
      assertThat(snapshot.retries()).isEqualTo(POSTS / 3);
      assertThat(snapshot.endpoint("b").failures() + snapshot.endpoint("c").failures()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Load.class)
  void aPostMarkedIdempotentIsRetriedOnAnotherServer(Load load) throws Exception {
    Servers.status(bad, 503);
    try (LoadBalancedHttpClient client = client(Servers.base(bad))) {

      List<Throwable> failures = load.run(client, POSTS, 4, () -> LoadBalancedHttpClient.idempotent(post(client)));

      assertThat(failures).isEmpty();
      int atBad = Servers.count(bad, postRequestedFor(urlPathEqualTo("/orders")));
      assertThat(atBad).isEqualTo(POSTS / 3);
      assertThat(Servers.count(b) + Servers.count(c)).isEqualTo(POSTS);
      assertThat(client.snapshot().retries()).isEqualTo(atBad);
    }
  }
}
