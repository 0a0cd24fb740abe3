package io.rota.jdbc;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
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
  static void startCluster() throws SQLException {
    cluster = MariaDbCluster.start(1);
    primaryPool = cluster.hikari(0);
    replicaPool = cluster.hikari(1);
    try (Connection c = primaryPool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
    }
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
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
    awaitReplicaHealthy(ds);
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
        .replicaPoolConfig(EndpointPoolConfig.custom()
            .consecutiveFailures(2).ejectionTime(Duration.ofMillis(500)).maxEjectionTime(Duration.ofSeconds(2))
            .healthCheckTimeout(Duration.ofSeconds(1)).rise(2).fall(1).build());
  }

  static void awaitReplicaHealthy(RoutingDataSource ds) {
    await("replica checked and healthy", () -> ds.snapshot().replicas().stream()
        .allMatch(n -> n.state() == EndpointState.HEALTHY && n.role() == RoutingSnapshot.Role.REPLICA));
  }

  /** Polls {@code condition} every 10 ms for at most 20 s. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Runs {@code SELECT @@server_id} on the connection and names the node that answered. */
  static String servedBy(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@server_id")) {
      rs.next();
      return nodeName(MariaDbCluster.nodeOfServerId(rs.getInt(1)));
    }
  }

  static String nodeName(int node) {
    return node == MariaDbCluster.PRIMARY ? "primary" : "replica-" + node;
  }

  private String readOnlyRead() throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      return servedBy(c);
    }
  }

  static void insert(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (name) VALUES (?)")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
  }

  static int countNamed(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
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
    assertThat(ds.snapshot().dialect()).isEqualTo("MariaDB");
    assertThat(ds.snapshot().primary().role()).isEqualTo(RoutingSnapshot.Role.PRIMARY);
    // Positions are GTID positions: the primary's binlog position, the replica's applied position.
    await("positions known", () -> ds.snapshot().primary().position() != null
        && ds.snapshot().replica("replica-1").position() != null);
    assertThat(ds.snapshot().primary().position()).matches("\\d+-1-\\d+");
    assertThat(ds.snapshot().replica("replica-1").lag()).isEqualTo(Duration.ZERO);
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
        .build();
    ds.addListener(events::add);
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
    awaitReplicaHealthy(ds);
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
    try (Readers readers = new Readers(ds, 8)) {
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
      int before = readers.servedBy(1);
      await("replica-1 serving again", () -> readers.servedBy(1) > before + 20);
      assertThat(readers.failures).as("failed reads").isEmpty();
    }
    assertThat(ds.snapshot().replica("replica-1").failures()).as("taken out by its check, not by failures").isZero();
    cluster.awaitCaughtUp(Duration.ofSeconds(10));
  }

  @Test
  void theReplicaStoppedWhile8ThreadsReadCostsNoFailedReadAndServesAgainAfterRestart() throws Exception {
    try (Readers readers = new Readers(ds, 8)) {
      cluster.stopReplicaServer(1);
      try {
        await("replica-1 taken out", () -> ds.snapshot().replica("replica-1").state() != EndpointState.HEALTHY);
        readers.awaitMore(500);
        assertThat(readers.failures).as("failed reads").isEmpty();
      } finally {
        cluster.startReplicaServer(1);
      }
      await("replica-1 healthy again", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
      int before = readers.servedBy(1);
      await("replica-1 serving again", () -> readers.servedBy(1) > before + 20);
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
    ds = builder().maxReplicationLag(null).readYourWrites(ReadYourWrites.causal()).build();
    awaitReplicaHealthy(ds);
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

  // ---------------------------------------------------------------------------------------------

  /** Threads that run read-only queries until closed, counting reads, failures and who served. */
  static final class Readers implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger reads = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final Map<Integer, AtomicInteger> servedByNode = new ConcurrentHashMap<>();
    final ExecutorService threads;
    final List<Future<?>> futures = new ArrayList<>();

    Readers(RoutingDataSource ds, int n) {
      threads = Executors.newFixedThreadPool(n);
      for (int t = 0; t < n; t++) {
        futures.add(threads.submit(() -> {
          while (running.get()) {
            try (Connection c = ds.getConnection()) {
              c.setReadOnly(true);
              // Each read takes some milliseconds on the server, so some are in flight at a failure.
              try (Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery("SELECT @@server_id, SLEEP(0.005)")) {
                rs.next();
                int node = MariaDbCluster.nodeOfServerId(rs.getInt(1));
                servedByNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
              }
              reads.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
              failures.add(e);
            }
          }
        }));
      }
      await("reads flowing", () -> reads.get() > 200);
    }

    /** Waits until {@code n} more reads have been made. */
    void awaitMore(int n) {
      int from = reads.get();
      await(n + " more reads", () -> reads.get() >= from + n);
    }

    int servedBy(int node) {
      AtomicInteger n = servedByNode.get(node);
      return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
      running.set(false);
      try {
        for (Future<?> f : futures) {
          f.get(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        threads.shutdownNow();
      }
    }
  }
}
