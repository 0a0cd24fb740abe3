package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rota.core.event.PoolEvent;
import io.rota.core.spi.HealthCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SlowStartTest extends PoolTestSupport {

  private static final Duration WINDOW = Duration.ofSeconds(10);

  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final HealthCheck<String> check = endpoint -> {
    if (failing.contains(endpoint.id())) {
      throw new IOException("down");
    }
  };

  private static EndpointPoolConfig.Builder slowStart() {
    return EndpointPoolConfig.custom().slowStart(WINDOW).slowStartInitialWeightPercent(10);
  }

  private EndpointPool<String> pool(EndpointPoolConfig.Builder cfg, boolean withCheck, String... ids) {
    EndpointPoolBuilder<String> b = this.<String>builder("test")
        .config(cfg.consecutiveFailures(1).ejectionTime(Duration.ofSeconds(10)).halfOpenTrialCalls(3)
            .healthCheckInterval(Duration.ofSeconds(5)).healthCheckJitterPercent(0).fall(1).rise(1).build());
    if (withCheck) {
      b.healthCheck(check);
    }
    for (String id : ids) {
      b.endpoint(Endpoint.of(id, "addr-" + id, 100));
    }
    return build(b);
  }

  private static int picksOf(EndpointPool<String> pool, String id, int picks) {
    return counts(pool, picks).getOrDefault(id, 0);
  }

  private static EndpointSnapshot snapshot(EndpointPool<String> pool, String id) {
    return pool.snapshot().endpoint(id);
  }

  private void ejectAndRecover(EndpointPool<String> pool, String id) {
    eject(pool, id);
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(snapshot(pool, id).state()).isEqualTo(EndpointState.HALF_OPEN);
    succeed(pool, id, 3);
  }

  @Test
  void anEndpointAddedAtRunTimeRampsUpOverTheWindow() {
    EndpointPool<String> pool = pool(slowStart(), false, "a");
    pool.addListener(events::add);

    pool.add(Endpoint.of("b", "addr-b", 100));

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.RAMPING);
    assertThat(snapshot(pool, "b").effectiveWeight()).isCloseTo(10, within(1e-6));
    assertThat(picksOf(pool, "b", 11_000)).isEqualTo(1_000); // 10 against 100

    scheduler.advance(WINDOW.dividedBy(4));
    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.RAMPING);
    assertThat(snapshot(pool, "b").effectiveWeight()).isCloseTo(32.5, within(1e-6));
    int quarter = picksOf(pool, "b", 13_250); // 32.5 against 100: 13 in 53
    assertThat(quarter).isEqualTo(3_250);

    scheduler.advance(WINDOW.dividedBy(4));
    assertThat(snapshot(pool, "b").effectiveWeight()).isCloseTo(55, within(1e-6));
    int half = picksOf(pool, "b", 31_000); // 55 against 100: 11 in 31
    assertThat(half).isEqualTo(11_000).isGreaterThan(quarter);

    scheduler.advance(WINDOW.dividedBy(2).minusMillis(1));
    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.RAMPING);
    assertThat(snapshot(pool, "b").effectiveWeight()).isLessThan(100);

    scheduler.advance(Duration.ofMillis(1));

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(snapshot(pool, "b").effectiveWeight()).isEqualTo(100);
    assertThat(picksOf(pool, "b", 10_000)).isEqualTo(5_000);
    assertThat(events).filteredOn(PoolEvent.StateChanged.class::isInstance)
        .map(e -> (PoolEvent.StateChanged) e)
        .singleElement()
        .satisfies(e -> {
          assertThat(e.from()).isEqualTo(EndpointState.RAMPING);
          assertThat(e.to()).isEqualTo(EndpointState.HEALTHY);
        });
  }

  @Test
  void endpointsThePoolStartsWithDoNotRamp() {
    EndpointPool<String> pool = pool(slowStart(), false, "a", "b");

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(snapshot(pool, "b").effectiveWeight()).isEqualTo(100);
    assertThat(picksOf(pool, "b", 1_000)).isEqualTo(500);
  }

  @Test
  void anEndpointRecoveringFromEjectionRamps() {
    EndpointPool<String> pool = pool(slowStart(), false, "a", "b");

    ejectAndRecover(pool, "b");

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.RAMPING);
    assertThat(snapshot(pool, "b").effectiveWeight()).isCloseTo(10, within(1e-6));
    assertThat(picksOf(pool, "b", 11_000)).isEqualTo(1_000);
    scheduler.advance(WINDOW.dividedBy(2));
    assertThat(snapshot(pool, "b").effectiveWeight()).isCloseTo(55, within(1e-6));
    scheduler.advance(WINDOW.dividedBy(2));
    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(picksOf(pool, "b", 1_000)).isEqualTo(500);
  }

  @Test
  void anEndpointRecoveringFromDownRamps() {
    EndpointPool<String> pool = pool(slowStart(), true, "a", "b");
    failing.add("b");
    scheduler.runDue();
    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.DOWN);

    failing.remove("b");
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.RAMPING);
    assertThat(snapshot(pool, "b").effectiveWeight()).isCloseTo(10, within(1e-6));
    assertThat(picksOf(pool, "b", 11_000)).isEqualTo(1_000);
    scheduler.advance(WINDOW);
    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(picksOf(pool, "b", 1_000)).isEqualTo(500);
  }

  @Test
  void withoutSlowStartAnAddedEndpointTakesItsFullWeightAtOnce() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom(), false, "a");

    pool.add(Endpoint.of("b", "addr-b", 100));

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(snapshot(pool, "b").effectiveWeight()).isEqualTo(100);
    assertThat(picksOf(pool, "b", 1_000)).isEqualTo(500);
  }

  @Test
  void withoutSlowStartAnEndpointRecoveringFromEjectionIsHealthyAtOnce() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom(), false, "a", "b");

    ejectAndRecover(pool, "b");

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(snapshot(pool, "b").effectiveWeight()).isEqualTo(100);
    assertThat(picksOf(pool, "b", 1_000)).isEqualTo(500);
  }

  @Test
  void withoutSlowStartAnEndpointRecoveringFromDownIsHealthyAtOnce() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom(), true, "a", "b");
    failing.add("b");
    scheduler.runDue();
    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.DOWN);

    failing.remove("b");
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(snapshot(pool, "b").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(snapshot(pool, "b").effectiveWeight()).isEqualTo(100);
    assertThat(picksOf(pool, "b", 1_000)).isEqualTo(500);
  }
}
