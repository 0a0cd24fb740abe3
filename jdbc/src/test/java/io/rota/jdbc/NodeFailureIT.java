package io.rota.jdbc;

import io.rota.testkit.PgCluster;

import static io.rota.jdbc.ItSupport.assertWriteFails;
import static io.rota.jdbc.ItSupport.await;
import static io.rota.jdbc.ItSupport.awaitReplicasHealthy;
import static io.rota.jdbc.ItSupport.quickEjection;
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
 * Nodes dying under load on a real PostgreSQL cluster, one fresh cluster per test: a replica stopped
 * while 8 threads read, the primary stopped, a replica promoted.
 */
class NodeFailureIT {

  private PgCluster cluster;
  private RoutingDataSource ds;
  private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = PgCluster.start(2);
    ds = RoutingDataSource.builder()
        .name("failures")
        .primary("primary", cluster.hikari(0))
        .replica("replica-1", cluster.hikari(1), 1)
        .replica("replica-2", cluster.hikari(2), 1)
        .healthCheckIntervalMillis(200)
        .replicaPoolConfig(quickEjection())
        .listener(events::add) // before the first checks run
        .build();
    awaitReplicasHealthy(ds);
  }

  /** Names the node that answers {@code SELECT inet_server_port()} on the connection. */
  private String servedBy(Connection c) throws SQLException {
    return ItSupport.servedBy(c, "SELECT inet_server_port()", cluster::nodeOfPort);
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

  /** 8 threads reading until closed; the read takes 5 ms on the server. */
  private ConcurrentReads eightReaders() {
    return new ConcurrentReads(ds, 8, "SELECT inet_server_port(), pg_sleep(0.005)", cluster::nodeOfPort);
  }

  @Test
  void aReplicaStoppedWhile8ThreadsReadCostsNoFailedReadAndComesBackAfterRestart() throws Exception {
    try (ConcurrentReads readers = eightReaders()) {
      cluster.stopReplica(1);
      await("replica-1 taken out", () -> ds.snapshot().replica("replica-1").state() != EndpointState.HEALTHY);
      readers.awaitMore(500);
      assertThat(readers.failures).as("failed reads").isEmpty();

      cluster.startReplica(1);
      await("replica-1 healthy again", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
      readers.awaitServedMore(1, 20);
    }
    assertThat(ds.snapshot().replica("replica-1").failures()).as("connections refused by the stopped replica").isPositive();
  }

  @Test
  void aHungReplicaCostsNoFailedReadWithAReplicaNetworkTimeout() throws Exception {
    ds.close();
    ds = RoutingDataSource.builder()
        .name("hung")
        .primary("primary", cluster.hikari(0))
        .replica("replica-1", cluster.hikari(1), 1)
        .replica("replica-2", cluster.hikari(2), 1)
        .healthCheckIntervalMillis(200)
        .replicaNetworkTimeout(Duration.ofSeconds(1))
        .replicaPoolConfig(quickEjection())
        .build();
    awaitReplicasHealthy(ds);
    try (ConcurrentReads readers = eightReaders()) {
      cluster.freeze(1); // accepts nothing, answers nothing: reads in flight hang until the timeout
      try {
        await("replica-1 taken out", () -> ds.snapshot().replica("replica-1").state() != EndpointState.HEALTHY);
        assertThat(ds.snapshot().replica("replica-1").reason()).as("why it is out")
            .containsAnyOf("timed out", "has not returned");
        readers.awaitMore(500);
        assertThat(readers.failures).as("failed reads").isEmpty();
      } finally {
        cluster.thaw(1);
      }
      await("replica-1 healthy again", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
      readers.awaitServedMore(1, 20);
    }
    // The reads in flight timed out and were re-run elsewhere once the checks found the replica down;
    // a timeout is not held against the replica's breaker.
    assertThat(ds.snapshot().replica("replica-1").failures()).isZero();
  }

  @Test
  void aStoppedPrimaryFailsWritesFastNamingItWhileReadsGoOnFromReplicas() throws Exception {
    cluster.stopPrimary();
    long start = System.nanoTime();
    assertWriteFails(ds).hasMessageContaining("Primary 'primary' of 'failures'");
    // Hikari's connectionTimeout (2 s) bounds it.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    for (int i = 0; i < 50; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c)).startsWith("replica-");
      }
    }
    await("the primary seen as down", () -> ds.snapshot().primary().state() == EndpointState.DOWN);
    assertThat(ds.snapshot().primary().reason()).as("why the primary is down").isNotBlank();
  }

  @Test
  void aPromotedReplicaIsDetectedReportedAndTakesNoMoreReads() throws Exception {
    cluster.promote(2);
    await("replica-2 seen as promoted", () -> ds.snapshot().replica("replica-2").role() == RoutingSnapshot.Role.PRIMARY
        && ds.snapshot().replica("replica-2").state() == EndpointState.DOWN);
    assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(
        new RoutingEvent.RoleChanged("replica-2", RoutingSnapshot.Role.REPLICA, RoutingSnapshot.Role.PRIMARY)));
    for (int i = 0; i < 100; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c)).isEqualTo("replica-1");
      }
    }
  }

  @Test
  void aPrimaryThatIsInRecoveryIsNeverWrittenTo() throws Exception {
    // Point the "primary" at a replica: the role check refuses writes to it and reports it.
    ds.close();
    events.clear();
    ds = RoutingDataSource.builder()
        .name("wrong")
        .primary("not-really-primary", cluster.hikari(1))
        .replica("replica-2", cluster.hikari(2))
        .healthCheckIntervalMillis(200)
        .listener(events::add) // before the first checks run
        .build();
    await("the primary's role checked", () -> ds.snapshot().primary().role() == RoutingSnapshot.Role.REPLICA);
    assertWriteFails(ds)
        .hasMessageContaining("Primary 'not-really-primary' of 'wrong' reports that it is a replica")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    assertThat(ds.snapshot().primary().state()).isEqualTo(EndpointState.DOWN);
    await("the mismatch reported", () -> events.contains(new RoutingEvent.RoleChanged(
        "not-really-primary", RoutingSnapshot.Role.PRIMARY, RoutingSnapshot.Role.REPLICA)));
    // Reads are fine: a node in recovery serves them.
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(servedBy(c)).isIn("replica-1", "replica-2");
    }
  }
}
