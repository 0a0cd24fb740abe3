package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import io.rota.core.event.PoolEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassiveHealthTest extends PoolTestSupport {

  private EndpointPool<String> pool(EndpointPoolConfig.Builder cfg, String... ids) {
    EndpointPoolBuilder<String> b = this.<String>builder("test").config(cfg.build());
    for (String id : ids) {
      b.endpoint(Endpoint.of(id, "addr-" + id, 1));
    }
    return build(b);
  }

  /** Ejects b of a, b, c by consecutive failures (config must have consecutiveFailures 3). */
  private EndpointPool<String> poolWithBEjected(EndpointPoolConfig.Builder cfg) {
    EndpointPool<String> pool = pool(cfg.consecutiveFailures(3), "a", "b", "c");
    fail(pool, "b", 3);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
    return pool;
  }

  @Test
  void consecutiveFailuresEjectAnEndpointThatIsThenNeverPicked() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().consecutiveFailures(3), "a", "b", "c");

    fail(pool, "b", 2);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    assertThat(counts(pool, 300)).containsEntry("b", 100);

    fail(pool, "b", 1);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
    assertThat(pool.snapshot().endpoint("b").ejections()).isEqualTo(1);
    assertThat(pool.snapshot().endpoint("b").effectiveWeight()).isZero();
    Map<String, Integer> counts = counts(pool, 10_000);
    assertThat(counts).doesNotContainKey("b").containsEntry("a", 5_000).containsEntry("c", 5_000);
  }

  @Test
  void failuresBrokenUpBySuccessesDoNotEject() {
    // Failure rate 100% only: this is about consecutive failures.
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().consecutiveFailures(3).failureRateThreshold(100), "a", "b");

    for (int i = 0; i < 3; i++) {
      fail(pool, "b", 2);
      succeed(pool, "b", 1);
    }
    fail(pool, "b", 2);

    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    assertThat(counts(pool, 1_000)).containsEntry("b", 500);
  }

  @Test
  void aFailureRateOverTheSlidingWindowEjects() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom()
        .consecutiveFailures(5).slidingWindowSize(10).minimumNumberOfCalls(10).failureRateThreshold(50), "a", "b");
    pool.addListener(events::add);

    // Never two failures in a row: only the failure rate can eject.
    for (int i = 0; i < 9; i++) {
      if (i % 2 == 0) {
        succeed(pool, "b", 1);
      } else {
        fail(pool, "b", 1);
      }
    }
    assertThat(state(pool, "b")).as("9 calls, below minimumNumberOfCalls").isEqualTo(EndpointState.HEALTHY);

    fail(pool, "b", 1); // 5 failures out of 10: 50%

    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
    assertThat(counts(pool, 1_000)).doesNotContainKey("b");
    assertThat(events).filteredOn(PoolEvent.StateChanged.class::isInstance)
        .singleElement()
        .satisfies(e -> assertThat(((PoolEvent.StateChanged) e).cause()).contains("failure rate 50%"));
  }

  @Test
  void aFailureRateBelowTheThresholdDoesNotEject() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom()
        .consecutiveFailures(5).slidingWindowSize(10).minimumNumberOfCalls(10).failureRateThreshold(60), "a", "b");

    for (int i = 0; i < 20; i++) {
      if (i % 2 == 0) {
        succeed(pool, "b", 1);
      } else {
        fail(pool, "b", 1);
      }
    }

    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void afterTheEjectionTimeTheEndpointIsHalfOpenAndTakesAReducedShare() {
    EndpointPool<String> pool = poolWithBEjected(EndpointPoolConfig.custom().ejectionTime(Duration.ofSeconds(10)));

    scheduler.advance(Duration.ofSeconds(10).minusMillis(1));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
    assertThat(counts(pool, 1_000)).doesNotContainKey("b");

    scheduler.advance(Duration.ofMillis(1));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);
    // Half-open: 10% (the default slow-start floor) of its weight, against 1 and 1.
    assertThat(pool.snapshot().endpoint("b").effectiveWeight()).isCloseTo(0.1, within(1e-9));
    Map<String, Integer> counts = counts(pool, 21_000);
    assertThat(counts.get("b")).isBetween(900, 1_100);
    assertThat(counts.get("a")).isBetween(9_900, 10_100);
  }

  @Test
  void aHalfOpenEndpointGetsItsShareWhereverTheRotationStood() {
    // With three equal weights, the last endpoint picked before the ejection fixes where the rotation
    // stood; cover all three.
    for (String lastPicked : List.of("a", "b", "c")) {
      EndpointPool<String> pool = pool(EndpointPoolConfig.custom().consecutiveFailures(3), "a", "b", "c");
      while (!pool.selectOrThrow().id().equals(lastPicked)) {
        // advance the rotation
      }
      fail(pool, "b", 3);
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);

      Map<String, Integer> counts = counts(pool, 21_000);

      assertThat(counts).as("ejected right after %s was picked", lastPicked)
          .containsEntry("a", 10_000).containsEntry("b", 1_000).containsEntry("c", 10_000);
    }
  }

  @Test
  void halfOpenTrialSuccessesCloseTheBreaker() {
    EndpointPool<String> pool = poolWithBEjected(EndpointPoolConfig.custom()
        .ejectionTime(Duration.ofSeconds(10)).halfOpenTrialCalls(3));
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);

    succeed(pool, "b", 2);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);

    succeed(pool, "b", 1);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    assertThat(pool.snapshot().endpoint("b").effectiveWeight()).isEqualTo(1.0);
    assertThat(counts(pool, 3_000)).containsEntry("b", 1_000);
  }

  @Test
  void halfOpenRecoveryWaitsForEveryTrialCall() {
    EndpointPool<String> pool = poolWithBEjected(EndpointPoolConfig.custom()
        .ejectionTime(Duration.ofSeconds(10)).halfOpenTrialCalls(3).minimumNumberOfCalls(3).failureRateThreshold(100));
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);

    succeed(pool, "b", 2);

    assertThat(state(pool, "b")).as("recovery is judged on halfOpenTrialCalls outcomes, not fewer")
        .isEqualTo(EndpointState.HALF_OPEN);
    succeed(pool, "b", 1);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void halfOpenTrialSuccessesWithSlowStartLeadToRamping() {
    EndpointPool<String> pool = poolWithBEjected(EndpointPoolConfig.custom()
        .ejectionTime(Duration.ofSeconds(10)).halfOpenTrialCalls(3).slowStart(Duration.ofSeconds(30)));
    scheduler.advance(Duration.ofSeconds(10));

    succeed(pool, "b", 3);

    assertThat(state(pool, "b")).isEqualTo(EndpointState.RAMPING);
    assertThat(pool.snapshot().endpoint("b").effectiveWeight()).isLessThan(1.0);
  }

  @Test
  void trialFailuresEjectAgainForTheEjectionTimeTimesTheMultiplier() {
    EndpointPool<String> pool = poolWithBEjected(EndpointPoolConfig.custom()
        .ejectionTime(Duration.ofSeconds(10)).ejectionBackoffMultiplier(2.0).halfOpenTrialCalls(3));
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);

    fail(pool, "b", 3);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
    assertThat(pool.snapshot().endpoint("b").ejections()).isEqualTo(2);

    scheduler.advance(Duration.ofSeconds(20).minusMillis(1));
    assertThat(state(pool, "b")).as("second ejection lasts 20s").isEqualTo(EndpointState.EJECTED);
    assertThat(counts(pool, 1_000)).doesNotContainKey("b");
    scheduler.advance(Duration.ofMillis(1));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);

    fail(pool, "b", 3);
    scheduler.advance(Duration.ofSeconds(40).minusMillis(1));
    assertThat(state(pool, "b")).as("third ejection lasts 40s").isEqualTo(EndpointState.EJECTED);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HALF_OPEN);
  }

  @Test
  void repeatedEjectionsAreCappedAtTheMaxEjectionTime() {
    EndpointPool<String> pool = poolWithBEjected(EndpointPoolConfig.custom()
        .ejectionTime(Duration.ofSeconds(10)).ejectionBackoffMultiplier(3.0)
        .maxEjectionTime(Duration.ofSeconds(25)).halfOpenTrialCalls(1));
    scheduler.advance(Duration.ofSeconds(10));

    for (int ejection = 2; ejection <= 4; ejection++) {
      fail(pool, "b", 1);
      assertThat(pool.snapshot().endpoint("b").ejections()).isEqualTo(ejection);
      scheduler.advance(Duration.ofSeconds(25).minusMillis(1));
      assertThat(state(pool, "b")).as("ejection %s", ejection).isEqualTo(EndpointState.EJECTED);
      scheduler.advance(Duration.ofMillis(1));
      assertThat(state(pool, "b")).as("ejection %s", ejection).isEqualTo(EndpointState.HALF_OPEN);
    }
  }

  @Test
  void theEjectionCountResetsAfterRecovery() {
    EndpointPool<String> pool = poolWithBEjected(EndpointPoolConfig.custom()
        .ejectionTime(Duration.ofSeconds(10)).ejectionBackoffMultiplier(2.0).halfOpenTrialCalls(1));
    scheduler.advance(Duration.ofSeconds(10));
    fail(pool, "b", 1);
    assertThat(pool.snapshot().endpoint("b").ejections()).isEqualTo(2);
    scheduler.advance(Duration.ofSeconds(20));
    succeed(pool, "b", 1);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    assertThat(pool.snapshot().endpoint("b").ejections()).isZero();

    fail(pool, "b", 3);

    assertThat(pool.snapshot().endpoint("b").ejections()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(10).minusMillis(1));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(state(pool, "b")).as("first ejection again: back to 10s").isEqualTo(EndpointState.HALF_OPEN);
  }

  @Test
  void reportsForARemovedEndpointAreIgnored() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().consecutiveFailures(3), "a", "b");
    Endpoint<String> b = endpoint(pool, "b");
    Lease<String> open = pool.acquire(b);
    fail(pool, "b", 3);
    pool.addListener(events::add);

    assertThat(pool.remove("b")).isTrue();
    events.clear();

    assertThatCode(() -> {
      open.success();
      for (int i = 0; i < 10; i++) {
        pool.acquire(b).failure(BOOM);
      }
      scheduler.advance(Duration.ofMinutes(10)); // b's ejection timer, if any, must not revive it
    }).doesNotThrowAnyException();

    assertThat(events).isEmpty();
    assertThat(pool.snapshot().endpoint("b")).isNull();
    assertThat(counts(pool, 100)).containsOnlyKeys("a");
  }

  @Test
  void snapshotCountsSuccessesFailuresAndCallsInFlight() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom(), "a", "b");
    Endpoint<String> a = endpoint(pool, "a");

    Lease<String> s1 = pool.acquire(a);
    Lease<String> s2 = pool.acquire(a);
    Lease<String> s3 = pool.acquire(a);
    assertThat(pool.snapshot().endpoint("a").inFlight()).isEqualTo(3);

    s1.success();
    s2.failure(BOOM);

    EndpointSnapshot snap = pool.snapshot().endpoint("a");
    assertThat(snap.inFlight()).isEqualTo(1);
    assertThat(snap.successes()).isEqualTo(1);
    assertThat(snap.failures()).isEqualTo(1);
    s3.success();
    snap = pool.snapshot().endpoint("a");
    assertThat(snap.inFlight()).isZero();
    assertThat(snap.successes()).isEqualTo(2);
    assertThat(pool.snapshot().endpoint("b").successes()).isZero();
    assertThat(pool.snapshot().endpoint("b").failures()).isZero();
  }

  @Test
  void ignoredOutcomesEndTheCallButNeitherEjectNorBreakARunOfFailures() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().consecutiveFailures(3).failureRateThreshold(100), "a", "b");
    Endpoint<String> b = pool.endpoints().get(1);

    for (int i = 0; i < 10; i++) {
      pool.acquire(b).release();
    }
    assertThat(pool.snapshot().endpoint("b").inFlight()).isZero();
    assertThat(pool.snapshot().endpoint("b").successes()).isZero();
    assertThat(pool.snapshot().endpoint("b").failures()).isZero();

    fail(pool, "b", 2);
    pool.acquire(b).release(); // not a success: the run of failures goes on
    fail(pool, "b", 1);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
  }

  @Test
  void aLongCallIsNeverASlowCallThatEjects() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(10), "a", "b");
    Endpoint<String> b = pool.endpoints().get(1);
    for (int i = 0; i < 20; i++) {
      Lease<String> lease = pool.acquire(b);
      ticker.advance(java.time.Duration.ofMinutes(10)); // a connection held for a long transaction
      lease.success();
    }
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
  }
}
