package io.rota.examples.demo.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rota.core.EndpointState;
import io.rota.core.Tier;
import io.rota.examples.demo.http.Backends.Mode;
import io.rota.http.AllAttemptsFailedException;
import io.rota.http.HttpClientSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pricing client over real backends, through each fault of the demo. */
class PricingServiceIT {

  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final List<String> PRIMARIES = List.of(Backends.A, Backends.B, Backends.C);

  private Backends backends;
  private PricingService pricing;
  private int sku;
  private int quoteId;

  @BeforeEach
  void start() {
    backends = Backends.start(line -> { });
    pricing = PricingService.over(backends);
  }

  @AfterEach
  void stop() {
    if (pricing != null) {
      pricing.close();
    }
    if (backends != null) {
      backends.close();
    }
  }

  private String price() throws IOException, InterruptedException {
    String body = pricing.price("sku-" + (sku++ % 50));
    assertThat(body).startsWith("{\"backend\":");
    return body;
  }

  private EndpointState state(String id) {
    return pricing.client().snapshot().pool().endpoint(id).state();
  }

  private Map<String, Long> requestsPerEndpoint() {
    Map<String, Long> map = new LinkedHashMap<>();
    for (HttpClientSnapshot.EndpointStats e : pricing.client().snapshot().endpoints()) {
      map.put(e.id(), e.requests());
    }
    return map;
  }

  /** Returns what each endpoint got during {@code n} GETs that all succeeded. */
  private Map<String, Long> priceMany(int n) throws Exception {
    Map<String, Long> before = requestsPerEndpoint();
    for (int i = 0; i < n; i++) {
      price();
    }
    Map<String, Long> delta = new LinkedHashMap<>();
    requestsPerEndpoint().forEach((id, after) -> delta.put(id, after - before.getOrDefault(id, 0L)));
    return delta;
  }

  @Test
  void getsSurviveABackendAnswering503ThenResettingAndItIsTakenOut() throws Exception {
    backends.setMode(Backends.B, Mode.ERROR_503);

    // Every GET succeeds: an attempt that gets b's 503 is retried on a or c.
    Await.until(PATIENCE, "b out after its 503s", this::price, () -> !state(Backends.B).isAvailable());
    priceMany(100);
    HttpClientSnapshot s = pricing.client().snapshot();
    assertThat(s.failedRequests()).isZero();
    assertThat(s.endpoint(Backends.B).failures()).isGreaterThanOrEqualTo(1);
    assertThat(s.retries()).isEqualTo(s.endpoint(Backends.B).failures());
    assertThat(backends.received(Backends.B, Backends.PRICE_PATH)).isEqualTo(s.endpoint(Backends.B).requests());

    // Back to OK: passing checks bring it back; then resets.
    backends.setMode(Backends.B, Mode.OK);
    Await.until(PATIENCE, "b healthy again", () -> state(Backends.B) == EndpointState.HEALTHY);
    backends.resetCounts();
    backends.setMode(Backends.B, Mode.RESET);

    List<AllAttemptsFailedException> failedPosts = new ArrayList<>();
    int[] step = {0};
    long failedBefore = pricing.client().snapshot().failedRequests();
    // GETs and POSTs mixed (two POSTs every third step, so that b's turns meet both), until b is out.
    Await.until(PATIENCE, "b out after its resets", () -> {
      price();
      for (int i = 0; i < (step[0]++ % 3 == 0 ? 2 : 1); i++) {
        try {
          pricing.quote("q-" + quoteId++);
        } catch (AllAttemptsFailedException e) {
          failedPosts.add(e);
        }
      }
    }, () -> !state(Backends.B).isAvailable());
    int posts = quoteId;
    priceMany(100);

    assertThat(pricing.client().snapshot().failedRequests()).as("failed requests, all POSTs")
        .isEqualTo(failedBefore + failedPosts.size());
    // A POST that reached b failed with b's reset, was reported as failed and not resent.
    assertThat(failedPosts).isNotEmpty().allSatisfy(e -> {
      assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.NOT_RETRYABLE);
      assertThat(e.attempts()).hasSize(1);
      assertThat(e.attempts().get(0).endpointId()).isEqualTo(Backends.B);
    });
    assertThat(backends.received(Backends.B, Backends.QUOTE_PATH)).isEqualTo(failedPosts.size());
    assertThat(backends.duplicatePosts()).isEmpty();
    long postsReceived = 0;
    for (Backends.Backend b : backends.backends()) {
      postsReceived += backends.received(b.id(), Backends.QUOTE_PATH);
    }
    assertThat(postsReceived).as("every POST reached exactly one backend").isEqualTo(posts);
  }

  @Test
  void withEveryPrimaryDownTheBackupServesThenHandsBack() throws Exception {
    for (String id : PRIMARIES) {
      backends.setMode(id, Mode.DOWN);
    }

    // Refused connections are retried elsewhere, POSTs included; soon the backup serves alone.
    Await.until(PATIENCE, "the backup serving", () -> {
      try {
        price();
        pricing.quote("q-" + quoteId++);
      } catch (AllAttemptsFailedException e) {
        // Early requests may try a, b and c, all refused, before they are out.
      }
    }, () -> pricing.client().snapshot().pool().servingTier() == Tier.BACKUP);
    Map<String, Long> down = priceMany(60);
    assertThat(down).containsEntry(Backends.BACKUP, 60L).containsEntry(Backends.A, 0L)
        .containsEntry(Backends.B, 0L).containsEntry(Backends.C, 0L);

    for (String id : PRIMARIES) {
      backends.setMode(id, Mode.OK);
    }
    Await.until(PATIENCE, "a, b and c healthy and serving", this::price,
        () -> pricing.client().snapshot().pool().servingTier() == Tier.PRIMARY
            && PRIMARIES.stream().allMatch(id -> state(id) == EndpointState.HEALTHY));
    Map<String, Long> back = priceMany(60);
    assertThat(back).containsEntry(Backends.BACKUP, 0L);
    assertThat(back.get(Backends.A) + back.get(Backends.B) + back.get(Backends.C)).isEqualTo(60);
    // POSTs refused at connect went once more, elsewhere: none reached a server twice.
    assertThat(backends.duplicatePosts()).isEmpty();
  }

  @Test
  void aWeightChangedAtRunTimeMovesTheShare() throws Exception {
    Map<String, Long> before = priceMany(600);
    pricing.client().setWeight(Backends.A, 10);
    Map<String, Long> after = priceMany(600);

    // a 5 of 10, then 10 of 15.
    assertThat(before.get(Backends.A) / 600.0).isCloseTo(0.5, within(0.03));
    assertThat(after.get(Backends.A) / 600.0).isCloseTo(10 / 15.0, within(0.03));
    assertThat(after.get(Backends.B) / 600.0).isCloseTo(3 / 15.0, within(0.03));
    assertThat(before.get(Backends.BACKUP) + after.get(Backends.BACKUP)).isZero();
    assertThat(backends.received(Backends.A, Backends.PRICE_PATH)).isEqualTo(before.get(Backends.A) + after.get(Backends.A));
  }
}
