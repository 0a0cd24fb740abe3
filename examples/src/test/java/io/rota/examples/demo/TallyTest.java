package io.rota.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.examples.demo.Tally.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TallyTest {

  @Test
  void percentilesPerPhaseAndKind() {
    Tally t = new Tally();
    for (int i = 1; i <= 100; i++) {
      t.request(Kind.PRICE, "steady", i * 1_000_000L, i != 100);
    }
    t.request(Kind.PLACE, "b returns 503", 5_000_000L, true);
    List<RunRecord.Latency> l = t.latencies();
    assertThat(l).hasSize(2);
    RunRecord.Latency price = l.get(0);
    assertThat(price.phase()).isEqualTo("steady");
    assertThat(price.kind()).isEqualTo("price GET");
    assertThat(price.count()).isEqualTo(100);
    assertThat(price.p50Millis()).isEqualTo(50.0);
    assertThat(price.p95Millis()).isEqualTo(95.0);
    assertThat(price.p99Millis()).isEqualTo(99.0);
    assertThat(price.maxMillis()).isEqualTo(100.0);
    assertThat(l.get(1).phase()).isEqualTo("b returns 503");
    assertThat(t.requests(Kind.PRICE)).isEqualTo(100);
    assertThat(t.failed(Kind.PRICE)).isEqualTo(1);
  }

  @Test
  void violationsAreKeptWordForWordUpToALimitThenCounted() {
    Tally t = new Tally();
    for (int i = 0; i < 25; i++) {
      t.violation("v" + i);
    }
    List<String> v = t.violations();
    assertThat(v).hasSize(21);
    assertThat(v.get(0)).isEqualTo("v0");
    assertThat(v.get(20)).isEqualTo("... and 5 more");
    assertThat(t.violationCount()).isEqualTo(25);
  }

  @Test
  void manyThreadsLoseNoCount() throws Exception {
    Tally t = new Tally();
    List<Thread> threads = new ArrayList<>();
    for (int n = 0; n < 8; n++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          t.request(Kind.LIST, i % 2 == 0 ? "steady" : "fault", 1000, true);
          t.read("db-2", true);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(t.requests(Kind.LIST)).isEqualTo(160_000);
    assertThat(t.readsOnReplicas.sum()).isEqualTo(160_000);
    assertThat(t.latencies()).extracting(RunRecord.Latency::count).containsExactlyInAnyOrder(80_000L, 80_000L);
  }

  @Test
  void failoverCountsRefusalsApartFromOtherFailuresAndTracksCommitsPerNode() {
    Tally t = new Tally();
    t.writeFailed(1_000, 3_000_000, false); // before the failover: not the failover's
    t.committed("db-1", 9_000, 1);
    t.committed("db-1", 10_000, 2);
    t.failoverFrom(10_000, "db-1");
    assertThat(t.readFailedOnStoppedPrimary(10_100, new java.sql.SQLException("Primary 'db-1' of 'orders-db' failed: x")))
        .isTrue();
    assertThat(t.readFailedOnStoppedPrimary(10_100, new java.sql.SQLException("Replica 'db-2' failed: x"))).isFalse();
    t.writeFailed(10_050, 40_000_000, false); // in flight on the stopped primary
    t.writeFailed(10_400, 2_000_000, true);
    t.writeFailed(11_200, 1_000_000, true);
    t.committed("db-3", 11_500, 3);
    t.committed("db-3", 12_000, 4);

    assertThat(t.writesRefused.sum()).isEqualTo(2);
    assertThat(t.writesFailedInFailover.sum()).isEqualTo(1);
    assertThat(t.readsFailedOnStoppedPrimary.sum()).isEqualTo(1);
    assertThat(t.firstRefusalMillis()).isEqualTo(10_400);
    assertThat(t.lastRefusalMillis()).isEqualTo(11_200);
    assertThat(t.slowestRefusalMillis()).isEqualTo(2);
    assertThat(t.lastCommitMillis("db-1")).isEqualTo(10_000);
    assertThat(t.firstCommitMillis("db-3")).isEqualTo(11_500);
    assertThat(t.firstCommitMillis("db-2")).isEqualTo(-1);
    assertThat(t.acknowledged()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
  }

  @Test
  void readFailuresBeforeTheFailoverAreNotExcused() {
    Tally t = new Tally();
    assertThat(t.readFailedOnStoppedPrimary(5_000, new java.sql.SQLException("Primary 'db-1' of 'orders-db' failed"))).isFalse();
    t.failoverFrom(10_000, "db-1");
    assertThat(t.readFailedOnStoppedPrimary(9_000, new java.sql.SQLException("Primary 'db-1' of 'orders-db' failed"))).isFalse();
    assertThat(t.readsFailedOnStoppedPrimary.sum()).isZero();
  }

  @Test
  void noRefusalMeansMinusOne() {
    Tally t = new Tally();
    assertThat(t.firstRefusalMillis()).isEqualTo(-1);
    assertThat(t.lastRefusalMillis()).isEqualTo(-1);
    assertThat(t.acknowledged()).isEmpty();
  }
}
