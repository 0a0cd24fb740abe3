package io.rota.jdbc;

import io.rota.testkit.MariaDbCluster;

import static io.rota.jdbc.ItSupport.assertWriteFails;
import static io.rota.jdbc.ItSupport.await;
import static io.rota.jdbc.ItSupport.awaitReplicasHealthy;
import static io.rota.jdbc.MariaDbRoutingIT.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes that cannot be undone, on a fresh real MariaDB primary and GTID replica per test: the
 * replica promoted, the primary stopped.
 */
class MariaDbFailoverIT {

  private MariaDbCluster cluster;
  private RoutingDataSource ds;
  private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = MariaDbCluster.start(1);
    ds = RoutingDataSource.builder()
        .name("failover")
        .primary("primary", cluster.hikari(0))
        .replica("replica-1", cluster.hikari(1))
        .healthCheckIntervalMillis(200)
        .replicaPoolConfig(ItSupport.quickEjection())
        .listener(events::add) // before the first checks run
        .build();
    awaitReplicasHealthy(ds);
  }

  @AfterEach
  void stop() {
    if (ds != null) {
      ds.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aPromotedReplicaIsDetectedReportedAndTakesNoMoreReads() throws Exception {
    cluster.promote(1); // STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only=0
    await("replica-1 seen as promoted", () -> ds.snapshot().replica("replica-1").role() == RoutingSnapshot.Role.PRIMARY
        && ds.snapshot().replica("replica-1").state() == EndpointState.DOWN);
    assertThat(events).contains(
        new RoutingEvent.RoleChanged("replica-1", RoutingSnapshot.Role.REPLICA, RoutingSnapshot.Role.PRIMARY));
    long fallbacks = ds.snapshot().fallbacks();
    for (int i = 0; i < 50; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c)).isEqualTo("primary");
      }
    }
    assertThat(ds.snapshot().fallbacks()).isEqualTo(fallbacks + 50);
    // Writes still go to the configured primary: following a promotion is not automatic.
    try (Connection c = ds.getConnection()) {
      assertThat(servedBy(c)).isEqualTo("primary");
    }
  }

  @Test
  void aStoppedPrimaryFailsWritesFastNamingItWhileTheReplicaKeepsServingReads() throws Exception {
    cluster.stopPrimary();
    long start = System.nanoTime();
    assertWriteFails(ds).hasMessageContaining("Primary 'primary' of 'failover'");
    // Hikari's connectionTimeout (1 s) bounds it.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    await("the primary seen as down", () -> ds.snapshot().primary().state() == EndpointState.DOWN);
    // The replica's I/O thread cannot reach the primary (Seconds_Behind_Master is NULL), yet it has
    // applied all it received: it stays in, over many checks.
    long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    int reads = 0;
    while (System.nanoTime() < until && reads < 100_000) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c)).isEqualTo("replica-1");
      }
      reads++;
    }
    assertThat(reads).isPositive();
    RoutingSnapshot.Node replica = ds.snapshot().replica("replica-1");
    assertThat(replica.state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(replica.lag()).isEqualTo(Duration.ZERO);
    // Either the write found it unreachable or its checks already had: the snapshot says why.
    assertThat(ds.snapshot().primary().reason()).as("why the primary is down").isNotBlank();
  }
}
