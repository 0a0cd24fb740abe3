package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Reports from several threads race the ejection and half-open timers. Whatever the interleaving, an
 * ejected endpoint always has a way back: once the reports stop, one maximum ejection time later every
 * endpoint takes trial calls again, and successful trials bring it back.
 */
class EjectionRaceStressTest extends PoolTestSupport {

  private static final int ENDPOINTS = 6;
  private static final int REPORTERS = 3;
  private static final long REPORTS = 3_000_000;
  private static final Duration EJECTION = Duration.ofSeconds(1);

  @Test
  void noEndpointStaysEjectedWhenReportsRaceTheHalfOpenTimer() throws Exception {
    race(this.<String>builder("race").config(config().build()));
  }

  @Test
  void noEndpointStaysEjectedWhenReportsRaceTimersAndPassingChecksThatEndEjections() throws Exception {
    // The checks run on the timer thread too (the manual scheduler runs them inline); rise 1 makes
    // every passing check reset an ejected endpoint's breaker while reports keep opening it.
    race(this.<String>builder("race-checks").healthCheck(e -> {})
        .config(config().rise(1).healthCheckInterval(EJECTION.dividedBy(3)).healthCheckJitterPercent(0).build()));
  }

  private static EndpointPoolConfig.Builder config() {
    return EndpointPoolConfig.custom()
        .consecutiveFailures(1).halfOpenTrialCalls(1).minimumNumberOfCalls(1).slidingWindowSize(1)
        .ejectionTime(EJECTION).maxEjectionTime(EJECTION).ejectionBackoffMultiplier(1.0);
  }

  private void race(EndpointPoolBuilder<String> b) throws Exception {
    for (int i = 0; i < ENDPOINTS; i++) {
      b.endpoint(Endpoint.of("e" + i, "addr-" + i, 1));
    }
    EndpointPool<String> pool = build(b);
    List<Endpoint<String>> endpoints = pool.endpoints();

    AtomicLong left = new AtomicLong(REPORTS);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> reporters = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    for (int t = 0; t < REPORTERS; t++) {
      long seed = t;
      Thread thread = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        try {
          start.await();
          while (left.getAndDecrement() > 0) {
            Lease<String> lease = pool.acquire(endpoints.get(random.nextInt(ENDPOINTS)));
            if (random.nextInt(4) == 0) {
              lease.success();
            } else {
              lease.failure(BOOM);
            }
          }
        } catch (Throwable e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      }, "reporter-" + t);
      reporters.add(thread);
      thread.start();
    }
    start.countDown();
    // The test thread is the timer thread: it fires due half-open timers while the reports run.
    long rounds = 0;
    while (reporters.stream().anyMatch(Thread::isAlive)) {
      scheduler.advance(EJECTION.dividedBy(3));
      rounds++;
    }
    for (Thread thread : reporters) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(errors).isEmpty();
    assertThat(rounds).as("timer rounds raced against the reports").isGreaterThan(10);

    // Reports have stopped. Every ejected endpoint must have a timer that gives it trial calls.
    scheduler.advance(EJECTION);
    for (Endpoint<String> e : endpoints) {
      assertThat(state(pool, e.id())).as("%s one max ejection time after the last report", e.id())
          .isNotEqualTo(EndpointState.EJECTED);
    }
    for (Endpoint<String> e : endpoints) {
      succeed(pool, e.id(), 1);
    }
    for (Endpoint<String> e : endpoints) {
      assertThat(state(pool, e.id())).as("%s after a successful trial call", e.id()).isEqualTo(EndpointState.HEALTHY);
    }
  }
}
