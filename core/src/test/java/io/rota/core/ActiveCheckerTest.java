package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checker on its own: one verdict per check, whatever ends it first. */
class ActiveCheckerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final EndpointPoolConfig config = EndpointPoolConfig.custom().healthCheckInterval(INTERVAL)
      .healthCheckTimeout(TIMEOUT).healthCheckJitterPercent(0).build();
  private final List<String> verdicts = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private Entry<String> entry(String id) {
    return new Entry<>(Endpoint.of(id, "addr-" + id, 1), self -> new EndpointHealth(config,
        new SlowStart(Duration.ZERO, 10), CircuitBreaker.of(id, DefaultEndpointPool.breakerConfig(config)),
        scheduler, () -> {}, () -> {}));
  }

  private ActiveChecker<String> checker(io.rota.core.spi.HealthCheck<String> check, java.util.concurrent.Executor executor) {
    return new ActiveChecker<>(check, config, scheduler, executor, null, new Random(1), ticker, this::record);
  }

  private synchronized void record(Entry<String> e, @Nullable Throwable failure, boolean initial, long tookNanos) {
    verdicts.add(e.id() + (initial ? " initial " : " ") + (failure == null ? "passed" : ActiveChecker.describe(failure)));
  }

  @Test
  void aCheckThatNeverEndsGetsOneVerdictAtItsTimeout() {
    List<Runnable> neverRun = new ArrayList<>();
    ActiveChecker<String> checker = checker(e -> {}, neverRun::add);
    Entry<String> a = entry("a");
    checker.start(a);
    scheduler.runDue();
    scheduler.advance(TIMEOUT.minusMillis(1));
    assertThat(verdicts).isEmpty();

    scheduler.advance(Duration.ofMillis(1));
    neverRun.forEach(Runnable::run); // ending late changes nothing

    assertThat(verdicts).containsExactly("a health check timed out after PT2S");
  }

  @Test
  void aRejectedCheckFailsAtOnce() {
    ActiveChecker<String> checker = checker(e -> {}, r -> {
      throw new RejectedExecutionException("full");
    });
    checker.start(entry("a"));
    scheduler.runDue();
    assertThat(verdicts).containsExactly("a java.util.concurrent.RejectedExecutionException");
    scheduler.advance(TIMEOUT);
    assertThat(verdicts).hasSize(1);
  }

  @Test
  void theInitialRoundRunsChecksTogetherAndWaitsNoLongerThanTheTimeoutInAll() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    EndpointPoolConfig shortTimeout = EndpointPoolConfig.from(config).healthCheckTimeout(Duration.ofMillis(200)).build();
    ActiveChecker<String> checker = new ActiveChecker<>(e -> {
      if (e.id().startsWith("hang")) {
        never.await();
      }
      if (e.id().equals("bad")) {
        throw new IOException("refused");
      }
    }, shortTimeout, scheduler, threads, null, new Random(1), ticker, this::record);
    long start = System.nanoTime();

    checker.runInitialRound(List.of(entry("hang1"), entry("ok"), entry("hang2"), entry("bad")));

    long took = System.nanoTime() - start;
    assertThat(took).as("two hanging checks share one timeout")
        .isBetween(Duration.ofMillis(200).toNanos(), Duration.ofMillis(200 + 3_000).toNanos());
    assertThat(verdicts).containsExactly(
        "hang1 initial health check timed out after PT0.2S",
        "ok initial passed",
        "hang2 initial health check timed out after PT0.2S",
        "bad initial java.io.IOException");
  }

  @Test
  void checksAreRescheduledOneIntervalLater() {
    ActiveChecker<String> checker = checker(e -> {}, Runnable::run);
    Entry<String> a = entry("a");
    checker.start(a);
    scheduler.runDue();
    assertThat(verdicts).hasSize(1);
    checker.scheduleNext(a);
    scheduler.advance(INTERVAL.minusMillis(1));
    assertThat(verdicts).hasSize(1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(verdicts).hasSize(2);

    checker.close();
    checker.scheduleNext(a);
    scheduler.advance(INTERVAL);
    assertThat(verdicts).as("closed: no more checks").hasSize(2);
  }
}
