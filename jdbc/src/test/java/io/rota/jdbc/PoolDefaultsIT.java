package io.rota.jdbc;

import io.rota.testkit.ClusterSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The node pools' real defaults, not JDBC's: HikariCP pools with {@code autoCommit=false} on every
 * node (Hibernate's {@code provider_disables_autocommit}), used as Hibernate uses them: no
 * {@code setAutoCommit} call at all, every unit of work ends with commit or rollback.
 */
class PoolDefaultsIT extends RealUseSupport {

  private static final Consumer<HikariConfig> NO_AUTO_COMMIT = config -> config.setAutoCommit(false);

  private RoutingDataSourceBuilder noAutoCommitPools(String name) {
    return builder(name, cluster.hikari(0, NO_AUTO_COMMIT), cluster.hikari(1, NO_AUTO_COMMIT),
        cluster.hikari(2, NO_AUTO_COMMIT));
  }

  private RoutingDataSource build(RoutingDataSourceBuilder builder) {
    ds = builder.build();
    ItSupport.awaitReplicasHealthy(ds);
    return ds;
  }

  /** Whether a table exists on the primary, asked by the superuser outside the routing. */
  private static boolean tableOnPrimary(String table) throws SQLException {
    return "t".equals(ClusterSupport.queryString(cluster.adminDataSource(0),
        "SELECT to_regclass('public." + table + "') IS NOT NULL"));
  }

  private static long rowsOnPrimary(String table) throws SQLException {
    return Long.parseLong(ClusterSupport.queryString(cluster.adminDataSource(0), "SELECT count(*) FROM " + table));
  }

  @Test
  void p1_aFreshRoutingConnectionOverNoAutoCommitPoolsReportsAutoCommitFalseBeforeAnyStatement() throws SQLException {
    build(noAutoCommitPools("p1"));
    try (Connection c = ds.getConnection()) {
      assertThat(c.getAutoCommit()).as("getAutoCommit() of a fresh routing connection over autoCommit=false pools")
          .isFalse();
    }
  }

  @Test
  void p2_hibernateStyleDdlAndInsertThenCommitPersistOnThePrimaryAndCloseWithoutCommitLeavesNothing()
      throws SQLException {
    build(noAutoCommitPools("p2"));
    String kept = "p2_kept_" + Long.toHexString(System.nanoTime());
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + kept + " (id int PRIMARY KEY)");
      st.executeUpdate("INSERT INTO " + kept + " VALUES (1)");
      c.commit();
    }
    assertThat(tableOnPrimary(kept)).as("table %s on the primary after commit", kept).isTrue();
    assertThat(rowsOnPrimary(kept)).isEqualTo(1);

    String dropped = "p2_dropped_" + Long.toHexString(System.nanoTime());
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + dropped + " (id int PRIMARY KEY)");
      st.executeUpdate("INSERT INTO " + kept + " VALUES (2)");
      // closed without commit: the pool rolls back
    }
    assertThat(tableOnPrimary(dropped)).as("table %s on the primary after close without commit", dropped).isFalse();
    assertThat(rowsOnPrimary(kept)).as("rows of %s after close without commit", kept).isEqualTo(1);
  }

  @Test
  void p3_setReadOnlyThenSelectThenCommitOverNoAutoCommitPoolsRunsOnAReplicaWithoutError() throws SQLException {
    build(noAutoCommitPools("p3"));
    for (int i = 0; i < 20; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(nodeOf(c)).startsWith("replica-");
        c.commit();
      }
    }
  }

  @Test
  void p4_causalReadYourWritesOverNoAutoCommitPoolsReadsEveryCommittedWriteAtOnce200Times() throws SQLException {
    build(noAutoCommitPools("p4").readYourWrites(ReadYourWrites.causal()));
    String name = unique("p4");
    cluster.pauseReplay(1); // replica-1 falls behind: only the causal rule keeps its reads fresh
    try {
      for (int i = 1; i <= 200; i++) {
        try (Connection c = ds.getConnection()) {
          insert(c, name);
          c.commit();
        }
        try (Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          assertThat(ItSupport.countNamed(c, name)).as("rows seen by the read after write %d", i).isEqualTo(i);
          c.commit();
        }
      }
    } finally {
      cluster.resumeReplay(1);
    }
  }

  @Test
  void p4_aCommitFailingOnADeferredUniqueViolationDoesNotBreakLaterCausalReads() throws SQLException {
    build(noAutoCommitPools("p4-deferred").readYourWrites(ReadYourWrites.causal()));
    String table = "p4_deferred_" + Long.toHexString(System.nanoTime());
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id int, CONSTRAINT " + table + "_u UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");
      st.executeUpdate("INSERT INTO " + table + " VALUES (1)");
      c.commit();
    }
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO " + table + " VALUES (1)"); // fails only at commit
      assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
      c.rollback();
      // The same connection reads on.
      c.setReadOnly(true);
      assertThat(countRows(c, table)).isEqualTo(1);
      c.commit();
    }
    assertLaterCausalReadsWork(table, 1);
  }

  @Test
  void p4_aCommitAfterTheServerEndedTheSessionDoesNotBreakLaterCausalReads() throws SQLException {
    build(noAutoCommitPools("p4-terminated").readYourWrites(ReadYourWrites.causal()));
    String table = "p4_terminated_" + Long.toHexString(System.nanoTime());
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id int)");
      st.executeUpdate("INSERT INTO " + table + " VALUES (1)");
      c.commit();
    }
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO " + table + " VALUES (2)");
      int pid;
      try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
      }
      assertThat(cluster.terminateBackend(0, pid)).as("backend %d ended", pid).isTrue();
      assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
    }
    assertLaterCausalReadsWork(table, 1);
  }

  /** Fresh read-only reads see {@code rows} rows, and a write then read still sees its own write. */
  private void assertLaterCausalReadsWork(String table, int rows) throws SQLException {
    for (int i = 0; i < 20; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(countRows(c, table)).as("read %d after the failed commit", i).isEqualTo(rows);
        c.commit();
      }
    }
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO " + table + " VALUES (3)");
      c.commit();
    }
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(countRows(c, table)).as("read after the next write").isEqualTo(rows + 1);
      c.commit();
    }
  }

  private static int countRows(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void p5_aFreshRoutingConnectionReportsThePoolsSerializableIsolationWithoutTakingAConnection() throws SQLException {
    HikariDataSource primary = cluster.hikari(0, config -> config.setTransactionIsolation("TRANSACTION_SERIALIZABLE"));
    build(builder("p5", primary, cluster.hikari(1), cluster.hikari(2)));
    try (Connection c = ds.getConnection()) {
      assertThat(c.getTransactionIsolation()).as("getTransactionIsolation() before binding")
          .isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
      assertThat(primary.getHikariPoolMXBean().getActiveConnections())
          .as("primary connections taken by getTransactionIsolation()").isZero();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW transaction_isolation")) {
        rs.next();
        assertThat(rs.getString(1)).as("isolation on the primary once bound").isEqualTo("serializable");
      }
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    }
  }
}
