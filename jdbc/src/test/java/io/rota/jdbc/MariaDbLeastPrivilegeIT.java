package io.rota.jdbc;

import io.rota.testkit.MariaDbCluster;

import static io.rota.jdbc.ItSupport.await;
import static io.rota.jdbc.ItSupport.awaitReplicasHealthy;
import static io.rota.jdbc.MariaDbRoutingIT.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointState;
import io.rota.core.event.PoolEvent;
import io.rota.jdbc.spi.Dialect;
import io.rota.jdbc.spi.Dialect.ReplicaStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB dialect and routing for an application user with least privilege
 * ({@value MariaDbCluster#MINIMAL_USER}: {@code SELECT, INSERT, UPDATE, DELETE, CREATE, DROP} on the
 * database, nothing global, so no {@code REPLICA MONITOR}), on a real MariaDB 11.4 primary and GTID
 * replica. First the dialect called directly on that user's connections, beside the application user
 * that has {@code REPLICA MONITOR}; then ({@link Routing}) the routing data source over pools of that
 * user. Tests leave the cluster replicating and caught up.
 */
class MariaDbLeastPrivilegeIT {

  private static final Dialect MARIADB = Dialects.mariadb();
  private static final int REPLICA = 1;

  private static MariaDbCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = MariaDbCluster.start(1);
    cluster.createItemsTable();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Connection minimal(int node) throws SQLException {
    return cluster.minimalDataSource(node).getConnection();
  }

  private static void writeOnPrimary(String name) throws SQLException {
    try (Connection c = minimal(MariaDbCluster.PRIMARY)) {
      insert(c, name);
    }
  }

  /** The primary's position as the dialect reads it with the least-privilege user. */
  private static String primaryPosition() throws SQLException {
    try (Connection c = minimal(MariaDbCluster.PRIMARY)) {
      String position = MARIADB.currentPosition(c);
      assertThat(position).isNotNull();
      return position;
    }
  }

  private static ReplicaStatus statusAs(DataSource user, String primaryPosition) throws SQLException {
    try (Connection c = user.getConnection()) {
      return MARIADB.replicaStatus(c, primaryPosition);
    }
  }

  // ------------------------------------------------------------------ the premise

  @Test
  void theLeastPrivilegeUserHasNoGlobalPrivilegeAndMayNotReadTheReplicaStatus() throws SQLException {
    List<String> grants = new ArrayList<>();
    try (Connection c = minimal(REPLICA); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        grants.add(rs.getString(1));
      }
    }
    assertThat(grants).filteredOn(g -> g.contains(" ON *.* ")).singleElement().asString()
        .startsWith("GRANT USAGE ON *.* TO `" + MariaDbCluster.MINIMAL_USER + "`");
    try (Connection c = minimal(REPLICA); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeQuery("SHOW REPLICA STATUS"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("SLAVE MONITOR")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1227));
    }
  }

  @Test
  void theVariablesTheDialectReadsNeedNoGrant() throws SQLException {
    String sql = "SELECT @@global.read_only, @@global.innodb_read_only, @@global.gtid_slave_pos,"
        + " @@global.gtid_binlog_pos";
    for (int node = 0; node <= REPLICA; node++) {
      try (Connection c = minimal(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("read_only of node %d", node).isEqualTo(node == REPLICA ? "1" : "0");
        assertThat(rs.getString(2)).as("innodb_read_only of node %d", node).isEqualTo("0");
        if (node == REPLICA) {
          assertThat(rs.getString(3)).isEqualTo(cluster.appliedPosition(REPLICA));
        } else {
          assertThat(rs.getString(4)).isEqualTo(cluster.primaryPosition());
        }
      }
    }
  }

  // ------------------------------------------------------------------ the dialect, called directly

  @Test
  void isReplicaTellsTheRolesApart() throws SQLException {
    try (Connection replica = minimal(REPLICA); Connection primary = minimal(MariaDbCluster.PRIMARY)) {
      assertThat(MARIADB.isReplica(replica)).isTrue();
      assertThat(MARIADB.isReplica(primary)).isFalse();
    }
  }

  @Test
  void aCaughtUpReplicasStatusIsItsAppliedPositionZeroLagAndALimitationNamingReplicaMonitor() throws SQLException {
    writeOnPrimary("caught-up");
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
    String primary = primaryPosition();
    assertThat(primary).isEqualTo(cluster.primaryPosition());
    ReplicaStatus status = statusAs(cluster.minimalDataSource(REPLICA), primary);
    assertThat(status.replayed()).isEqualTo(cluster.appliedPosition(REPLICA));
    assertThat(MARIADB.covers(status.replayed(), primary)).isTrue();
    assertThat(status.lag()).isEqualTo(Duration.ZERO);
    assertThat(status.limitation())
        .startsWith("user lacks REPLICA MONITOR (MariaDB 10.5+")
        .contains("estimated from GTID positions");
  }

  @Test
  void aReplicaBehindThePrimaryHasUnknownLagAndALimitationUntilItCatchesUp() throws SQLException {
    cluster.stopReplicaSqlThread(REPLICA);
    try {
      writeOnPrimary("behind");
      String primary = primaryPosition();
      ReplicaStatus status = statusAs(cluster.minimalDataSource(REPLICA), primary);
      assertThat(status.replayed()).isEqualTo(cluster.appliedPosition(REPLICA));
      assertThat(MARIADB.covers(status.replayed(), primary)).as("the write is not applied").isFalse();
      assertThat(status.lag()).isNull();
      assertThat(status.limitation()).contains("REPLICA MONITOR");
    } finally {
      cluster.startReplicaSqlThread(REPLICA);
    }
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
    ReplicaStatus status = statusAs(cluster.minimalDataSource(REPLICA), primaryPosition());
    assertThat(status.lag()).isEqualTo(Duration.ZERO);
    assertThat(status.limitation()).isNotNull();
  }

  @Test
  void withoutReplicaMonitorAStoppedSqlThreadIsNotSeenWhileThePrimaryWritesNothing() throws SQLException {
    // What the limitation warns of: positions alone cannot tell an idle replica from a stopped one.
    cluster.stopReplicaSqlThread(REPLICA);
    try {
      String primary = primaryPosition();
      assertThat(statusAs(cluster.minimalDataSource(REPLICA), primary).lag()).isEqualTo(Duration.ZERO);
      assertThat(statusAs(cluster.dataSource(REPLICA), primary).lag()).as("with REPLICA MONITOR").isNull();
    } finally {
      cluster.startReplicaSqlThread(REPLICA);
    }
  }

  @Test
  void replayedPositionIsTheAdministratorsViewOfGtidSlavePos() throws SQLException {
    writeOnPrimary("replayed");
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
    try (Connection c = minimal(REPLICA)) {
      assertThat(MARIADB.replayedPosition(c)).isEqualTo(cluster.appliedPosition(REPLICA)).isNotNull();
    }
    try (Connection c = minimal(MariaDbCluster.PRIMARY)) {
      assertThat(MARIADB.replayedPosition(c)).as("the primary applied nothing from elsewhere").isNull();
    }
  }

  @Test
  void withReplicaMonitorThereIsNoLimitationAndTheLagIsMeasuredAsBefore() throws SQLException {
    writeOnPrimary("monitor");
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
    String primary = primaryPosition();
    assertThat(statusAs(cluster.dataSource(REPLICA), primary))
        .isEqualTo(new ReplicaStatus(cluster.appliedPosition(REPLICA), Duration.ZERO, null));
    cluster.stopReplicaSqlThread(REPLICA);
    try {
      writeOnPrimary("monitor-behind");
      ReplicaStatus status = statusAs(cluster.dataSource(REPLICA), primaryPosition());
      assertThat(status.lag()).as("SQL thread stopped: unknown").isNull();
      assertThat(status.limitation()).isNull();
      assertThat(status.replayed()).isEqualTo(cluster.appliedPosition(REPLICA));
    } finally {
      cluster.startReplicaSqlThread(REPLICA);
    }
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
  }

  // ------------------------------------------------------------------ routing

  /**
   * The routing data source over pools of the least-privilege user, built as an application would:
   * the replica is never taken out for want of {@code REPLICA MONITOR}, from its first check on. These
   * need the routing data source to act on {@link ReplicaStatus#limitation()} (estimating the lag
   * from positions): without that, a first check that runs before the primary's position is known
   * takes the replica out until it rises again.
   */
  @Nested
  class Routing {

    private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();
    private RoutingDataSource ds;

    @AfterEach
    void close() {
      if (ds != null) {
        ds.close();
      }
    }

    /** Builds over the least-privilege user's pools; a {@code null} lag limit means {@code noLagCheck()}. */
    private RoutingDataSource build(@Nullable Duration maxReplicationLag) {
      RoutingDataSourceBuilder b = RoutingDataSource.builder()
          .name("least-privilege")
          .primary("db-1", cluster.minimalHikari(MariaDbCluster.PRIMARY))
          .replica("db-2", cluster.minimalHikari(REPLICA))
          .healthCheckIntervalMillis(200)
          .listener(events::add); // before the first checks run
      return (maxReplicationLag == null ? b.noLagCheck() : b.maxReplicationLag(maxReplicationLag)).build();
    }

    /**
     * Waits until both nodes' first checks have run (the replica's has read its position), and the
     * replica is healthy.
     */
    private void awaitFirstChecks() {
      await("the first checks ran", () -> ds.snapshot().primary().position() != null
          && ds.snapshot().replica("db-2").position() != null);
      awaitReplicasHealthy(ds);
    }

    /** The replica's health state changes so far. */
    private List<String> replicaStateChanges() {
      return events.stream()
          .filter(e -> e instanceof RoutingEvent.ReplicaPoolEvent p && p.event() instanceof PoolEvent.StateChanged)
          .map(e -> (PoolEvent.StateChanged) ((RoutingEvent.ReplicaPoolEvent) e).event())
          .map(c -> c.endpointId() + ": " + c.from() + " -> " + c.to() + " (" + c.cause() + ")")
          .collect(Collectors.toList());
    }

    /** Runs read-only reads and asserts the replica (node 1, the tests' "replica-1") served them all. */
    private void assertReadsServedByTheReplica(int reads) throws SQLException {
      for (int i = 0; i < reads; i++) {
        assertThat(ItSupport.readOnlyRead(ds, MariaDbRoutingIT::servedBy)).as("read %d", i).isEqualTo("replica-1");
      }
    }

    @Test
    void withALagLimitTheReplicaIsHealthyAndServesTheReads() throws SQLException {
      ds = build(Duration.ofSeconds(5));
      awaitFirstChecks();
      assertThat(replicaStateChanges()).as("taken out at a first check").isEmpty();
      assertReadsServedByTheReplica(50);
      assertThat(ds.snapshot().replica("db-2").state()).isEqualTo(EndpointState.HEALTHY);
      assertThat(ds.snapshot().fallbacks()).isZero();
    }

    @Test
    void withTheLagCheckOffTheReplicaIsHealthyAndServesTheReads() throws SQLException {
      ds = build(null);
      awaitFirstChecks();
      assertThat(replicaStateChanges()).isEmpty();
      assertReadsServedByTheReplica(50);
      assertThat(ds.snapshot().fallbacks()).isZero();
    }

    @Test
    void underSteadyWritesTheReplicaStaysInAndServesTheReads() throws Exception {
      ds = build(Duration.ofSeconds(5));
      awaitFirstChecks();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> writeFailure = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try (Connection c = ds.getConnection()) {
          while (!stop.get()) {
            insert(c, "steady");
            Thread.sleep(10);
          }
        } catch (Throwable e) {
          writeFailure.set(e);
        }
      }, "steady-writer");
      writer.start();
      try {
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int reads = 0;
        while (System.nanoTime() < until) {
          assertReadsServedByTheReplica(1);
          assertThat(ds.snapshot().replica("db-2").state()).as("after %d reads", reads).isEqualTo(EndpointState.HEALTHY);
          reads++;
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      assertThat(writeFailure.get()).isNull();
      assertThat(replicaStateChanges()).isEmpty();
      cluster.awaitCaughtUp(Duration.ofSeconds(10));
    }
  }
}
