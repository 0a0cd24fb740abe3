package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.event.PoolEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PanicTest extends PoolTestSupport {

  /** Primaries a, b, c, d with weights 1, 2, 3, 4, plus the given backups of weight 1. */
  private EndpointPool<String> pool(int panicThresholdPercent, String... backups) {
    EndpointPoolBuilder<String> b = this.<String>builder("test")
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).panicThresholdPercent(panicThresholdPercent).build())
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 2))
        .endpoint(Endpoint.of("c", "addr-c", 3))
        .endpoint(Endpoint.of("d", "addr-d", 4));
    for (String id : backups) {
      b.endpoint(Endpoint.of(id, "addr-" + id, 1).withTier(Tier.BACKUP));
    }
    EndpointPool<String> pool = build(b);
    pool.addListener(events::add);
    return pool;
  }

  @Test
  void tooFewAvailablePrimariesSpreadPicksOverAllOfThemByWeight() {
    EndpointPool<String> pool = pool(50);

    eject(pool, "b", "c", "d"); // 1 of 4 available: 25% < 50%

    PoolSnapshot snapshot = pool.snapshot();
    assertThat(snapshot.panic()).isTrue();
    assertThat(snapshot.servingTier()).isEqualTo(Tier.PRIMARY);
    assertThat(snapshot.endpoint("d").effectiveWeight()).isEqualTo(4);
    assertThat(counts(pool, 10_000))
        .containsEntry("a", 1_000).containsEntry("b", 2_000).containsEntry("c", 3_000).containsEntry("d", 4_000);
    assertThat(tierChanges()).singleElement().satisfies(e -> {
      assertThat(e.tier()).isEqualTo(Tier.PRIMARY);
      assertThat(e.panic()).isTrue();
    });
  }

  @Test
  void atTheThresholdThereIsNoPanic() {
    EndpointPool<String> pool = pool(50);

    eject(pool, "c", "d"); // 2 of 4 available: 50%, not below

    assertThat(pool.snapshot().panic()).isFalse();
    assertThat(counts(pool, 3_000)).containsOnlyKeys("a", "b");
  }

  @Test
  void withThresholdZeroOnlyTheAvailableEndpointIsPicked() {
    EndpointPool<String> pool = pool(0);

    eject(pool, "b", "c", "d");

    assertThat(pool.snapshot().panic()).isFalse();
    assertThat(counts(pool, 10_000)).containsOnlyKeys("a");
    assertThat(tierChanges()).isEmpty();
  }

  @Test
  void panicEndsWhenEnoughEndpointsAreBack() {
    EndpointPool<String> pool = pool(50);
    eject(pool, "b", "c", "d");
    assertThat(pool.snapshot().panic()).isTrue();

    scheduler.advance(java.time.Duration.ofSeconds(10)); // ejection over: b, c, d half-open

    assertThat(pool.snapshot().panic()).isFalse();
    assertThat(pool.snapshot().endpoint("d").state()).isEqualTo(EndpointState.HALF_OPEN);
    assertThat(tierChanges()).extracting(PoolEvent.ServingTierChanged::panic).containsExactly(true, false);
    // Out of panic, half-open endpoints take only their reduced share: 0.2 + 0.3 + 0.4 against 1.
    Map<String, Integer> counts = counts(pool, 19_000);
    assertThat(counts).containsEntry("a", 10_000).containsEntry("d", 4_000);
  }

  @Test
  void panicEndsWhenTheAvailableShareReachesTheThreshold() {
    EndpointPool<String> pool = pool(50);
    eject(pool, "b", "c", "d");

    pool.remove("d"); // 1 of 3: still below 50%
    assertThat(pool.snapshot().panic()).isTrue();
    pool.remove("c"); // 1 of 2: 50%

    assertThat(pool.snapshot().panic()).isFalse();
    assertThat(counts(pool, 1_000)).containsOnlyKeys("a");
  }

  @Test
  void withEverythingDownPanicPicksAmongPrimariesInsteadOfNothing() {
    EndpointPool<String> pool = pool(50, "x");

    eject(pool, "a", "b", "c", "d", "x");

    assertThat(pool.select()).isNotNull();
    assertThat(pool.snapshot().panic()).isTrue();
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.PRIMARY);
    assertThat(counts(pool, 10_000))
        .containsOnlyKeys("a", "b", "c", "d").containsEntry("a", 1_000).containsEntry("d", 4_000);
  }

  @Test
  void withEverythingDownAndNoPanicThereIsNothingToPick() {
    EndpointPool<String> pool = pool(0, "x");

    eject(pool, "a", "b", "c", "d", "x");

    assertThat(pool.select()).isNull();
    assertThat(pool.snapshot().servingTier()).isNull();
    assertThat(pool.snapshot().panic()).isFalse();
  }
}
