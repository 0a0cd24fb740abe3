package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointPoolConfig;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Per-attempt timeouts and the overall deadline, against servers that answer too late. */
class DeadlineIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add(s -> Servers.delay(s, Duration.ofMillis(1500)));
  private static final WireMockServer b = servers.add(s -> Servers.delay(s, Duration.ofMillis(1500)));

  @ParameterizedTest
  @EnumSource(Load.class)
  void theDeadlineStopsRetriesAndCutsTheLastAttempt(Load load) throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .retryPolicy(RetryPolicy.custom().maxAttempts(10).initialBackoffMillis(10).maxBackoffMillis(10).build())
        .perAttemptTimeoutMillis(300)
        .deadlineMillis(800)
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(100).build())
        .build()) {
      long start = System.nanoTime();

      Throwable thrown = catchThrowable(() -> load.send(client, client.newRequest("/slow").build()));

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(thrown).isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
        assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.DEADLINE_EXCEEDED);
        assertThat(e.getMessage()).contains("deadline of PT0.8S");
        assertThat(e.attempts()).hasSizeBetween(2, 4).allSatisfy(at -> {
          assertThat(at.error()).isInstanceOf(HttpTimeoutException.class);
          assertThat(at.elapsed()).isLessThan(Duration.ofMillis(600));
        });
        // Full attempts of 300 ms (two, unless the machine stalls), then one cut to what the
        // deadline leaves.
        assertThat(e.attempts().get(0).elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(e.attempts().get(e.attempts().size() - 1).elapsed()).isLessThan(Duration.ofMillis(290));
      });
      assertThat(took).isBetween(Duration.ofMillis(790), Duration.ofMillis(1500));
    }
  }

  @ParameterizedTest
  @EnumSource(Load.class)
  void aShorterTimeoutOnTheRequestWins(Load load) throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .retryPolicy(RetryPolicy.noRetries())
        .perAttemptTimeoutMillis(5_000)
        .build()) {

      Throwable thrown = catchThrowable(() -> load.send(client, client.newRequest("/slow").timeout(Duration.ofMillis(150)).build()));

      assertThat(thrown).isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
        assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
        assertThat(e.attempts()).singleElement().satisfies(at -> assertThat(at.elapsed()).isLessThan(Duration.ofSeconds(1)));
        assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.MAX_ATTEMPTS);
      });
    }
  }
}
