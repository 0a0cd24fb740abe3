package io.rota.jdbc;

import static io.rota.jdbc.TlsItSupport.assertProbed;
import static io.rota.jdbc.TlsItSupport.assertReportedDown;
import static io.rota.jdbc.TlsItSupport.twoNodes;
import static io.rota.jdbc.TlsItSupport.writesAndReadsEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.testkit.MariaDbCluster;
import io.rota.testkit.TestCertificates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rota over TLS on a real MariaDB primary and GTID replica started with a test CA's certificate and
 * {@code require_secure_transport=ON} ({@link MariaDbCluster#startWithTls}): the server refuses every
 * TCP connection without TLS, so the routed connections, the health checks and the role and lag
 * probes that succeed do so over TLS, verified by the pools' {@code sslMode=verify-full}; the replica
 * replicates over verified TLS too. A TLS handshake that fails leaves the node reported down with the
 * TLS reason, never tried in plain. Unlike pgjdbc, Connector/J accepts a server whose certificate the
 * trusted CA did not sign when the server proves it knows the user's password (see that test).
 */
class MariaDbTlsIT {

  private static MariaDbCluster cluster;
  private static DataSource primaryPool;
  private static DataSource replicaPool;

  @TempDir
  static Path otherCaDirectory;

  @BeforeAll
  static void startCluster() {
    cluster = MariaDbCluster.startWithTls(1);
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

  @Test
  void connectionsWithoutTlsAreRefused() {
    for (int node = 0; node <= 1; node++) {
      String url = cluster.jdbcUrlWithoutTls(node);
      for (String[] user : List.of(new String[] {MariaDbCluster.APP_USER, MariaDbCluster.APP_PASSWORD},
          new String[] {MariaDbCluster.ADMIN_USER, MariaDbCluster.ADMIN_PASSWORD})) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, user[0], user[1]).close())
            .as("plain connection of %s to node %d", user[0], node)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("insecure transport");
      }
    }
  }

  @Test
  void readsOnTheReplicaAndWritesOnThePrimaryRunOverVerifiedTls() throws SQLException {
    try (RoutingDataSource ds = twoNodes("mariadb-tls", primaryPool, replicaPool).build()) {
      writesAndReadsEach(ds, 20, MariaDbRoutingIT::servedBy, (c, what) -> {
        assertThat(sessionStatus(c, "Ssl_cipher")).as(what + ": cipher").isNotBlank();
        assertThat(sessionStatus(c, "Ssl_version")).as(what + ": protocol").startsWith("TLSv1.");
      });
    }
    // The replica receives the primary's binlog over TLS, the primary's certificate verified.
    try (Connection c = cluster.adminDataSource(1).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW REPLICA STATUS")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("Slave_IO_Running")).isEqualTo("Yes");
      assertThat(rs.getString("Master_SSL_Allowed")).isEqualTo("Yes");
      assertThat(rs.getString("Master_SSL_Verify_Server_Cert")).isEqualTo("Yes");
    }
  }

  @Test
  void healthChecksAndRoleAndLagProbesRunOverTheSameVerifiedPools() {
    // require_secure_transport refuses every plain TCP connection (see the first test): checks that
    // found the primary in its role and the replica healthy, with its lag measured, ran over TLS.
    try (RoutingDataSource ds = twoNodes("mariadb-tls-probes", primaryPool, replicaPool).build()) {
      assertProbed(ds, "MariaDB");
    }
  }

  @Test
  void anotherCaIsAcceptedByConnectorJOnlyOverTlsWithTheServerProvingItKnowsThePassword() throws Exception {
    // MariaDB Connector/J 3.4+ with a MariaDB 11.4+ server: a certificate the trusted CA did not sign is
    // accepted, and its host name not checked, when the server proves in the authentication exchange that it
    // knows the user's password hash (MariaDB's "zero-configuration TLS"). Still TLS, never plain.
    TestCertificates other = TestCertificates.create(otherCaDirectory);
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrlTrusting(0, other.caFile()),
        MariaDbCluster.APP_USER, MariaDbCluster.APP_PASSWORD)) {
      assertThat(sessionStatus(c, "Ssl_cipher")).isNotBlank();
    }
  }

  @Test
  void aTlsHandshakeFailureIsReportedDownWithTheTlsReasonAndNotRetriedInPlain() throws Exception {
    String tls11 = "&enabledSslProtocolSuites=TLSv1.1"; // disabled in the JDK, below what the server offers
    assertThatThrownBy(() -> DriverManager.getConnection(cluster.jdbcUrl(0) + tls11,
        MariaDbCluster.APP_USER, MariaDbCluster.APP_PASSWORD).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("No appropriate protocol")
        .hasCauseInstanceOf(SSLHandshakeException.class);

    DataSource badPrimary = cluster.hikari(0, c -> c.setJdbcUrl(cluster.jdbcUrl(0) + tls11));
    DataSource badReplica = cluster.hikari(1, c -> c.setJdbcUrl(cluster.jdbcUrl(1) + tls11));
    try (RoutingDataSource ds = twoNodes("mariadb-bad-tls", badPrimary, badReplica)
        .healthCheckTimeout(Duration.ofSeconds(3)) // longer than the pools' 1 s connection timeout
        .build()) {
      List<String> said = assertReportedDown(ds, "No appropriate protocol", MariaDbCluster.APP_PASSWORD);
      assertThat(said).as("no plain attempt, which the server refuses as insecure transport")
          .noneMatch(s -> s.contains("insecure transport"));
    }
    try (Connection c = cluster.adminDataSource(0).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM items WHERE name = 'never'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A session status variable of the connection, {@code ""} when the server has none by that name. */
  private static String sessionStatus(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SHOW SESSION STATUS LIKE ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(2) : "";
      }
    }
  }
}
