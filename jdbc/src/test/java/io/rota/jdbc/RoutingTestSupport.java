package io.rota.jdbc;

import io.rota.core.EndpointPoolConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared set-up: a primary and two replicas (weights 3 and 1) as {@link StubDataSource}s, a routing
 * data source over them that is closed after each test, and small JDBC helpers.
 *
 * <p>Health checks are kept out of the way: each node is checked once right at start (no jitter), the
 * next check is an hour later, and {@link #build} waits until the first checks have finished, so that
 * a fault armed by a test is met by the test's own connections only.
 */
abstract class RoutingTestSupport {

  static final String SELECT = "SELECT node FROM whoami";
  static final String UPDATE = "UPDATE accounts SET balance = balance - 1 WHERE id = 1";

  final StubDataSource primary = new StubDataSource("primary");
  final StubDataSource r1 = new StubDataSource("r1");
  final StubDataSource r2 = new StubDataSource("r2");
  final List<RoutingDataSource> built = new ArrayList<>();

  @AfterEach
  void closeRoutingDataSources() {
    for (RoutingDataSource ds : built) {
      ds.close();
    }
  }

  /** The primary with replicas r1 (weight 3) and r2 (weight 1). */
  RoutingDataSourceBuilder builder() {
    return RoutingDataSource.builder()
        .primary("primary", primary)
        .replica("r1", r1, 3)
        .replica("r2", r2, 1);
  }

  RoutingDataSource routing() {
    return build(builder());
  }

  /**
   * Builds with quiet health checks (see the class comment; a test that sets
   * {@code healthCheckInterval} on the builder keeps its interval) and waits for the first checks.
   */
  RoutingDataSource build(RoutingDataSourceBuilder b) {
    if (b.healthCheckInterval.toMillis() == RoutingDataSourceBuilder.DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS) {
      b.healthCheckInterval(Duration.ofHours(1));
    }
    b.healthCheckJitterPercent = 0;
    RoutingDataSource ds = b.build();
    built.add(ds);
    List<StubDataSource> nodes = new ArrayList<>();
    for (DataSource d : b.replicas.values()) {
      nodes.add((StubDataSource) d);
    }
    if (b.primary != null) {
      nodes.add((StubDataSource) b.primary);
    }
    for (StubDataSource n : nodes) {
      await(() -> n.logins().stream().anyMatch(l -> !l.isWork()) && n.background().stream().allMatch(c -> c.closed),
          "the first health check of " + n.name);
    }
    return ds;
  }

  /** Polls {@code condition} for up to 10 seconds. */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** Runs a SELECT on the connection; returns the name of the node that served it. */
  static String read(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SELECT)) {
      if (!rs.next()) {
        throw new AssertionError("no row");
      }
      return rs.getString(1);
    }
  }

  /** Opens a connection, marks it read-only, reads, closes; returns the node that served. */
  static String readOnlyRead(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      return read(c);
    }
  }

  /** Opens a connection, reads without marking it read-only, closes; returns the node that served. */
  static String plainRead(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return read(c);
    }
  }

  /** Runs an UPDATE on the connection. */
  static void write(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(UPDATE);
    }
  }

  /** Opens a connection, writes in auto-commit mode, closes. */
  static void autoCommitWrite(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      write(c);
    }
  }

  /** The application's connections on every node. */
  List<StubConnection> allWork() {
    List<StubConnection> all = new ArrayList<>(primary.work());
    all.addAll(r1.work());
    all.addAll(r2.work());
    return all;
  }

  StubDataSource node(String name) {
    switch (name) {
      case "primary":
        return primary;
      case "r1":
        return r1;
      case "r2":
        return r2;
      default:
        throw new IllegalArgumentException(name);
    }
  }

  StubDataSource otherReplica(String name) {
    return name.equals("r1") ? r2 : r1;
  }
}
