package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointSnapshot;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cancelling the future of {@code sendAsync} aborts the exchange in flight and any retry not yet
 * sent, and leaves the endpoint's health as it was.
 */
class AsyncCancelIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer unavailable = servers.add(s -> Servers.status(s, 503));
  private static final WireMockServer healthy = servers.add();
  private static final WireMockServer slow = servers.add(s -> Servers.delay(s, Duration.ofMillis(20)));

  private static void assertUntouched(EndpointSnapshot endpoint, long failures) {
    assertThat(endpoint.inFlight()).as("%s in flight", endpoint.id()).isZero();
    assertThat(endpoint.successes()).as("%s successes", endpoint.id()).isZero();
    assertThat(endpoint.failures()).as("%s failures", endpoint.id()).isEqualTo(failures);
  }

  @ParameterizedTest(name = "mayInterruptIfRunning={0}")
  @ValueSource(booleans = {false, true})
  void cancellingAbortsTheExchangeInFlightAndTheOutcomeIsNeutral(boolean mayInterrupt) throws Exception {
    try (RawServer held = RawServer.holding();
        LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
            .endpoint("held", held.base())
            .backupEndpoint("healthy", Servers.base(healthy))
            .build()) {
      CompletableFuture<HttpResponse<String>> future =
          client.sendAsync(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(held.received.await(5, TimeUnit.SECONDS)).as("the request reached the server").isTrue();

      assertThat(future.cancel(mayInterrupt)).isTrue();

      assertThat(held.closedByClient.await(5, TimeUnit.SECONDS)).as("the client closed the connection").isTrue();
      // The call ends (on the cancelling thread, or on the JDK's when its exchange completed at the
      // same moment); once it has, no retry can follow.
      Servers.await(Duration.ofSeconds(5), () -> client.snapshot().failedRequests() == 1, "the call to end");
      assertThat(held.requests()).isEqualTo(1);
      assertThat(Servers.count(healthy)).as("requests after the cancel").isZero();
      assertUntouched(client.snapshot().pool().endpoint("held"), 0);
    }
  }

  @Test
  void cancellingDuringTheBackOffSendsNoRetry() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("unavailable", Servers.base(unavailable))
        .backupEndpoint("healthy", Servers.base(healthy))
        .retryPolicy(RetryPolicy.custom().initialBackoffMillis(200).jitter(0).build())
        .build()) {
      CountDownLatch waitingToRetry = new CountDownLatch(1);
      client.addListener(e -> {
        if (e instanceof HttpClientEvent.AttemptFailed && ((HttpClientEvent.AttemptFailed) e).retrying()) {
          waitingToRetry.countDown();
        }
      });
      CompletableFuture<HttpResponse<String>> future =
          client.sendAsync(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(waitingToRetry.await(5, TimeUnit.SECONDS)).isTrue();

      future.cancel(false);

      // The retry, when due, sees the cancel and ends the call without sending.
      Servers.await(Duration.ofSeconds(5), () -> client.snapshot().failedRequests() == 1, "the call to end");
      assertThat(Servers.count(unavailable)).isEqualTo(1);
      assertThat(Servers.count(healthy)).as("requests after the cancel").isZero();
      assertUntouched(client.snapshot().pool().endpoint("unavailable"), 1);
      assertUntouched(client.snapshot().pool().endpoint("healthy"), 0);
    }
  }

  @Test
  void cancelsRacingEveryPhaseOfCallsLeaveNoLeaseOpen() throws Exception {
    int threads = 8;
    int perThread = 40;
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("unavailable", Servers.base(unavailable))
        .endpoint("slow", Servers.base(slow))
        .retryPolicy(RetryPolicy.custom().initialBackoffMillis(1).maxBackoffMillis(2).build())
        .retryBudget(RetryBudget.custom().retryRatio(1.0).build())
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(10_000).slidingWindowSize(10_000)
            .minimumNumberOfCalls(10_000).build())
        .build()) {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<HttpResponse<String>>> futures = Collections.synchronizedList(new ArrayList<>());
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread thread = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < perThread; i++) {
            CompletableFuture<HttpResponse<String>> f =
                client.sendAsync(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString());
            futures.add(f);
            // Cancel at once or after a spin of up to ~1 ms: cancels meet every phase of a call
            // (picking, first attempt in flight, back-off, retry in flight, done).
            for (int spin = ThreadLocalRandom.current().nextInt(50_000); spin > 0; spin--) {
              Thread.onSpinWait();
            }
            f.cancel(ThreadLocalRandom.current().nextBoolean());
          }
        });
        senders.add(thread);
        thread.start();
      }
      start.countDown();
      for (Thread thread : senders) {
        thread.join(30_000);
      }
      assertThat(futures).hasSize(threads * perThread).allSatisfy(f -> assertThat(f).isDone());
      long notServed = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      assertThat(notServed).as("cancelled calls").isPositive();

      // A call counts as failed once, at its very end; then no attempt of it is left to start.
      Servers.await(Duration.ofSeconds(10), () -> client.snapshot().failedRequests() == notServed, "every call to end");
      for (EndpointSnapshot e : client.snapshot().pool().endpoints()) {
        assertThat(e.inFlight()).as("%s in flight", e.id()).isZero();
      }
    }
  }
}
