package io.rota.jdbc;

import static io.rota.jdbc.ItSupport.await;
import static io.rota.jdbc.ItSupport.awaitReplicasHealthy;
import static io.rota.jdbc.ItSupport.catchSql;
import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * What {@link TlsIT} (PostgreSQL) and {@link MariaDbTlsIT} share: a routing data source over a primary
 * and one replica, routed work checked connection by connection, the probes' results, and a node
 * reported down for a TLS failure. The {@code items (id, name)} table must exist.
 */
final class TlsItSupport {

  private TlsItSupport() {}

  /** Asserts what the database says of the TLS session of the connection it is given. */
  interface TlsCheck {
    void on(Connection c, String what) throws SQLException;
  }

  /** A routing data source {@code name} over {@code primary} and {@code replica-1}, checked every 200 ms. */
  static RoutingDataSourceBuilder twoNodes(String name, DataSource primary, DataSource replica) {
    return RoutingDataSource.builder()
        .name(name)
        .primary("primary", primary)
        .replica("replica-1", replica)
        .healthCheckIntervalMillis(200);
  }

  /**
   * Runs {@code times} write transactions and read-only transactions through {@code ds}, and asserts
   * on the very connection Rota routed each to that the primary (writes) or {@code replica-1} (reads)
   * served it and that {@code tls} holds for it.
   */
  static void writesAndReadsEach(RoutingDataSource ds, int times, ItSupport.ServedBy servedBy, TlsCheck tls)
      throws SQLException {
    awaitReplicasHealthy(ds);
    for (int i = 0; i < times; i++) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (name) VALUES (?)")) {
          ps.setString(1, "tls-" + i);
          ps.executeUpdate();
        }
        assertThat(servedBy.on(c)).as("write %d", i).isEqualTo("primary");
        tls.on(c, "write " + i);
        c.commit();
      }
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        c.setAutoCommit(false); // one transaction: every statement on the node its first one chose
        assertThat(servedBy.on(c)).as("read %d", i).isEqualTo("replica-1");
        tls.on(c, "read " + i);
        c.commit();
      }
    }
    assertThat(ds.snapshot().primary().writes()).isEqualTo(times);
    assertThat(ds.snapshot().replica("replica-1").reads()).isEqualTo(times);
  }

  /**
   * Waits until the checks found the primary healthy in its role and {@code replica-1} healthy with
   * its lag measured, and asserts what the role and lag probes read.
   */
  static void assertProbed(RoutingDataSource ds, String dialect) {
    awaitReplicasHealthy(ds);
    await("the primary checked in its role", () -> ds.snapshot().primary().role() == RoutingSnapshot.Role.PRIMARY);
    await("the replica's lag measured", () -> ds.snapshot().replica("replica-1").lag() != null);
    RoutingSnapshot snapshot = ds.snapshot();
    assertThat(snapshot.dialect()).isEqualTo(dialect);
    assertThat(snapshot.primary().state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(snapshot.primary().position()).as("the primary's position, read by its probe").isNotNull();
    assertThat(snapshot.replica("replica-1").state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(snapshot.replica("replica-1").position()).as("the replica's position").isNotNull();
    assertThat(snapshot.replica("replica-1").lag()).isLessThan(Duration.ofSeconds(5));
  }

  /**
   * Waits until the primary is down and {@code replica-1} out, and asserts that both reasons, the
   * error of a write and {@code toString()} name {@code tlsReason} and never {@code password}. Returns
   * the reasons and the write's message, for more checks.
   */
  static List<String> assertReportedDown(RoutingDataSource ds, String tlsReason, String password) {
    await("the primary reported down", () -> ds.snapshot().primary().state() == EndpointState.DOWN
        && ds.snapshot().primary().reason() != null);
    await("the replica reported out", () -> ds.snapshot().replica("replica-1").state() != EndpointState.HEALTHY
        && ds.snapshot().replica("replica-1").reason() != null);
    SQLException write = catchSql(() -> {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("INSERT INTO items (name) VALUES ('never')");
      }
    });
    assertThat(write.getMessage()).contains("Primary 'primary' of '" + ds.name() + "' is down");
    List<String> said = List.of(ds.snapshot().primary().reason(), ds.snapshot().replica("replica-1").reason(),
        write.getMessage());
    for (String s : said) {
      assertThat(s).contains(tlsReason).doesNotContain(password);
    }
    assertThat(ds.toString()).doesNotContain(password);
    return said;
  }
}
