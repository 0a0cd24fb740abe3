package io.rota.jdbc;

import io.rota.testkit.MariaDbCluster;

import static io.rota.jdbc.ItSupport.await;
import static io.rota.jdbc.ItSupport.awaitReplicasHealthy;
import static io.rota.jdbc.ItSupport.countNamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing on a real MariaDB 11.4 primary with a real GTID replica, through MariaDB Connector/J:
 * which node served is told by {@code @@server_id} (1 = primary, 2 = replica). Tests leave the
 * cluster as they found it (replicating, caught up).
 */
class MariaDbRoutingIT {

  private static MariaDbCluster cluster;
  private static DataSource primaryPool;
  private static DataSource replicaPool;

  private RoutingDataSource ds;

  @BeforeAll
  static void startCluster() {
    cluster = MariaDbCluster.start(1);
    primaryPool = cluster.hikari(0);
    replicaPool = cluster.hikari(1);
    cluster.createItemsTable();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void build() {
    ds = builder().build();
    awaitReplicasHealthy(ds);
  }

  @AfterEach
  void close() {
    ds.close();
  }

  private static RoutingDataSourceBuilder builder() {
    return RoutingDataSource.builder()
        .name("mariadb")
        .primary("primary", primaryPool)
        .replica("replica-1", replicaPool)
        .healthCheckIntervalMillis(200)
        .replicaPoolConfig(ItSupport.quickEjection());
  }

  /** 8 threads reading until closed; the read takes 5 ms on the server. */
  private ConcurrentReads eightReaders() {
    return new ConcurrentReads(ds, 8, "SELECT @@server_id, SLEEP(0.005)", MariaDbCluster::nodeOfServerId);
  }

  /** Runs {@code SELECT @@server_id} on the connection and names the node that answered. */
  static String servedBy(Connection c) throws SQLException {
    return ItSupport.servedBy(c, "SELECT @@server_id", MariaDbCluster::nodeOfServerId);
  }

  private String readOnlyRead() throws SQLException {
    return ItSupport.readOnlyRead(ds, MariaDbRoutingIT::servedBy);
  }

  static void insert(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (name) VALUES (?)")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
  }

  private static void writeOnce(String name) {
    try (Connection c = primaryPool.getConnection()) {
      insert(c, name);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void theMariaDbDialectIsDetectedFromMariaDbConnectorJ() throws SQLException {
    try (Connection c = replicaPool.getConnection()) {
      assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("MariaDB");
      assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("11.4.");
    }
    // The replicas' checks ran (awaited before each test) and detected the dialect; the primary's check runs
    // apart from them, so its role is known only once it ran.
    assertThat(ds.snapshot().dialect()).isEqualTo("MariaDB");
    await("the primary's role checked", () -> ds.snapshot().primary().role() == RoutingSnapshot.Role.PRIMARY);
    // Positions are GTID positions: the primary's binlog position, the replica's applied position.
    await("positions known", () -> ds.snapshot().primary().position() != null
        && ds.snapshot().replica("replica-1").position() != null);
    assertThat(ds.snapshot().primary().position()).matches("\\d+-1-\\d+");
    await("replica-1's lag measured against the primary's position",
        () -> Duration.ZERO.equals(ds.snapshot().replica("replica-1").lag()));
  }

  @Test
  void readsLandOnTheReplicaAndWritesOnThePrimary() throws SQLException {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      served.merge(readOnlyRead(), 1, Integer::sum);
    }
    assertThat(served).containsOnlyKeys("replica-1");
    try (Connection c = ds.getConnection()) {
      assertThat(servedBy(c)).isEqualTo("primary");
      insert(c, "split");
    }
    assertThat(ds.snapshot().replica("replica-1").reads()).isGreaterThanOrEqualTo(500);
    assertThat(ds.snapshot().primary().writes()).isEqualTo(1);
  }

  @Test
  void aTransactionThatStartsWithASelectRunsWhollyOnThePrimary() throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      assertThat(servedBy(c)).isEqualTo("primary");
      insert(c, "select-first");
      assertThat(servedBy(c)).isEqualTo("primary");
      c.commit();
    }
  }

