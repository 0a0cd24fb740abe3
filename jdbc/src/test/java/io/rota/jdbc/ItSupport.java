package io.rota.jdbc;

import io.rota.testkit.PgCluster;
import io.rota.testkit.MariaDbCluster;
import io.rota.testkit.ClusterSupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import javax.sql.DataSource;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * Helpers of the integration tests on real clusters ({@link PgCluster}, {@link MariaDbCluster}),
 * whatever the database: bounded polling, naming the node that served a query, and queries on the
 * {@code items (id, name)} table the tests create.
 */
final class ItSupport {

  private ItSupport() {}

  /** Names the node that served a query on a connection. */
  interface ServedBy {
    String on(Connection c) throws SQLException;
  }

  /** JDBC work that may fail. */
  interface SqlWork {
    void run() throws SQLException;
  }

  /** Runs {@code work} and returns the {@link SQLException} it fails with; fails the test if it does not. */
  static SQLException catchSql(SqlWork work) {
    try {
      work.run();
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("expected an SQLException");
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

  /** Waits until every replica of {@code ds} has been checked, is healthy and is a replica. */
  static void awaitReplicasHealthy(RoutingDataSource ds) {
    await("replicas checked and healthy", () -> ds.snapshot().replicas().stream()
        .allMatch(n -> n.state() == EndpointState.HEALTHY && n.role() == RoutingSnapshot.Role.REPLICA));
  }

  /**
   * A replica pool that takes a node out after 2 failures in a row for 0.5 s (at most 2 s), checks
   * health with a 1 s timeout, and needs 2 good checks to bring it back, 1 bad one to take it out.
   */
  static EndpointPoolConfig quickEjection() {
    return EndpointPoolConfig.custom()
        .consecutiveFailures(2).ejectionTime(Duration.ofMillis(500)).maxEjectionTime(Duration.ofSeconds(2))
        .healthCheckTimeout(Duration.ofSeconds(1)).rise(2).fall(1).build();
  }

  /** The tests' name of a node: {@code primary}, {@code replica-1}, ... */
  static String nodeName(int node) {
    return node == ClusterSupport.PRIMARY ? "primary" : "replica-" + node;
  }

  /**
   * Runs {@code sql} on the connection and names the node that answered: its first column, an int,
   * tells the node by {@code nodeOf} (a negative node: none known).
   */
  static String servedBy(Connection c, String sql, IntUnaryOperator nodeOf) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      int value = rs.getInt(1);
      int node = nodeOf.applyAsInt(value);
      return node < 0 ? "no node: " + sql + " = " + value : nodeName(node);
    }
  }

  /** Opens a connection, marks it read-only, names the node that serves it, closes. */
  static String readOnlyRead(DataSource ds, ServedBy servedBy) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      return servedBy.on(c);
    }
  }

  /**
   * Asserts that a write through {@code ds} ({@code CREATE TABLE never}) fails with an
   * {@link SQLException}; further assertions on it chain on.
   */
  static AbstractThrowableAssert<?, ? extends Throwable> assertWriteFails(DataSource ds) {
    return assertThatThrownBy(() -> {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE never (id INT)");
      }
    }).isInstanceOf(SQLException.class);
  }

  /** How many rows of {@code items} have the name. */
  static int countNamed(Connection c, String name) throws SQLException {
    return firstInt(c, "SELECT count(*) FROM items WHERE name = ?", name);
  }

  /** Runs {@code sql} with one string parameter and returns the first column of its first row. */
  static int firstInt(Connection c, String sql, String parameter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, parameter);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
