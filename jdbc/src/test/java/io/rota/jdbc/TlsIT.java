package io.rota.jdbc;

import static io.rota.jdbc.ItSupport.catchSql;
import static io.rota.jdbc.TlsItSupport.assertProbed;
import static io.rota.jdbc.TlsItSupport.assertReportedDown;
import static io.rota.jdbc.TlsItSupport.twoNodes;
import static io.rota.jdbc.TlsItSupport.writesAndReadsEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.testkit.PgCluster;
import io.rota.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rota over TLS on a real PostgreSQL primary and streaming replica started with {@code ssl = on}
 * and a test CA ({@link PgCluster#startWithTls}), where the application user may connect over TLS
 * only ({@code hostssl}; plain connections are rejected). The pools' URLs carry
 * {@code sslmode=verify-full}; the routed connections, the health checks and the role and lag probes
 * all go through those pools, so all of them are verified TLS, and a server the pool's CA did not
 * sign is refused and reported down with the TLS reason.
 */
class TlsIT {

  private static PgCluster cluster;
  private static DataSource primaryPool;
  private static DataSource replicaPool;

  @TempDir
  static Path otherCaDirectory;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = PgCluster.startWithTls(1);
    primaryPool = cluster.hikari(0);
    replicaPool = cluster.hikari(1);
    try (Connection c = primaryPool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)");
    }
    cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theApplicationUsersPlainConnectionsAreRefused() {
    for (int node = 0; node <= 1; node++) {
      String url = cluster.jdbcUrlWithoutTls(node);
      assertThatThrownBy(() -> DriverManager.getConnection(url, PgCluster.APP_USER, PgCluster.APP_PASSWORD).close())
          .as("plain connection to node %d", node)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("pg_hba.conf rejects connection")
          .hasMessageContaining("no encryption");
    }
  }

  @Test
  void readsOnTheReplicaAndWritesOnThePrimaryRunOverVerifiedTls() throws SQLException {
    try (RoutingDataSource ds = twoNodes("tls", primaryPool, replicaPool).build()) {
      writesAndReadsEach(ds, 20, c -> ItSupport.servedBy(c, "SELECT inet_server_port()", cluster::nodeOfPort),
          (c, what) -> assertThat(sslOfBackend(c)).as(what + ": pg_stat_ssl.ssl of the backend").isTrue());
    }
    // Every backend of the application user on either node, the pools' idle connections among them, is TLS.
    for (int node = 0; node <= 1; node++) {
      assertThat(applicationBackendsBySsl(node)).as("node %d: app backends by pg_stat_ssl.ssl", node)
          .containsKey(true).doesNotContainKey(false);
    }
    // The replica streams from the primary over verified TLS too (sslmode=verify-full in primary_conninfo).
    assertThat(queryAsAdmin(0, "SELECT string_agg(s.ssl::text, ',') FROM pg_stat_replication r"
        + " JOIN pg_stat_ssl s ON s.pid = r.pid")).isEqualTo("true");
  }

  @Test
  void healthChecksAndRoleAndLagProbesRunOverTheSameVerifiedPools() {
    // The application user gets in over TLS only (see the first test): a primary checked HEALTHY in the
    // PRIMARY role and a replica HEALTHY in the REPLICA role with its lag measured prove that the checks
    // and both probes ran, over TLS, through the pools given to Rota.
    try (RoutingDataSource ds = twoNodes("tls-probes", primaryPool, replicaPool).build()) {
      assertProbed(ds, "PostgreSQL");
    }
  }

  @Test
  void aServerTheCaDidNotSignIsRefusedAndReportedDownWithTheTlsReason() throws Exception {
    TestCertificates other = TestCertificates.create(otherCaDirectory);
    // The driver's own error, for comparison: a handshake failure, never a plain connection instead.
    assertThatThrownBy(() -> DriverManager.getConnection(cluster.jdbcUrlTrusting(0, other.caFile()),
        PgCluster.APP_USER, PgCluster.APP_PASSWORD).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SSL error: PKIX path building failed")
        .hasCauseInstanceOf(SSLHandshakeException.class);

    long rejectedBefore = plainRejections(0) + plainRejections(1);
    DataSource wrongPrimary = cluster.hikari(0, c -> c.setJdbcUrl(cluster.jdbcUrlTrusting(0, other.caFile())));
    DataSource wrongReplica = cluster.hikari(1, c -> c.setJdbcUrl(cluster.jdbcUrlTrusting(1, other.caFile())));
    try (RoutingDataSource ds = twoNodes("wrong-ca", wrongPrimary, wrongReplica)
        .healthCheckTimeout(Duration.ofSeconds(3)) // longer than the pools' 2 s connection timeout
        .build()) {
      assertReportedDown(ds, "SSL error: PKIX path building failed", PgCluster.APP_PASSWORD);
      SQLException read = catchSql(() -> {
        try (Connection c = ds.getConnection()) {
          c.setReadOnly(true);
          try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
          }
        }
      });
      assertThat(read.getMessage()).contains("SSL error").doesNotContain(PgCluster.APP_PASSWORD);
    }
    // Nothing tried the node without TLS instead: a plain attempt of the application user would have been
    // rejected, and logged, by the hostnossl line.
    assertThat(plainRejections(0) + plainRejections(1)).as("plain connection attempts rejected").isEqualTo(rejectedBefore);
    assertThat(queryAsAdmin(0, "SELECT count(*) FROM items WHERE name = 'never'")).isEqualTo("0");
  }

  // ---------------------------------------------------------------------------------------------

  /** What {@code pg_stat_ssl} says of the backend serving the connection: whether it uses TLS. */
  private static boolean sslOfBackend(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertThat(rs.next()).as("pg_stat_ssl has the backend").isTrue();
      return rs.getBoolean(1);
    }
  }

  /** The application user's backends on a node, counted by whether they use TLS. */
  private static java.util.Map<Boolean, Integer> applicationBackendsBySsl(int node) throws SQLException {
    java.util.Map<Boolean, Integer> counts = new java.util.HashMap<>();
    try (Connection c = cluster.adminDataSource(node).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT s.ssl, count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s"
            + " ON s.pid = a.pid WHERE a.usename = '" + PgCluster.APP_USER + "' GROUP BY s.ssl")) {
      while (rs.next()) {
        counts.put(rs.getBoolean(1), rs.getInt(2));
      }
    }
    return counts;
  }

  private static String queryAsAdmin(int node, String sql) throws SQLException {
    try (Connection c = cluster.adminDataSource(node).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** How many plain connections of the application user the node's {@code hostnossl ... reject} line refused. */
  private static long plainRejections(int node) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(cluster.serverLog(node)));
    return lines.stream().filter(l -> l.contains("rejects connection") && l.contains("user \"app\"")
        && l.contains("no encryption")).count();
  }
}
