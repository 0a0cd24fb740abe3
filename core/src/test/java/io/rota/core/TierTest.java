package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.event.PoolEvent;
import io.rota.core.spi.HealthCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class TierTest extends PoolTestSupport {

  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final HealthCheck<String> check = endpoint -> {
    if (failing.contains(endpoint.id())) {
      throw new IOException("down");
    }
  };

  @SafeVarargs
  private EndpointPool<String> pool(boolean withCheck, Endpoint<String>... endpoints) {
    EndpointPoolBuilder<String> b = this.<String>builder("test")
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).ejectionTime(Duration.ofSeconds(10))
            .halfOpenTrialCalls(1).healthCheckInterval(Duration.ofSeconds(5)).healthCheckJitterPercent(0)
            .fall(1).rise(1).build());
    if (withCheck) {
      b.healthCheck(check);
    }
    for (Endpoint<String> e : endpoints) {
      b.endpoint(e);
    }
    EndpointPool<String> pool = build(b);
    pool.addListener(events::add);
    return pool;
  }

  private static Endpoint<String> primary(String id, int weight) {
    return Endpoint.of(id, "addr-" + id, weight);
  }

  private static Endpoint<String> backup(String id, int weight) {
    return Endpoint.of(id, "addr-" + id, weight).withTier(Tier.BACKUP);
  }

  @Test
  void backupEndpointsTakeNoTrafficWhileAPrimaryIsAvailable() {
    EndpointPool<String> pool = pool(false, primary("a", 1), primary("b", 1), backup("x", 100));

    assertThat(counts(pool, 10_000)).containsOnlyKeys("a", "b");
    eject(pool, "a");
    assertThat(counts(pool, 10_000)).containsOnlyKeys("b");
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.PRIMARY);
    assertThat(pool.snapshot().endpoint("x").effectiveWeight()).isZero();
    assertThat(tierChanges()).isEmpty();
  }

  @Test
  void backupTakesAllTrafficWhenEveryPrimaryIsEjectedAndHandsItBack() {
    EndpointPool<String> pool = pool(false, primary("a", 1), primary("b", 1), backup("x", 1), backup("y", 1));

    eject(pool, "a");
    eject(pool, "b");

    assertThat(counts(pool, 10_000)).containsEntry("x", 5_000).containsEntry("y", 5_000);
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.BACKUP);
    assertThat(tierChanges()).singleElement().satisfies(e -> {
      assertThat(e.tier()).isEqualTo(Tier.BACKUP);
      assertThat(e.panic()).isFalse();
      assertThat(e.pool()).isEqualTo("test");
    });

    scheduler.advance(Duration.ofSeconds(10)); // a and b half-open: available again

    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.PRIMARY);
    assertThat(counts(pool, 10_000)).containsOnlyKeys("a", "b");
    assertThat(tierChanges()).extracting(PoolEvent.ServingTierChanged::tier).containsExactly(Tier.BACKUP, Tier.PRIMARY);
  }

  @Test
  void backupTakesTrafficWhileEveryPrimaryIsDownByActiveCheck() {
    EndpointPool<String> pool = pool(true, primary("a", 1), backup("x", 1));
    failing.add("a");
    scheduler.runDue();

    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.BACKUP);
    assertThat(counts(pool, 1_000)).containsOnlyKeys("x");

    failing.remove("a");
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.PRIMARY);
    assertThat(counts(pool, 1_000)).containsOnlyKeys("a");
    assertThat(tierChanges()).extracting(PoolEvent.ServingTierChanged::tier).containsExactly(Tier.BACKUP, Tier.PRIMARY);
  }

  @Test
  void weightZeroIsNeverPicked() {
    EndpointPool<String> pool = pool(false, primary("a", 0), primary("b", 1), primary("c", 3));

    assertThat(counts(pool, 10_000)).containsOnlyKeys("b", "c").containsEntry("b", 2_500);

    pool.setWeight("c", 0);
    assertThat(counts(pool, 1_000)).containsOnlyKeys("b");
    assertThat(pool.snapshot().endpoint("c").effectiveWeight()).isZero();
  }

  @Test
  void aPrimaryTierOfWeightZeroFallsToTheBackupTier() {
    EndpointPool<String> pool = pool(false, primary("a", 0), primary("b", 0), backup("x", 1));

    assertThat(counts(pool, 1_000)).containsOnlyKeys("x");
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.BACKUP);

    pool.setWeight("b", 1);
    assertThat(counts(pool, 1_000)).containsOnlyKeys("b");
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.PRIMARY);
  }

  @Test
  void withEveryWeightZeroAndNoBackupThereIsNothingToPick() {
    EndpointPool<String> pool = pool(false, primary("a", 0), primary("b", 0));

    assertThat(pool.select()).isNull();
    assertThatThrownBy(pool::selectOrThrow)
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessageContaining("a (primary, weight 0, DRAINED)");
    assertThat(pool.snapshot().servingTier()).isNull();
  }

  @Test
  void drainingTheLastPrimaryHandsTrafficToBackupAndNotifies() {
    EndpointPool<String> pool = pool(false, primary("a", 1), backup("x", 1));

    pool.setWeight("a", 0);

    assertThat(counts(pool, 100)).containsOnlyKeys("x");
    assertThat(tierChanges()).singleElement().extracting(PoolEvent.ServingTierChanged::tier).isEqualTo(Tier.BACKUP);
  }
}
