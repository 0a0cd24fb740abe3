package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many threads pick while another thread changes weights, ejects endpoints (through reported
 * failures) and restores them (ejection time passes, trial calls succeed). Picks never fail, never
 * return null, are all counted, and never return an endpoint after its ejection was published.
 */
class ConcurrentSelectTest extends PoolTestSupport {

  private static final int ENDPOINTS = 10;
  private static final int PICKERS = 6;
  private static final int ROUNDS = 300;

  @Test
  void concurrentSelectSeesEveryPublishedChangeAndNeverFails() throws Exception {
    EndpointPoolConfig config = EndpointPoolConfig.custom()
        .consecutiveFailures(3)
        .halfOpenTrialCalls(2)
        .ejectionTime(Duration.ofSeconds(1))
        .ejectionBackoffMultiplier(1)
        .build();
    EndpointPoolBuilder<Integer> b = this.<Integer>builder("race").config(config);
    for (int i = 0; i < ENDPOINTS; i++) {
      b.endpoint(Endpoint.of("e" + i, i, 1 + i % 4));
    }
    EndpointPool<Integer> pool = build(b);

    // epoch[i] turns odd only after the ejection of e<i> has been published (the reporting call
    // returned) and even again before anything that may restore it starts. A pick of e<i> that began
    // and ended within one odd epoch is a pick of an endpoint whose ejection was already published.
    AtomicLongArray epoch = new AtomicLongArray(ENDPOINTS);
    AtomicLongArray perEndpoint = new AtomicLongArray(ENDPOINTS);
    AtomicLong violations = new AtomicLong();
    AtomicReference<String> firstViolation = new AtomicReference<>();
    AtomicBoolean picking = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(PICKERS + 1);
    try {
      List<Future<Long>> pickers = new ArrayList<>();
      for (int t = 0; t < PICKERS; t++) {
        pickers.add(threads.submit(() -> {
          start.await();
          long[] before = new long[ENDPOINTS];
          long n = 0;
          while (picking.get()) {
            for (int i = 0; i < ENDPOINTS; i++) {
              before[i] = epoch.get(i);
            }
            Endpoint<Integer> e = pool.select();
            if (e == null) {
              violations.incrementAndGet();
              firstViolation.compareAndSet(null, "select() returned null");
              continue;
            }
            int i = e.address();
            if (before[i] % 2 == 1 && epoch.get(i) == before[i]) {
              violations.incrementAndGet();
              firstViolation.compareAndSet(null, e.id() + " picked after its ejection was published");
            }
            perEndpoint.incrementAndGet(i);
            n++;
          }
          return n;
        }));
      }
      Future<Integer> mutator = threads.submit(() -> {
        start.await();
        Random random = new Random(11);
        int rounds = 0;
        while (rounds < ROUNDS) {
          rounds++;
          // Eject up to three endpoints (e7..e9 stay in, so something is always available).
          List<Integer> victims = new ArrayList<>();
          for (int j = 0; j < 3; j++) {
            int i = random.nextInt(ENDPOINTS - 3);
            if (victims.contains(i)) {
              continue;
            }
            victims.add(i);
            Endpoint<Integer> e = pool.endpoints().get(i);
            for (int f = 0; f < 3; f++) {
              pool.acquire(e).failure(new IOException("boom"));
            }
            assertThat(pool.snapshot().endpoint(e.id()).state()).isEqualTo(EndpointState.EJECTED);
            epoch.incrementAndGet(i);
          }
          for (int j = 0; j < 20; j++) {
            int i = random.nextInt(ENDPOINTS);
            pool.setWeight("e" + i, 1 + random.nextInt(10));
          }
          for (int i : victims) {
            epoch.incrementAndGet(i);
          }
          scheduler.advance(Duration.ofSeconds(1)); // ejection over: half-open
          for (int i : victims) {
            Endpoint<Integer> e = pool.endpoints().get(i);
            for (int s = 0; s < 2; s++) {
              pool.acquire(e).success();
            }
          }
        }
        picking.set(false);
        return rounds;
      });
      start.countDown();
      int rounds;
      long total = 0;
      try {
        rounds = mutator.get(2, TimeUnit.MINUTES);
      } finally {
        picking.set(false);
      }
      for (Future<Long> f : pickers) {
        total += f.get(1, TimeUnit.MINUTES);
      }

      assertThat(violations.get()).as(String.valueOf(firstViolation.get())).isZero();
      assertThat(total).as("picks").isGreaterThan(100_000);
      long sum = 0;
      for (int i = 0; i < ENDPOINTS; i++) {
        sum += perEndpoint.get(i);
      }
      assertThat(sum).isEqualTo(total);
      assertThat(rounds).isEqualTo(ROUNDS);
    } finally {
      threads.shutdownNow();
    }
  }
}
