package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseTest extends PoolTestSupport {

  private EndpointPool<String> pool(String... ids) {
    EndpointPoolBuilder<String> b = builder("leases");
    for (String id : ids) {
      b.endpoint(Endpoint.of(id, id));
    }
    return build(b.config(EndpointPoolConfig.custom().consecutiveFailures(3).build()));
  }

  @Test
  void anOpenLeaseCountsAsInFlightUntilItsReport() {
    EndpointPool<String> pool = pool("a");
    Lease<String> one = pool.acquire();
    Lease<String> two = pool.acquire();
    assertThat(one.endpoint().id()).isEqualTo("a");
    assertThat(pool.snapshot().endpoint("a").inFlight()).isEqualTo(2);

    one.success();
    two.release();

    EndpointSnapshot a = pool.snapshot().endpoint("a");
    assertThat(a.inFlight()).isZero();
    assertThat(a.successes()).isEqualTo(1);
    assertThat(a.failures()).isZero();
  }

  @Test
  void aSecondReportIsRefusedAndNamesTheFirst() {
    EndpointPool<String> pool = pool("a");
    Lease<String> lease = pool.acquire();
    lease.failure(BOOM);

    assertThatThrownBy(lease::success).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'a'").hasMessageContaining("already reported as failure");
    assertThatThrownBy(lease::release).isInstanceOf(IllegalStateException.class);
    assertThat(pool.snapshot().endpoint("a").failures()).isEqualTo(1);
    assertThat(pool.snapshot().endpoint("a").successes()).isZero();
  }

  @Test
  void closeReleasesAnUnreportedLeaseAndIsANoOpAfterAReport() {
    EndpointPool<String> pool = pool("a");
    try (Lease<String> lease = pool.acquire()) {
      assertThat(lease.isReported()).isFalse();
    }
    try (Lease<String> lease = pool.acquire()) {
      lease.success();
    }
    EndpointSnapshot a = pool.snapshot().endpoint("a");
    assertThat(a.inFlight()).isZero();
    assertThat(a.successes()).isEqualTo(1);
    assertThat(a.failures()).isZero();
  }

  @Test
  void releasedLeasesNeitherEjectNorHealARunOfFailures() {
    EndpointPool<String> pool = pool("a", "b");
    Endpoint<String> b = endpoint(pool, "b");
    pool.acquire(b).failure(BOOM);
    pool.acquire(b).failure(BOOM);
    for (int i = 0; i < 100; i++) {
      pool.acquire(b).release(); // the caller cancelled: not the endpoint's fault, not its success
    }
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    pool.acquire(b).failure(BOOM);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.EJECTED);
  }

  @Test
  void aLeaseOnAnEndpointOutsideThePoolIsAcceptedAndDropped() {
    EndpointPool<String> pool = pool("a");
    Lease<String> stranger = pool.acquire(Endpoint.of("z", "z"));
    stranger.failure(BOOM);
    Endpoint<String> a = endpoint(pool, "a");
    Lease<String> beforeRemoval = pool.acquire(a);
    pool.add(Endpoint.of("b", "b"));
    pool.remove("a");
    beforeRemoval.failure(BOOM);
    assertThat(pool.snapshot().endpoint("z")).isNull();
    assertThat(pool.snapshot().endpoint("a")).isNull();
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void theLatencyRunsFromAcquisitionToReport() {
    EndpointPool<String> pool = pool("a");
    Lease<String> lease = pool.acquire();
    ticker.advance(Duration.ofHours(1)); // a long call is never a failure
    lease.success();
    assertThat(state(pool, "a")).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void manyThreadsRacingToReportOneLeaseMakeExactlyOneReport() throws Exception {
    EndpointPool<String> pool = pool("a");
    int threads = 8;
    int leases = 2_000;
    AtomicInteger successWins = new AtomicInteger();
    for (int round = 0; round < leases; round++) {
      AtomicInteger wins = new AtomicInteger();
      Lease<String> lease = pool.acquire();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> racers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int kind = t % 3;
        Thread racer = new Thread(() -> {
          try {
            go.await();
            if (kind == 0) {
              lease.success();
              wins.incrementAndGet();
              successWins.incrementAndGet();
            } else if (kind == 1) {
              lease.release();
              wins.incrementAndGet();
            } else {
              lease.close();
            }
          } catch (IllegalStateException expected) {
            // lost the race: the lease had its report
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        racer.start();
        racers.add(racer);
      }
      go.countDown();
      for (Thread racer : racers) {
        racer.join();
      }
      assertThat(lease.isReported()).isTrue();
      assertThat(wins.get()).as("reports that returned normally in round %d", round).isLessThanOrEqualTo(1);
    }
    EndpointSnapshot a = pool.snapshot().endpoint("a");
    assertThat(a.inFlight()).isZero();
    assertThat(a.successes()).isEqualTo(successWins.get());
    assertThat(a.failures()).isZero();
  }
}
