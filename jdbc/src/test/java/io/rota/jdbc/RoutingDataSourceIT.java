package io.rota.jdbc;

import io.rota.testkit.PgCluster;

import static io.rota.jdbc.ItSupport.await;
import static io.rota.jdbc.ItSupport.awaitReplicasHealthy;
import static io.rota.jdbc.ItSupport.countNamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing on a real PostgreSQL primary with two real streaming replicas: which node served is told
 * by {@code inet_server_port()}. Tests leave the cluster as they found it (replay resumed).
 */
class RoutingDataSourceIT {

  private static PgCluster cluster;
  private static DataSource primaryPool;
  private static DataSource replica1Pool;
  private static DataSource replica2Pool;

  private RoutingDataSource ds;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = PgCluster.start(2);
    primaryPool = cluster.hikari(0);
    replica1Pool = cluster.hikari(1);
    replica2Pool = cluster.hikari(2);
    try (Connection c = primaryPool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)");
    }
    cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
    cluster.awaitReplicaCaughtUp(2, Duration.ofSeconds(10));
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
        .name("it")
        .primary("primary", primaryPool)
        .replica("replica-1", replica1Pool, 3)
        .replica("replica-2", replica2Pool, 1)
        .healthCheckIntervalMillis(200);
  }

  /** Runs {@code SELECT inet_server_port()} on the connection and names the node that answered. */
  static String servedBy(Connection c) throws SQLException {
    return ItSupport.servedBy(c, "SELECT inet_server_port()", cluster::nodeOfPort);
  }

  private String readOnlyRead() throws SQLException {
    return ItSupport.readOnlyRead(ds, RoutingDataSourceIT::servedBy);
  }

  private static int insert(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (name) VALUES (?) RETURNING id")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void readsLandOnReplicasByWeightAndWritesOnThePrimary() throws SQLException {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 4_000; i++) {
      served.merge(readOnlyRead(), 1, Integer::sum);
    }
    assertThat(served).containsOnlyKeys("replica-1", "replica-2");
    assertThat(served.get("replica-1") / 4_000.0).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.75 * 0.05));
    assertThat(served.get("replica-2") / 4_000.0).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.25 * 0.05));

    try (Connection c = ds.getConnection()) {
      assertThat(servedBy(c)).isEqualTo("primary");
      insert(c, "weights");
    }
    assertThat(ds.snapshot().replica("replica-1").reads()).isGreaterThan(2_800);
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
  void aReadOnlyTransactionRunsWhollyOnOneReplica() throws SQLException {
    for (int i = 0; i < 20; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        c.setAutoCommit(false);
        String first = servedBy(c);
        assertThat(first).startsWith("replica-");
        for (int k = 0; k < 5; k++) {
          assertThat(servedBy(c)).isEqualTo(first);
        }
        c.commit();
      }
    }
  }

  @Test
  void springStyleReadOnlyTransactionThenAWriteLandsOnThePrimary() throws SQLException {
    try (Connection c = ds.getConnection()) {
      // What Spring's DataSourceTransactionManager does for @Transactional(readOnly = true) ...
      c.setReadOnly(true);
      c.setAutoCommit(false);
      assertThat(servedBy(c)).startsWith("replica-");
      c.commit();
      c.setReadOnly(false);
      c.setAutoCommit(true);
      // ... and the next, read-write use of the same connection.
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
      assertThat(servedBy(c)).startsWith("replica-");
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
    int count(String name) throws SQLException;

    @ReadOnly
    void sneakyInsert(String name) throws SQLException;

    void insert(String name) throws SQLException;
  }

  private ItemRepository repository() {
    ItemRepository impl = new ItemRepository() {
      @Override
      public int count(String name) throws SQLException {
        try (Connection c = ds.getConnection()) {
          assertThat(servedBy(c)).startsWith("replica-");
          return countNamed(c, name);
        }
      }

      @Override
      public void sneakyInsert(String name) throws SQLException {
        try (Connection c = ds.getConnection()) {
          RoutingDataSourceIT.insert(c, name);
        }
      }

      @Override
      public void insert(String name) throws SQLException {
        try (Connection c = ds.getConnection()) {
          assertThat(servedBy(c)).isEqualTo("primary");
          RoutingDataSourceIT.insert(c, name);
        }
      }
    };
    return RoutingDataSource.readOnlyProxy(ItemRepository.class, impl);
  }

  @Test
  void aReadOnlyMethodThatInsertsFailsWithTheReplicasErrorAndWritesNothing() throws SQLException {
    ItemRepository repo = repository();
    assertThatThrownBy(() -> repo.sneakyInsert("sneaky"))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006")); // read_only_sql_transaction
    try (Connection c = primaryPool.getConnection()) {
      assertThat(countNamed(c, "sneaky")).isZero();
    }
    repo.insert("proper");
    cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
    cluster.awaitReplicaCaughtUp(2, Duration.ofSeconds(10));
    assertThat(repo.count("proper")).isEqualTo(1);
  }

  @Test
  void aLaggingReplicaIsSkippedPastTheLimitAndUsedAgainOnceItCatchesUp() throws Exception {
    ds.close();
    ds = builder().maxReplicationLag(Duration.ofMillis(500)).build();
    awaitReplicasHealthy(ds);
    cluster.pauseReplay(1);
    try {
      // The primary keeps writing; replica-1 falls behind.
      await("replica-1 is out for lag", () -> {
        writeOnce("lag");
        RoutingSnapshot.Node r1 = ds.snapshot().replica("replica-1");
        return r1.state() == EndpointState.DOWN;
      });
      for (int i = 0; i < 200; i++) {
        assertThat(readOnlyRead()).isEqualTo("replica-2");
      }
      assertThat(ds.snapshot().replica("replica-1").lag()).isGreaterThan(Duration.ofMillis(500));
    } finally {
      cluster.resumeReplay(1);
    }
    await("replica-1 is back", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      served.merge(readOnlyRead(), 1, Integer::sum);
    }
    assertThat(served).containsKey("replica-1");
  }

  private static void writeOnce(String name) {
    try (Connection c = primaryPool.getConnection()) {
      insert(c, name);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void readYourWritesWindowReadsAWriteRightAfterItWithReplayPaused() throws Exception {
    ds.close();
    ds = builder().readYourWrites(ReadYourWrites.window(Duration.ofSeconds(30))).build();
    awaitReplicasHealthy(ds);
    assertReadYourWrites("ryw-window");
  }

  @Test
  void readYourWritesCausalReadsAWriteRightAfterItWithReplayPausedThenUsesReplicasOnceReplayed()
      throws Exception {
    ds.close();
    ds = builder().readYourWrites(ReadYourWrites.causal()).build();
    awaitReplicasHealthy(ds);
    assertReadYourWrites("ryw-causal");
    // Once the replicas have replayed the write, the same context reads from them again.
    cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
    cluster.awaitReplicaCaughtUp(2, Duration.ofSeconds(10));
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(servedBy(c)).startsWith("replica-");
      assertThat(countNamed(c, "ryw-causal")).isEqualTo(1);
    }
  }

  private void assertReadYourWrites(String name) throws Exception {
    cluster.pauseReplay(1);
    cluster.pauseReplay(2);
    try {
      try (Connection c = ds.getConnection()) {
        insert(c, name);
      }
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(countNamed(c, name)).as("the context's read sees its own write").isEqualTo(1);
        assertThat(servedBy(c)).isEqualTo("primary");
      }
      assertThat(ds.snapshot().readYourWritesOnPrimary()).isGreaterThanOrEqualTo(1);
      // Another context has no write to wait for: it reads a (stale) replica.
      Thread other = new Thread(() -> {
        try (Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          assertThat(servedBy(c)).startsWith("replica-");
          assertThat(countNamed(c, name)).isZero();
        } catch (SQLException e) {
          throw new AssertionError(e);
        }
      });
      java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
      other.setUncaughtExceptionHandler((t, e) -> failure.set(e));
      other.start();
      other.join();
      assertThat(failure.get()).isNull();
    } finally {
      cluster.resumeReplay(1);
      cluster.resumeReplay(2);
    }
  }

  @Test
  void replicaPoolConfigAppliesToTheReplicaPoolsBreakerAndKeepsTheHealthCheckSettings() {
    ds.close();
    ds = builder().replicaPoolConfig(EndpointPoolConfig.custom().consecutiveFailures(7).build()).build();
    assertThat(ds.snapshot().replicas()).extracting(RoutingSnapshot.Node::id).containsExactly("replica-1", "replica-2");
    assertThat(ds.toString()).contains("consecutiveFailures=7", "healthCheckInterval=PT0.2S", "fall=1", "rise=2");
  }
}
