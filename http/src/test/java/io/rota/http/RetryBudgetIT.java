package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointPoolConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every server fails: the retry budget caps the attempts the servers see, and each error lists its
 * attempts.
 */
class RetryBudgetIT {

  private static final int REQUESTS = 200;

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add(s -> Servers.status(s, 503));
  private static final WireMockServer b = servers.add(s -> Servers.status(s, 503));
  private static final WireMockServer c = servers.add(s -> Servers.status(s, 503));

  @ParameterizedTest
  @EnumSource(Load.class)
  void whenEveryServerFailsTheBudgetCapsTheAttempts(Load load) throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .endpoint("c", Servers.base(c))
        .retryPolicy(RetryPolicy.custom().maxAttempts(3).initialBackoffMillis(1).maxBackoffMillis(2).build())
        // 20% of the requests, plus a reserve of 1 per second over 60 s: at most 40 + 60 = 100 retries.
        .retryBudget(RetryBudget.custom().retryRatio(0.2).minRetriesPerSecond(1).ttl(Duration.ofSeconds(60)).build())
        // Panic mode keeps every server in rotation although all of them fail, so that only the
        // budget limits the attempts.
        .poolConfig(EndpointPoolConfig.custom().panicThresholdPercent(100).build())
        .build()) {
      List<HttpClientEvent.RetryBudgetChanged> budgetEvents = new CopyOnWriteArrayList<>();
      client.addListener(e -> {
        if (e instanceof HttpClientEvent.RetryBudgetChanged) {
          budgetEvents.add((HttpClientEvent.RetryBudgetChanged) e);
        }
      });

      List<Throwable> failures = load.run(client, REQUESTS, 8, () -> client.newRequest("/x").build());

      int attempts = Servers.count(a) + Servers.count(b) + Servers.count(c);
      int retries = attempts - REQUESTS;
      assertThat(failures).hasSize(REQUESTS);
      assertThat(retries).as("retries (without a budget: %s)", 2 * REQUESTS).isEqualTo(100);
      HttpClientSnapshot snapshot = client.snapshot();
      assertThat(snapshot.retries()).isEqualTo(retries);
      assertThat(snapshot.failedRequests()).isEqualTo(REQUESTS);
      assertThat(snapshot.retryBudget()).isLessThan(1);
      assertThat(budgetEvents).containsExactly(new HttpClientEvent.RetryBudgetChanged("api", true));

      int listed = 0;
      Set<AllAttemptsFailedException.Reason> reasons = new HashSet<>();
      for (Throwable f : failures) {
        assertThat(f).isInstanceOf(AllAttemptsFailedException.class);
        AllAttemptsFailedException e = (AllAttemptsFailedException) f;
        reasons.add(e.reason());
        listed += e.attempts().size();
        assertThat(e.attempts()).allSatisfy(at -> {
          assertThat(at.status()).isEqualTo(503);
          assertThat(at.error()).isNull();
        });
        assertThat(e.attempts().stream().map(Attempt::endpointId).distinct().count())
            .as("distinct endpoints of %s", e.attempts()).isEqualTo(e.attempts().size());
        assertThat(e.lastResponse()).isNotNull();
        assertThat(e.lastResponse().statusCode()).isEqualTo(503);
        assertThat(e.getMessage()).startsWith("GET /x to service 'api' failed after " + e.attempts().size() + " attempt");
        for (Attempt at : e.attempts()) {
          assertThat(e.getMessage()).contains(at.endpointId() + ": status 503");
        }
        if (e.reason() == AllAttemptsFailedException.Reason.MAX_ATTEMPTS) {
          assertThat(e.attempts()).hasSize(3);
          assertThat(e.getMessage()).contains("(max attempts: 3)");
        } else {
          assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.RETRY_BUDGET_EXHAUSTED);
          assertThat(e.getMessage()).contains("(retry budget exhausted)");
        }
      }
      assertThat(listed).as("attempts listed by the errors").isEqualTo(attempts);
      assertThat(snapshot.retriesRefused()).as("one refusal per request stopped by the budget")
          .isEqualTo(failures.stream().filter(f -> ((AllAttemptsFailedException) f).reason()
              == AllAttemptsFailedException.Reason.RETRY_BUDGET_EXHAUSTED).count());
      assertThat(reasons).contains(AllAttemptsFailedException.Reason.MAX_ATTEMPTS,
          AllAttemptsFailedException.Reason.RETRY_BUDGET_EXHAUSTED);
    }
  }
}
