package io.rota.jdbc;

import io.rota.testkit.PgCluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The base of the tests that call a {@link RoutingDataSource} over a real {@link PgCluster} the way
 * Spring's transaction manager and Hibernate do: one cluster per test class (primary and two
 * replicas, with the {@code items (id, name)} table), the routing data source of the test (closed
 * after it), and helpers: which node ran what, bounded waits with a chosen limit, SQLStates.
 */
abstract class RealUseSupport {

  /** What the PostgreSQL server says when a read-only transaction writes. */
  static final String READ_ONLY_SQL_TRANSACTION = "25006";
  /** What the PostgreSQL server says when a statement was cancelled (query timeout). */
  static final String QUERY_CANCELED = "57014";
  /** Prefix of the routing data source's health probe threads. */
  static final String HEALTH_THREAD_PREFIX = "rota-jdbc-health-";

  static PgCluster cluster;

  /** The test's routing data source, if it made one; closed after the test. */
  RoutingDataSource ds;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = PgCluster.start(2);
    try (Connection c = cluster.primaryDataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)");
    }
    awaitReplicasCaughtUp();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @AfterEach
  void closeRoutingDataSource() {
    if (ds != null) {
      ds.close();
      ds = null;
    }
  }

  /** A builder over new pools of the three nodes ({@link PgCluster#hikari(int)}), as {@link #builder(String, DataSource, DataSource, DataSource)}. */
  static RoutingDataSourceBuilder builder(String name) {
    return builder(name, cluster.hikari(0), cluster.hikari(1), cluster.hikari(2));
  }

  /** A builder over the three pools, replicas weighted alike, checked every 200 ms. */
  static RoutingDataSourceBuilder builder(String name, DataSource primary, DataSource replica1, DataSource replica2) {
    return RoutingDataSource.builder()
        .name(name)
        .primary("primary", primary)
        .replica("replica-1", replica1, 1)
        .replica("replica-2", replica2, 1)
        .healthCheckInterval(Duration.ofMillis(200));
  }

  /** Waits until both replicas have replayed all the primary has written so far. */
  static void awaitReplicasCaughtUp() {
    for (int i = 1; i <= cluster.replicaCount(); i++) {
      cluster.awaitReplicaCaughtUp(i, Duration.ofSeconds(10));
    }
  }

  /** A name no other test uses. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** Runs {@code SELECT inet_server_port()} on the connection and names the node that answered. */
  static String nodeOf(Connection c) throws SQLException {
    return ItSupport.servedBy(c, "SELECT inet_server_port()", cluster::nodeOfPort);
  }

  /** Begins a read-only transaction as Spring's transaction manager does: read-only first, then auto-commit off. */
  static void beginReadOnlyTransaction(Connection c) throws SQLException {
    c.setReadOnly(true);
    c.setAutoCommit(false);
  }

  /** Spring's cleanup after a read-only transaction's commit or rollback: read-write again, then auto-commit on. */
  static void resetAfterReadOnlyTransaction(Connection c) throws SQLException {
    c.setReadOnly(false);
    c.setAutoCommit(true);
  }

  /** Inserts a row into {@code items} and returns its id. */
  static int insert(Connection c, String name) throws SQLException {
    return ItSupport.firstInt(c, "INSERT INTO items (name) VALUES (?) RETURNING id", name);
  }

  /** How many rows of {@code items} have the name on a node, asked by the superuser outside the routing. */
  static int countOn(int node, String name) throws SQLException {
    try (Connection c = cluster.adminDataSource(node).getConnection()) {
      return ItSupport.countNamed(c, name);
    }
  }

  /** Asserts that no node has a row of that name, once the replicas have replayed all the primary wrote. */
  static void assertRowNowhere(String name) throws SQLException {
    awaitReplicasCaughtUp();
    for (int node = 0; node <= cluster.replicaCount(); node++) {
      assertThat(countOn(node, name)).as("rows named %s on %s", name, ItSupport.nodeName(node)).isZero();
    }
  }

  /** Polls {@code condition} every 10 ms for at most {@code limit}. */
  static void awaitWithin(Duration limit, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
      }
      pause(10);
    }
  }

  /** Sleeps between polls; fails the test when interrupted. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The state of a replica in the routing data source's snapshot. */
  static EndpointState replicaState(RoutingDataSource ds, String id) {
    return ds.snapshot().replica(id).state();
  }

  /** Live threads named like the health probes. */
  static int healthThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(HEALTH_THREAD_PREFIX)) {
        n++;
      }
    }
    return n;
  }

  /** The SQLState of an SQLException, or null for anything else. */
  static String sqlState(Throwable t) {
    return t instanceof SQLException e ? e.getSQLState() : null;
  }

  /** Whether {@code t} or one of its causes is a {@code type}. */
  static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Watches every node of a cluster for backends running a statement that contains a marker,
   * polling {@code pg_stat_activity} every 50 ms from a background thread, and records the nodes
   * that ever ran it. {@link #onFirstSighting} may act on the first backend seen (end it, say).
   */
  static final class MarkerWatch implements AutoCloseable {

    /** Called once, on the watch thread, with the node and backend pid first seen running the marker. */
    interface Sighting {
      void seen(int node, int pid);
    }

    final String marker = "marker-" + UUID.randomUUID();
    private final Set<Integer> nodes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Sighting onFirstSighting = (node, pid) -> { };
    private volatile boolean sighted;

    MarkerWatch() {
      this.thread = new Thread(this::watch, "marker-watch");
      thread.setDaemon(true);
    }

    /** Sets what to do at the first sighting; call before {@link #start()}. */
    MarkerWatch onFirstSighting(Sighting action) {
      this.onFirstSighting = action;
      return this;
    }

    MarkerWatch start() {
      thread.start();
      return this;
    }

    /** The SQL comment that carries the marker. */
    String comment() {
      return " /* " + marker + " */";
    }

    private void watch() {
      while (running.get()) {
        for (int node = 0; node <= cluster.replicaCount(); node++) {
          List<Integer> pids = cluster.backendsRunning(node, marker);
          if (!pids.isEmpty()) {
            nodes.add(node);
            if (!sighted) {
              sighted = true;
              onFirstSighting.seen(node, pids.get(0));
            }
          }
        }
        pause(50);
      }
    }

    /** Keeps watching for {@code after} more, then stops and returns the nodes that ran the marker. */
    Set<Integer> nodesAfter(Duration after) {
      long end = System.nanoTime() + after.toNanos();
      while (System.nanoTime() < end && thread.isAlive()) {
        pause(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
      }
      close();
      return Set.copyOf(nodes);
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
