package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.event.PoolEvent;
import io.rota.core.spi.HealthCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ActiveHealthTest extends PoolTestSupport {

  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> checks = new ConcurrentHashMap<>();

  private final HealthCheck<String> check = endpoint -> {
    checks.merge(endpoint.id(), 1, Integer::sum);
    if (failing.contains(endpoint.id())) {
      throw new IOException("connection refused");
    }
  };

  private static EndpointPoolConfig.Builder config() {
    return EndpointPoolConfig.custom()
        .healthCheckInterval(INTERVAL).healthCheckTimeout(Duration.ofSeconds(2)).healthCheckJitterPercent(0)
        .fall(3).rise(2);
  }

  private EndpointPool<String> pool(EndpointPoolConfig.Builder cfg, HealthCheck<String> check, Executor executor) {
    EndpointPool<String> pool = build(this.<String>builder("test")
        .healthCheckExecutor(executor).config(cfg.build()).healthCheck(check)
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1)));
    pool.addListener(events::add);
    return pool;
  }

  private EndpointPool<String> pool(EndpointPoolConfig.Builder cfg) {
    return pool(cfg, check, scheduler);
  }

  @Test
  void checksRunEveryInterval() {
    pool(config());

    scheduler.runDue();
    assertThat(checks).containsEntry("a", 1).containsEntry("b", 1);
    scheduler.advance(INTERVAL.minusMillis(1));
    assertThat(checks).containsEntry("a", 1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(checks).containsEntry("a", 2).containsEntry("b", 2);
    scheduler.advance(INTERVAL.multipliedBy(3));
    assertThat(checks).containsEntry("a", 5).containsEntry("b", 5);
  }

  @Test
  void fallFailedChecksInARowMarkAnEndpointDown() {
    EndpointPool<String> pool = pool(config());
    failing.add("b");

    scheduler.runDue(); // check 1
    scheduler.advance(INTERVAL); // check 2
    assertThat(state(pool, "b")).as("after fall - 1 failed checks").isEqualTo(EndpointState.HEALTHY);
    assertThat(counts(pool, 1_000)).containsEntry("b", 500);

    scheduler.advance(INTERVAL); // check 3

    assertThat(state(pool, "b")).isEqualTo(EndpointState.DOWN);
    assertThat(pool.snapshot().endpoint("b").effectiveWeight()).isZero();
    assertThat(counts(pool, 10_000)).containsOnlyKeys("a");
    assertThat(stateChanges()).singleElement().satisfies(e -> {
      assertThat(e.endpointId()).isEqualTo("b");
      assertThat(e.from()).isEqualTo(EndpointState.HEALTHY);
      assertThat(e.to()).isEqualTo(EndpointState.DOWN);
      assertThat(e.cause()).contains("failed 3 health checks in a row", "java.io.IOException");
    });
  }

  @Test
  void aPassedCheckResetsTheFallCount() {
    EndpointPool<String> pool = pool(config());
    failing.add("b");
    scheduler.runDue();
    scheduler.advance(INTERVAL);
    failing.remove("b");
    scheduler.advance(INTERVAL);
    failing.add("b");

    scheduler.advance(INTERVAL.multipliedBy(2)); // two more failures: 2 in a row, not 4

    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    scheduler.advance(INTERVAL);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.DOWN);
  }

  @Test
  void risePassedChecksInARowBringItBack() {
    EndpointPool<String> pool = pool(config());
    failing.add("b");
    scheduler.runDue();
    scheduler.advance(INTERVAL.multipliedBy(2));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.DOWN);

    failing.remove("b");
    scheduler.advance(INTERVAL);
    assertThat(state(pool, "b")).as("after rise - 1 passed checks").isEqualTo(EndpointState.DOWN);
    assertThat(counts(pool, 1_000)).containsOnlyKeys("a");

    scheduler.advance(INTERVAL);

    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    assertThat(counts(pool, 1_000)).containsEntry("b", 500);
    assertThat(stateChanges()).extracting(PoolEvent.StateChanged::to)
        .containsExactly(EndpointState.DOWN, EndpointState.HEALTHY);
    assertThat(stateChanges().get(1).cause()).contains("passed 2 health checks in a row");
  }

  @Test
  void anEndpointDownByActiveCheckIsNotPickedThoughItsCallsSucceed() {
    EndpointPool<String> pool = pool(config().fall(1));
    failing.add("b");
    scheduler.runDue();
    assertThat(state(pool, "b")).isEqualTo(EndpointState.DOWN);

    succeed(pool, "b", 20);

    assertThat(state(pool, "b")).isEqualTo(EndpointState.DOWN);
    assertThat(pool.snapshot().endpoint("b").ejections()).isZero();
    assertThat(pool.snapshot().endpoint("b").successes()).isEqualTo(20);
    assertThat(counts(pool, 10_000)).containsOnlyKeys("a");
  }

  @Test
  void aCheckThatHangsPastTheTimeoutCountsAsFailed() {
    List<Runnable> neverRun = new ArrayList<>();
    EndpointPool<String> pool = pool(config().fall(1).healthCheckTimeout(Duration.ofSeconds(2)), check, neverRun::add);

    scheduler.runDue();
    assertThat(neverRun).hasSize(2);
    scheduler.advance(Duration.ofSeconds(2).minusMillis(1));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);

    scheduler.advance(Duration.ofMillis(1));

    assertThat(state(pool, "a")).isEqualTo(EndpointState.DOWN);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.DOWN);
    assertThat(stateChanges()).hasSize(2)
        .allSatisfy(e -> assertThat(e.cause()).contains("timed out after PT2S"));
    // Completing late changes nothing: the timed-out run was cancelled.
    neverRun.forEach(Runnable::run);
    assertThat(checks).isEmpty();
    assertThat(state(pool, "a")).isEqualTo(EndpointState.DOWN);
  }

  @Test
  void aCheckThatNeverRunsCountsAsFailedAfterTheTimeout() {
    EndpointPool<String> pool = pool(config().fall(2).healthCheckTimeout(Duration.ofSeconds(1)), check, r -> {});

    scheduler.runDue();
    scheduler.advance(Duration.ofSeconds(1)); // timeout 1
    assertThat(state(pool, "a")).isEqualTo(EndpointState.HEALTHY);
    scheduler.advance(INTERVAL); // next check starts at 1s + 5s, times out at 7s
    assertThat(state(pool, "a")).isEqualTo(EndpointState.HEALTHY);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(state(pool, "a")).isEqualTo(EndpointState.DOWN);
    assertThat(pool.select()).isNull();
  }

  @Test
  void aCheckExceptionMessageDoesNotLeakIntoEvents() {
    EndpointPool<String> pool = pool(config().fall(1), endpoint -> {
      throw new Exception("password=hunter2");
    }, scheduler);

    scheduler.runDue();

    assertThat(state(pool, "a")).isEqualTo(EndpointState.DOWN);
    assertThat(stateChanges()).hasSize(2).allSatisfy(e -> {
      assertThat(e.cause()).contains("java.lang.Exception");
      assertThat(e.cause()).doesNotContain("hunter2");
    });
  }

  @Test
  void aCheckTimeoutExceptionMessageDoesNotLeakIntoEvents() {
    // Only the pool's own timeout is described by its message; a check's TimeoutException is not.
    EndpointPool<String> pool = pool(config().fall(1), endpoint -> {
      throw new TimeoutException("GET http://admin:hunter2@10.0.0.1/health timed out");
    }, scheduler);

    scheduler.runDue();

    assertThat(state(pool, "a")).isEqualTo(EndpointState.DOWN);
    assertThat(stateChanges()).hasSize(2).allSatisfy(e -> {
      assertThat(e.cause()).contains("java.util.concurrent.TimeoutException");
      assertThat(e.cause()).doesNotContain("hunter2");
    });
  }

  private EndpointPool<String> primaryAndBackup(EndpointPoolConfig.Builder cfg) {
    EndpointPool<String> pool = build(this.<String>builder("test")
        .config(cfg.consecutiveFailures(3).ejectionTime(Duration.ofMinutes(5)).build()).healthCheck(check)
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("x", "addr-x", 1).withTier(Tier.BACKUP)));
    pool.addListener(events::add);
    scheduler.runDue(); // first checks pass
    return pool;
  }

  @Test
  void anEjectedEndpointWhoseChecksPassAgainIsBackAfterRiseChecksAndTheBackupHandsBack() {
    EndpointPool<String> pool = primaryAndBackup(config());
    long start = ticker.read();
    failing.add("a"); // the endpoint breaks: its calls fail and a check fails too
    fail(pool, "a", 3);
    scheduler.advance(INTERVAL);
    assertThat(state(pool, "a")).isEqualTo(EndpointState.EJECTED);
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.BACKUP);
    assertThat(counts(pool, 100)).containsOnlyKeys("x");

    failing.remove("a"); // it recovers
    scheduler.advance(INTERVAL);
    assertThat(state(pool, "a")).as("after rise - 1 passed checks").isEqualTo(EndpointState.EJECTED);

    scheduler.advance(INTERVAL);

    assertThat(ticker.read() - start).as("well before the 5 min ejection time")
        .isLessThan(Duration.ofSeconds(20).toNanos());
    assertThat(state(pool, "a")).isEqualTo(EndpointState.HEALTHY);
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.PRIMARY);
    assertThat(pool.snapshot().endpoint("a").ejections()).isZero();
    assertThat(counts(pool, 100)).containsOnlyKeys("a");
    assertThat(stateChanges()).extracting(PoolEvent.StateChanged::to)
        .containsExactly(EndpointState.EJECTED, EndpointState.HEALTHY);
    assertThat(stateChanges().get(1).cause()).contains("passed 2 health checks in a row; ejection ended");
    assertThat(tierChanges()).extracting(PoolEvent.ServingTierChanged::tier).containsExactly(Tier.BACKUP, Tier.PRIMARY);
    // Its breaker was reset: it is ejected again only by new failures.
    fail(pool, "a", 2);
    assertThat(state(pool, "a")).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void anEndpointUnejectedByChecksRampsUpWithSlowStart() {
    EndpointPool<String> pool = primaryAndBackup(config().slowStart(Duration.ofSeconds(30)));
    fail(pool, "a", 3);
    assertThat(state(pool, "a")).isEqualTo(EndpointState.EJECTED);

    scheduler.advance(INTERVAL.multipliedBy(2));

    assertThat(state(pool, "a")).isEqualTo(EndpointState.RAMPING);
    assertThat(pool.snapshot().servingTier()).isEqualTo(Tier.PRIMARY);
  }

  @Test
  void passesBeforeTheEjectionDoNotCountTowardsEndingIt() {
    EndpointPool<String> pool = primaryAndBackup(config());
    scheduler.advance(INTERVAL.multipliedBy(3)); // many passes while healthy
    fail(pool, "a", 3);

    scheduler.advance(INTERVAL);

    assertThat(state(pool, "a")).as("one pass since the ejection").isEqualTo(EndpointState.EJECTED);
  }
}
