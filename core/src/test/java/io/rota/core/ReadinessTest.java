package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.spi.HealthCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link EndpointPool#awaitReady} and {@link EndpointPoolBuilder#initialCheck}. */
class ReadinessTest extends PoolTestSupport {

  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private final CountDownLatch never = new CountDownLatch(1);

  /** a passes, b fails, c hangs until interrupted. */
  private final HealthCheck<String> check = endpoint -> {
    if (endpoint.id().equals("b")) {
      throw new IOException("refused");
    }
    if (endpoint.id().equals("c")) {
      never.await();
    }
  };

  private EndpointPoolBuilder<String> abc(EndpointPoolBuilder<String> b) {
    return b.config(EndpointPoolConfig.custom().healthCheckTimeout(TIMEOUT).healthCheckJitterPercent(0).fall(3).build())
        .healthCheck(check)
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1))
        .endpoint(Endpoint.of("c", "addr-c", 1));
  }

  @Test
  void withoutAHealthCheckThePoolIsReadyAtOnce() throws Exception {
    EndpointPool<String> pool = build(this.<String>builder("t").endpoint(Endpoint.of("a", "addr-a", 1)));
    assertThat(pool.awaitReady(Duration.ZERO)).isTrue();
  }

  @Test
  void readyOnceEveryEndpointHadItsFirstVerdictAHangingOneAfterItsTimeout() throws Exception {
    List<Runnable> hung = new ArrayList<>();
    EndpointPool<String> pool = build(abc(this.<String>builder("t")).healthCheckExecutor(r -> {
      hung.add(r); // no check ever runs: each ends by its timeout
    }));
    assertThat(pool.awaitReady(Duration.ZERO)).isFalse();

    scheduler.runDue(); // the checks start
    assertThat(pool.awaitReady(Duration.ZERO)).isFalse();
    scheduler.advance(TIMEOUT);

    assertThat(pool.awaitReady(Duration.ZERO)).isTrue();
    assertThat(hung).hasSize(3);
  }

  @Test
  void awaitReadyGivesUpAfterItsTimeout() throws Exception {
    EndpointPool<String> pool = build(abc(this.<String>builder("t")));
    long start = System.nanoTime();

    assertThat(pool.awaitReady(Duration.ofMillis(50))).isFalse();

    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
  }

  @Test
  void anEndpointAddedLaterIsWaitedFor() throws Exception {
    EndpointPool<String> pool = build(this.<String>builder("t").healthCheck(e -> {})
        .config(EndpointPoolConfig.custom().healthCheckJitterPercent(0).build())
        .endpoint(Endpoint.of("a", "addr-a", 1)));
    scheduler.runDue();
    assertThat(pool.awaitReady(Duration.ZERO)).isTrue();

    pool.add(Endpoint.of("d", "addr-d", 1));
    assertThat(pool.awaitReady(Duration.ZERO)).isFalse();
    scheduler.runDue();
    assertThat(pool.awaitReady(Duration.ZERO)).isTrue();
  }

  @Test
  void initialCheckRunsTheFirstRoundInBuildBoundedByTheTimeout() throws Exception {
    // Real health-check threads (the pool's own), so that c really hangs; fake time for the rest.
    EndpointPoolBuilder<String> b = abc(EndpointPool.<String>builder("t").ticker(ticker).scheduler(scheduler)
        .eventExecutor(Runnable::run).listener(events::add)).initialCheck(true);
    long start = System.nanoTime();

    EndpointPool<String> pool = build(b);

    long took = System.nanoTime() - start;
    assertThat(took).as("waited for the hanging check's timeout, not more")
        .isBetween(TIMEOUT.toNanos(), TIMEOUT.toNanos() + Duration.ofSeconds(5).toNanos());
    assertThat(pool.awaitReady(Duration.ZERO)).isTrue();
    assertThat(state(pool, "a")).isEqualTo(EndpointState.HEALTHY);
    assertThat(state(pool, "b")).as("one failed first check, though fall is 3").isEqualTo(EndpointState.DOWN);
    assertThat(state(pool, "c")).isEqualTo(EndpointState.DOWN);
    assertThat(stateChanges()).extracting(e -> e.endpointId() + " " + e.cause()).containsExactly(
        "b failed its first health check: java.io.IOException",
        "c failed its first health check: health check timed out after PT0.3S");
    assertThat(counts(pool, 100)).containsOnlyKeys("a");
    assertThat(scheduler.pending()).as("the regular checks are scheduled").isGreaterThanOrEqualTo(3);
  }

  @Test
  void withoutInitialCheckBuildReturnsAtOnceAndEndpointsStartAvailable() {
    EndpointPool<String> pool = build(abc(this.<String>builder("t")));
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    assertThat(pool.snapshot().endpoints()).allMatch(e -> e.state() == EndpointState.HEALTHY);
  }
}