  @Test
  void aReadOnlyTransactionRunsWhollyOnTheReplica() throws SQLException {
    for (int i = 0; i < 10; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        c.setAutoCommit(false);
        for (int k = 0; k < 5; k++) {
          assertThat(servedBy(c)).isEqualTo("replica-1");
        }
        c.commit();
      }
    }
  }

  @Test
  void springStyleReadOnlyTransactionThenAWriteLandsOnThePrimary() throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      assertThat(servedBy(c)).isEqualTo("replica-1");
      c.commit();
      c.setReadOnly(false);
      c.setAutoCommit(true);
      assertThat(servedBy(c)).isEqualTo("primary");
      insert(c, "after-spring");
      assertThat(countNamed(c, "after-spring")).isEqualTo(1);
    }
  }

  @Test
  void setReadOnlyFalseInsideAReplicaTransactionFailsWith25001() throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      assertThat(servedBy(c)).isEqualTo("replica-1");
      assertThatThrownBy(() -> c.setReadOnly(false))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("runs on replica")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25001"));
      c.rollback();
    }
  }

  /** A repository as users write it; the annotated method wrongly writes. */
  interface ItemRepository {
    @ReadOnly
    void sneakyInsert(String name) throws SQLException;
  }

  @Test
  void anApplicationUsersWriteRoutedToTheReplicaFailsWithTheReadOnlyErrorAndWritesNothing() throws SQLException {
    ItemRepository repo = RoutingDataSource.readOnlyProxy(ItemRepository.class, name -> {
      try (Connection c = ds.getConnection()) {
        insert(c, name);
      }
    });
    // MariaDB Connector/J's setReadOnly(true) sends nothing to the server: the replica's read_only
    // refuses the write (ER_OPTION_PREVENTS_STATEMENT), as the application user lacks READ_ONLY ADMIN.
    assertThatThrownBy(() -> repo.sneakyInsert("sneaky"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("--read-only")
        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1290));
    // The same without routing: the application user writing straight to the replica.
    try (Connection c = cluster.dataSource(1).getConnection()) {
      assertThatThrownBy(() -> insert(c, "sneaky-direct"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1290));
    }
    try (Connection c = primaryPool.getConnection()) {
      assertThat(countNamed(c, "sneaky")).isZero();
    }
    try (Connection c = replicaPool.getConnection()) {
      assertThat(countNamed(c, "sneaky")).isZero();
      assertThat(countNamed(c, "sneaky-direct")).isZero();
    }
    assertThat(ds.snapshot().replica("replica-1").state()).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void aPrimaryThatIsReadOnlyIsNeverWrittenTo() throws Exception {
    // Point the "primary" at the replica: the role check (@@read_only) refuses writes to it.
    ds.close();
    List<RoutingEvent> events = new CopyOnWriteArrayList<>();
    ds = RoutingDataSource.builder()
        .name("wrong")
        .primary("not-really-primary", replicaPool)
        .replica("replica-1", replicaPool)
        .healthCheckIntervalMillis(200)
        .listener(events::add) // before the first checks run
        .build();
    await("the primary's role checked", () -> ds.snapshot().primary().role() == RoutingSnapshot.Role.REPLICA);
    assertThatThrownBy(() -> {
      try (Connection c = ds.getConnection()) {
        insert(c, "never");
      }
    }).isInstanceOf(SQLException.class)
        .hasMessageContaining("Primary 'not-really-primary' of 'wrong' reports that it is a replica")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    await("the mismatch reported", () -> events.contains(new RoutingEvent.RoleChanged(
        "not-really-primary", RoutingSnapshot.Role.PRIMARY, RoutingSnapshot.Role.REPLICA)));
  }

  @Test
  void aDelayedReplicaIsSkippedPastTheLagLimitAndServesAgainOnceCaughtUp() throws Exception {
    ds.close();
    ds = builder().maxReplicationLag(Duration.ofSeconds(1)).build();
    awaitReplicasHealthy(ds);
    cluster.setReplicaDelay(1, 3); // MASTER_DELAY: each transaction applied 3 s after it was written
    try {
      await("replica-1 is out for lag", () -> {
        writeOnce("delayed");
        RoutingSnapshot.Node r = ds.snapshot().replica("replica-1");
        return r.state() == EndpointState.DOWN && r.lag() != null && r.lag().compareTo(Duration.ofSeconds(1)) > 0;
      });
      // Lag known (Seconds_Behind_Master), past the limit: reads go to the primary.
      for (int i = 0; i < 20; i++) {
        writeOnce("delayed"); // keeps the replica 3 s behind
        assertThat(readOnlyRead()).isEqualTo("primary");
      }
    } finally {
      cluster.setReplicaDelay(1, 0);
    }
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
    await("replica-1 is back", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
    assertThat(readOnlyRead()).isEqualTo("replica-1");
    assertThat(ds.snapshot().replica("replica-1").failures()).isZero();
  }

  @Test
  void theReplicasSqlThreadStoppedWhile8ThreadsReadIsSkippedAtOnceWithNoFailedReadAndServesAgainAfterStart()
      throws Exception {
    try (ConcurrentReads readers = eightReaders()) {
      int primaryBefore = readers.servedBy(MariaDbCluster.PRIMARY);
      cluster.stopReplicaSqlThread(1);
      try {
        // Seconds_Behind_Master is NULL once the SQL thread stops: lag unknown, out at the next check.
        await("replica-1 taken out", () -> ds.snapshot().replica("replica-1").state() == EndpointState.DOWN);
        assertThat(ds.snapshot().replica("replica-1").lag()).isNull();
        writeOnce("while-sql-thread-stopped");
        readers.awaitMore(300);
        int replicaNow = readers.servedBy(1);
        readers.awaitMore(300);
        assertThat(readers.servedBy(1)).as("reads on replica-1 while it is out").isEqualTo(replicaNow);
        assertThat(readers.servedBy(MariaDbCluster.PRIMARY)).isGreaterThan(primaryBefore);
        assertThat(readers.failures).as("failed reads").isEmpty();
      } finally {
        cluster.startReplicaSqlThread(1);
      }
      await("replica-1 healthy again", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
      readers.awaitServedMore(1, 20);
      assertThat(readers.failures).as("failed reads").isEmpty();
    }
    assertThat(ds.snapshot().replica("replica-1").failures()).as("taken out by its check, not by failures").isZero();
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
  }

  @Test
  void theReplicaStoppedWhile8ThreadsReadCostsNoFailedReadAndServesAgainAfterRestart() throws Exception {
    try (ConcurrentReads readers = eightReaders()) {
      cluster.stopReplicaServer(1);
      try {
        await("replica-1 taken out", () -> ds.snapshot().replica("replica-1").state() != EndpointState.HEALTHY);
        readers.awaitMore(500);
        assertThat(readers.failures).as("failed reads").isEmpty();
      } finally {
        cluster.startReplicaServer(1);
      }
      await("replica-1 healthy again", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
      readers.awaitServedMore(1, 20);
      assertThat(readers.failures).as("failed reads").isEmpty();
    }
    assertThat(ds.snapshot().replica("replica-1").failures()).isPositive();
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
  }

  @Test
  void causalReadYourWritesWithReplicationStoppedReadsAWriteRightAfterItThenUsesTheReplicaOnceApplied()
      throws Exception {
    ds.close();
    // No lag limit: the stopped replica stays in the pool, so only read-your-writes keeps the
    // writing context off it.
    ds = builder().noLagCheck().readYourWrites(ReadYourWrites.causal()).build();
    awaitReplicasHealthy(ds);
    cluster.stopReplication(1);
    try {
      try (Connection c = ds.getConnection()) {
        insert(c, "ryw-causal");
      }
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(countNamed(c, "ryw-causal")).as("the context's read sees its own write").isEqualTo(1);
        assertThat(servedBy(c)).isEqualTo("primary");
      }
      // A write in a transaction is remembered at its commit.
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        insert(c, "ryw-causal-tx");
        c.commit();
      }
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(countNamed(c, "ryw-causal-tx")).isEqualTo(1);
        assertThat(servedBy(c)).isEqualTo("primary");
      }
      assertThat(ds.snapshot().readYourWritesOnPrimary()).isGreaterThanOrEqualTo(2);
      // Another context has no write to wait for: it reads the (stale) replica.
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread other = new Thread(() -> {
        try (Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          assertThat(servedBy(c)).isEqualTo("replica-1");
          assertThat(countNamed(c, "ryw-causal")).isZero();
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      other.start();
      other.join();
      assertThat(failure.get()).isNull();
    } finally {
      cluster.startReplication(1);
    }
    // Once the replica has applied the context's GTID position, the context reads from it again.
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(servedBy(c)).isEqualTo("replica-1");
      assertThat(countNamed(c, "ryw-causal-tx")).isEqualTo(1);
    }
  }
}
