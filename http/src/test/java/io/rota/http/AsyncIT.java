package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.rota.core.EndpointPoolConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The asynchronous path: same counts as the synchronous one under concurrency, cancel, close. */
class AsyncIT {

  private static final int GETS = 900;
  private static final int POSTS = 300;

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add();
  private static final WireMockServer b = servers.add();
  private static final WireMockServer bad = servers.add();

  /** What one run of the mixed workload left at the servers and in the client. */
  record Counts(int getsAtBad, int getsAtGood, int postsAtBad, int postsAtGood, long failedRequests,
      long retries, long failedPosts) {}

  private static Counts runMixedWorkload(Load load) throws Exception {
    for (WireMockServer s : List.of(a, b, bad)) {
      s.resetRequests();
    }
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .endpoint("bad", Servers.base(bad))
        // The bad server stays in rotation: the counts then depend on the client, not on timing.
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(10_000).slidingWindowSize(10_000)
            .minimumNumberOfCalls(10_000).halfOpenTrialCalls(1).build())
        .retryPolicy(RetryPolicy.custom().initialBackoffMillis(1).maxBackoffMillis(1).build())
        .retryBudget(RetryBudget.custom().retryRatio(1.0).build())
        .build()) {
      AtomicInteger n = new AtomicInteger();
      List<Throwable> failures = load.run(client, GETS + POSTS, load == Load.SYNC ? 8 : 64, () ->
          n.getAndIncrement() % 4 == 3
              ? client.newRequest("/orders").POST(HttpRequest.BodyPublishers.ofString("{}")).build()
              : client.newRequest("/orders").build());
      long failedPosts = failures.stream()
          .filter(f -> f instanceof AllAttemptsFailedException
              && ((AllAttemptsFailedException) f).attempts().get(0).endpointId().equals("bad"))
          .count();
      HttpClientSnapshot s = client.snapshot();
      return new Counts(
          Servers.count(bad, getRequestedFor(urlPathEqualTo("/orders"))),
          Servers.count(a, getRequestedFor(urlPathEqualTo("/orders"))) + Servers.count(b, getRequestedFor(urlPathEqualTo("/orders"))),
          Servers.count(bad, postRequestedFor(urlPathEqualTo("/orders"))),
          Servers.count(a, postRequestedFor(urlPathEqualTo("/orders"))) + Servers.count(b, postRequestedFor(urlPathEqualTo("/orders"))),
          s.failedRequests(), s.retries(), failedPosts);
    }
  }

  @Test
  void underConcurrencyTheAsyncPathGivesTheSameCountsAsTheSyncPath() throws Exception {
    // GETs get 503 (JDK 17's HttpClient itself resends a GET once when the connection is reset
    // before any response byte, which would double the server's count); POSTs get a reset.
    bad.resetMappings();
    bad.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(503)));
    bad.stubFor(post(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    Map<Load, Counts> counts = new EnumMap<>(Load.class);
    for (Load load : Load.values()) {
      counts.put(load, runMixedWorkload(load));
    }

    for (Load load : Load.values()) {
      Counts c = counts.get(load);
      // First attempts follow the rotation exactly (retries do not take turns from it): a third
      // of the requests reach the bad server first.
      assertThat(c.getsAtBad() + c.postsAtBad()).as("%s first attempts at the bad server", load)
          .isEqualTo((GETS + POSTS) / 3);
      // GETs: every one refused with 503 by the bad server is retried once, on a good server.
      assertThat(c.getsAtGood()).as("%s GETs at good servers", load).isEqualTo(GETS);
      assertThat(c.retries()).as("%s retries", load).isEqualTo(c.getsAtBad());
      // POSTs: the ones that reached the bad server fail and are not resent.
      assertThat(c.postsAtBad() + c.postsAtGood()).as("%s POSTs at all servers", load).isEqualTo(POSTS);
      assertThat(c.failedPosts()).as("%s failed POSTs", load).isEqualTo(c.postsAtBad());
      assertThat(c.failedRequests()).as("%s failed requests", load).isEqualTo(c.postsAtBad());
    }
    Counts sync = counts.get(Load.SYNC);
    Counts async = counts.get(Load.ASYNC);
    assertThat(async.getsAtBad() + async.postsAtBad()).isEqualTo(sync.getsAtBad() + sync.postsAtBad());
    assertThat(async.getsAtGood()).isEqualTo(sync.getsAtGood());
  }

  @Test
  void cancellingTheFutureStopsFurtherAttempts() throws Exception {
    Servers.status(a, 503);
    Servers.status(b, 503);
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .retryPolicy(RetryPolicy.custom().maxAttempts(5).initialBackoffMillis(300).jitter(0).build())
        .build()) {

      CompletableFuture<HttpResponse<String>> future =
          client.sendAsync(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString());
      Servers.await(Duration.ofSeconds(5), () -> Servers.count(a) + Servers.count(b) == 1, "the first attempt");
      future.cancel(true);

      Servers.await(Duration.ofSeconds(5), () -> client.snapshot().failedRequests() == 1, "the call to end");
      assertThat(Servers.count(a) + Servers.count(b)).as("attempts after the cancel").isEqualTo(1);
    }
  }

  @Test
  void closingTheClientEndsRequestsWaitingToRetry() throws Exception {
    Servers.status(a, 503);
    LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .retryPolicy(RetryPolicy.custom().initialBackoffMillis(300).jitter(0).build())
        .build();

    CompletableFuture<HttpResponse<String>> future =
        client.sendAsync(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString());
    Servers.await(Duration.ofSeconds(5), () -> Servers.count(a) == 1, "the first attempt");
    client.close();

    try {
      future.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected the request to fail");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOfSatisfying(AllAttemptsFailedException.class, f -> {
        assertThat(f.reason()).isEqualTo(AllAttemptsFailedException.Reason.CANCELLED);
        assertThat(f.attempts()).hasSize(1);
        assertThat(f.getMessage()).contains("client closed");
      });
    }
    assertThat(Servers.count(a)).isEqualTo(1);
  }
}
