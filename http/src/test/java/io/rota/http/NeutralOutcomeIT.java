package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointSnapshot;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which attempt outcomes count for an endpoint's health: a timeout the endpoint caused is its
 * failure; a timeout cut short by the caller's own deadline, an interrupted attempt, and a 4xx are
 * not failures (the first two are neutral, a 4xx is a success).
 */
class NeutralOutcomeIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add(s -> Servers.delay(s, Duration.ofMillis(1500)));
  private static final WireMockServer b = servers.add(s -> Servers.delay(s, Duration.ofMillis(1500)));
  private static final WireMockServer missing = servers.add(s -> Servers.status(s, 404));
  private static final WireMockServer ok = servers.add();
  private static final WireMockServer ok2 = servers.add();

  private static EndpointSnapshot endpoint(LoadBalancedHttpClient client, String id) {
    return client.snapshot().pool().endpoint(id);
  }

  private static void assertNeutral(EndpointSnapshot e) {
    assertThat(e.inFlight()).as("%s in flight", e.id()).isZero();
    assertThat(e.successes()).as("%s successes", e.id()).isZero();
    assertThat(e.failures()).as("%s failures", e.id()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Load.class)
  void aTimeoutCutShortByTheDeadlineIsNeutralAFullOneIsTheEndpointsFailure(Load load) throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .retryPolicy(RetryPolicy.custom().initialBackoffMillis(1).maxBackoffMillis(1).build())
        // The first attempt gets its full 300 ms; the retry only what the 550 ms deadline leaves.
        .perAttemptTimeoutMillis(300)
        .deadlineMillis(550)
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(100).build())
        .build()) {

      Throwable thrown = catchThrowable(() -> load.send(client, client.newRequest("/slow").build()));

      assertThat(thrown).isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
        assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.DEADLINE_EXCEEDED);
        assertThat(e.attempts()).hasSize(2).allSatisfy(at -> assertThat(at.error()).isInstanceOf(HttpTimeoutException.class));
        String full = e.attempts().get(0).endpointId();
        String cut = e.attempts().get(1).endpointId();
        assertThat(endpoint(client, full).failures()).as("full timeout at %s", full).isEqualTo(1);
        assertThat(client.snapshot().endpoint(full).failures()).isEqualTo(1);
        assertNeutral(endpoint(client, cut));
        assertThat(client.snapshot().endpoint(cut).failures()).as("client's failure count of %s", cut).isZero();
      });
    }
  }

  @Test
  void anInterruptedSendIsNeutral() throws Exception {
    try (RawServer held = RawServer.holding();
        LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api").endpoint("held", held.base()).build()) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread caller = new Thread(() ->
          thrown.set(catchThrowable(() -> client.send(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString()))));
      caller.start();
      assertThat(held.received.await(5, TimeUnit.SECONDS)).isTrue();

      caller.interrupt();
      caller.join(5_000);

      assertThat(caller.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
      assertThat(held.closedByClient.await(5, TimeUnit.SECONDS)).as("the exchange was aborted").isTrue();
      assertNeutral(endpoint(client, "held"));
      assertThat(held.requests()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Load.class)
  void a4xxIsReturnedNotResentAndASuccessForHealth(Load load) throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("missing", Servers.base(missing))
        .build()) {

      HttpResponse<String> response = load.send(client, client.newRequest("/nothing").build());

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(Servers.count(missing)).isEqualTo(1);
      EndpointSnapshot e = endpoint(client, "missing");
      assertThat(e.successes()).isEqualTo(1);
      assertThat(e.failures()).isZero();
      assertThat(client.snapshot().failedRequests()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Load.class)
  void aBodyHandlersErrorIsNeutralAndNotRetried(Load load) throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("ok", Servers.base(ok))
        .endpoint("ok2", Servers.base(ok2))
        .build()) {
      HttpResponse.BodyHandler<String> broken = info -> {
        throw new IllegalStateException("handler bug");
      };

      Throwable thrown = catchThrowable(() -> {
        if (load == Load.SYNC) {
          client.send(client.newRequest("/x").build(), broken);
        } else {
          client.sendAsync(client.newRequest("/x").build(), broken).get(10, TimeUnit.SECONDS);
        }
      });

      assertThat(thrown).hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("handler bug");
      assertThat(Servers.count(ok) + Servers.count(ok2)).as("requests sent").isEqualTo(1);
      assertNeutral(endpoint(client, "ok"));
      assertNeutral(endpoint(client, "ok2"));
    }
  }
}
