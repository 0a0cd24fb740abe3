package io.rota.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.internal.MySqlFamilyDialect.Channel;
import io.rota.jdbc.spi.Dialect.ReplicaStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MySQL GTID sets and detection, on plain strings; the status probe on a scripted server, with and
 * without {@code REPLICATION CLIENT}.
 */
class MySqlDialectTest {

  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String B = "4d2b9c1a-0000-11ef-8000-0242ac120002";

  private final MySqlDialect d = MySqlDialect.INSTANCE;

  @Test
  void supports_mySqlConnectorJOnAMySqlServer() {
    assertThat(d.supports("MySQL")).isTrue();
    assertThat(d.supports("MySQL", "8.0.36")).isTrue();
    assertThat(d.supports("MySQL", "8.4.2-commercial")).isTrue();
  }

  @Test
  void supports_notMariaDb() {
    assertThat(d.supports("MariaDB")).isFalse();
    assertThat(d.supports("MariaDB", "11.4.5-MariaDB-log")).isFalse();
    assertThat(d.supports("MySQL", "11.4.5-MariaDB-log")).as("MySQL Connector/J on MariaDB").isFalse();
    assertThat(d.supports("PostgreSQL", "17.2")).isFalse();
  }

  @Test
  void coversIsSubset() {
    assertThat(d.covers(A + ":1-10", A + ":1-10")).isTrue();
    assertThat(d.covers(A + ":1-10", A + ":3-7")).isTrue();
    assertThat(d.covers(A + ":1-10", A + ":10")).isTrue();
    assertThat(d.covers(A + ":1-10", A + ":1-11")).isFalse();
    assertThat(d.covers(A + ":1-10", A + ":11")).isFalse();
  }

  @Test
  void coversWithGaps() {
    String replayed = A + ":1-5:7-9";
    assertThat(d.covers(replayed, A + ":1-5")).isTrue();
    assertThat(d.covers(replayed, A + ":8")).isTrue();
    assertThat(d.covers(replayed, A + ":6")).as("in the gap").isFalse();
    assertThat(d.covers(replayed, A + ":1-9")).as("spans the gap").isFalse();
    assertThat(d.covers(replayed, A + ":1-5:7-9")).isTrue();
    // Adjacent and overlapping intervals merge.
    assertThat(d.covers(A + ":1-5:6-9", A + ":1-9")).isTrue();
    assertThat(d.covers(A + ":4-9:1-5", A + ":1-9")).isTrue();
  }

  @Test
  void coversNeedsEverySource() {
    String replayed = A + ":1-10,\n" + B + ":1-3";
    assertThat(d.covers(replayed, B + ":2," + A + ":5")).isTrue();
    assertThat(d.covers(replayed, A + ":1-10,\n" + B + ":1-4")).isFalse();
    assertThat(d.covers(A + ":1-10", A + ":1-10," + B + ":1")).as("source B missing").isFalse();
    // UUIDs compare regardless of case.
    assertThat(d.covers(A.toUpperCase(java.util.Locale.ROOT) + ":1-10", A + ":1-10")).isTrue();
  }

  @Test
  void coversEmptySets() {
    assertThat(d.covers("", "")).isTrue();
    assertThat(d.covers(A + ":1", "")).isTrue();
    assertThat(d.covers("", A + ":1")).isFalse();
  }

  @Test
  void coversTaggedGtids() {
    String replayed = A + ":1-5:audit:1-3";
    assertThat(d.covers(replayed, A + ":audit:2")).isTrue();
    assertThat(d.covers(replayed, A + ":AUDIT:2")).as("tags compare regardless of case").isTrue();
    assertThat(d.covers(replayed, A + ":audit:4")).isFalse();
    assertThat(d.covers(replayed, A + ":other:1")).isFalse();
    assertThat(d.covers(replayed, A + ":1-5")).isTrue();
  }

  @Test
  void parseGtidSet_invalid() {
    for (String bad : new String[] {"nonsense", A, A + ":", A + ":0", A + ":5-3", A + ":x-1", "3e11fa47:1-5",
        A + ":1:tag", A + ":1-2-3"}) {
      assertThatThrownBy(() -> MySqlDialect.parseGtidSet(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("GTID set: '" + bad + "'");
    }
  }

  @Test
  void lagRulesAreTheFamilysOnGtidSets() {
    assertThat(d.lag(new Channel(true, 4L, A + ":1-10"), A + ":1-10", A + ":1-10")).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, 4L, A + ":1-10"), A + ":1-6", A + ":1-10")).isEqualTo(Duration.ofSeconds(4));
    assertThat(d.lag(new Channel(false, null, A + ":1-10"), A + ":1-10", A + ":1-10")).isNull();
    assertThat(d.lag(new Channel(true, null, A + ":1-10"), A + ":1-10", null)).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, null, A + ":1-10"), A + ":1-8", null)).isNull();
  }

  // ------------------------------------------------------------------ without REPLICATION CLIENT

  private static final String APPLIED = "SELECT @@global.gtid_executed";

  /** A replica whose user lacks REPLICATION CLIENT (MySQL 8.0.22+), having applied {@code applied}. */
  private static MySqlStubConnection withoutReplicationClient(String applied) {
    return new MySqlStubConnection().statusDenied("SUPER, REPLICATION CLIENT").value(APPLIED, applied);
  }

  @Test
  void replicaStatus_statusRefusedAndCaughtUp_zeroLagWithALimitation() throws SQLException {
    ReplicaStatus s = d.replicaStatus(withoutReplicationClient(A + ":1-10").connection(), A + ":1-10");
    assertThat(s.replayed()).isEqualTo(A + ":1-10");
    assertThat(s.lag()).isEqualTo(Duration.ZERO);
    assertThat(s.limitation())
        .startsWith("user lacks REPLICATION CLIENT (MySQL)")
        .contains("Seconds_Behind_Source", "estimated from GTID sets", "stopped SQL thread");
  }

  @Test
  void replicaStatus_statusRefusedAndBehind_unknownLagWithALimitation() throws SQLException {
    ReplicaStatus s = d.replicaStatus(withoutReplicationClient(A + ":1-10").connection(), A + ":1-12");
    assertThat(s.replayed()).isEqualTo(A + ":1-10");
    assertThat(s.lag()).isNull();
    assertThat(s.limitation()).contains("REPLICATION CLIENT");
  }

  @Test
  void replicaStatus_statusRefusedAndPrimaryUnknown_unknownLagWithALimitation() throws SQLException {
    ReplicaStatus s = d.replicaStatus(withoutReplicationClient(A + ":1-10").connection(), null);
    assertThat(s.replayed()).isEqualTo(A + ":1-10");
    assertThat(s.lag()).as("what it received is not readable either").isNull();
    assertThat(s.limitation()).isNotNull();
  }

  @Test
  void replicaStatus_statusRefusedWithoutGtids_noPositionNoLag() throws SQLException {
    ReplicaStatus s = d.replicaStatus(withoutReplicationClient("").connection(), null);
    assertThat(s.replayed()).as("gtid_mode=OFF").isNull();
    assertThat(s.lag()).isNull();
    assertThat(s.limitation()).contains("gtid_mode=OFF");
  }

  @Test
  void replicaStatus_olderServerRefusesShowSlaveStatus_degradesTheSameWay() throws SQLException {
    MySqlStubConnection server = new MySqlStubConnection()
        .fails("SHOW REPLICA STATUS", 1064, "You have an error in your SQL syntax") // before 8.0.22
        .fails("SHOW SLAVE STATUS", 1227, "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT"
            + " privilege(s) for this operation")
        .value(APPLIED, A + ":1-10");
    ReplicaStatus s = d.replicaStatus(server.connection(), A + ":1-10");
    assertThat(s).isEqualTo(new ReplicaStatus(A + ":1-10", Duration.ZERO, s.limitation()));
    assertThat(s.limitation()).isNotNull();
    assertThat(server.executed()).containsExactly("SHOW REPLICA STATUS", "SHOW SLAVE STATUS", APPLIED);
  }

  @Test
  void replicaStatus_otherErrorsStillFail() {
    MySqlStubConnection server = new MySqlStubConnection()
        .fails("SHOW REPLICA STATUS", 2013, "Lost connection to server during query")
        .value(APPLIED, A + ":1-10");
    assertThatThrownBy(() -> d.replicaStatus(server.connection(), A + ":1-10"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Lost connection");
  }

  @Test
  void replicaStatus_withReplicationClient_exactLagAndNoLimitation() throws SQLException {
    MySqlStubConnection server = new MySqlStubConnection()
        .row("SHOW REPLICA STATUS", "Replica_SQL_Running", "Yes", "Seconds_Behind_Source", "3",
            "Retrieved_Gtid_Set", A + ":1-12")
        .value(APPLIED, A + ":1-10");
    assertThat(d.replicaStatus(server.connection(), A + ":1-12"))
        .isEqualTo(new ReplicaStatus(A + ":1-10", Duration.ofSeconds(3)));
    server.row("SHOW REPLICA STATUS", "Replica_SQL_Running", "No", "Seconds_Behind_Source", null,
        "Retrieved_Gtid_Set", A + ":1-12");
    assertThat(d.replicaStatus(server.connection(), A + ":1-12"))
        .as("a stopped applier is seen at once").isEqualTo(new ReplicaStatus(A + ":1-10", null, null));
  }

  @Test
  void replayedPositionReadsOnlyGtidExecuted() throws SQLException {
    MySqlStubConnection server = withoutReplicationClient(A + ":1-10");
    assertThat(d.replayedPosition(server.connection())).isEqualTo(A + ":1-10");
    assertThat(server.executed()).containsExactly(APPLIED);
  }

  @Test
  void isReplicaNeedsNoGrant() throws SQLException {
    String sql = "SELECT @@global.read_only, @@global.innodb_read_only";
    MySqlStubConnection server = withoutReplicationClient(A + ":1")
        .row(sql, "@@global.read_only", "1", "@@global.innodb_read_only", "0");
    assertThat(d.isReplica(server.connection())).isTrue();
    server.row(sql, "@@global.read_only", "0", "@@global.innodb_read_only", "0");
    assertThat(d.isReplica(server.connection())).isFalse();
    assertThat(server.executed()).containsOnly(sql);
  }

  @Test
  void roleProbeReadsServerIdsAndTheSourceWhereTheGrantAllows() throws SQLException {
    String flags = "SELECT @@global.read_only, @@global.innodb_read_only";
    MySqlStubConnection primary = new MySqlStubConnection()
        .row(flags, "@@global.read_only", "0", "@@global.innodb_read_only", "0")
        .value("SELECT @@global.server_id", "2");
    assertThat(d.probeRole(primary.connection()))
        .isEqualTo(io.rota.jdbc.spi.NodeRole.writable().withServerId("2"));
    MySqlStubConnection replica = new MySqlStubConnection()
        .row(flags, "@@global.read_only", "1", "@@global.innodb_read_only", "0")
        .value("SELECT @@global.server_id", "3")
        .row("SHOW REPLICA STATUS", "Replica_SQL_Running", "Yes", "Source_Server_Id", "2");
    assertThat(d.probeRole(replica.connection()))
        .isEqualTo(io.rota.jdbc.spi.NodeRole.readOnly().withServerId("3").withSourceServerId("2"));
    replica.fails("SHOW REPLICA STATUS", 1227, "Access denied; you need REPLICATION CLIENT");
    assertThat(d.probeRole(replica.connection()))
        .isEqualTo(io.rota.jdbc.spi.NodeRole.readOnly().withServerId("3")); // no grant: source unknown
    replica.fails("SHOW REPLICA STATUS", 1064, "syntax").row("SHOW SLAVE STATUS", "Master_Server_Id", "2");
    assertThat(d.probeRole(replica.connection()).sourceServerId()).isEqualTo("2"); // older servers
  }

  @Test
  void accessDenialsAreTheGrantErrors() {
    for (int code : List.of(1044, 1045, 1142, 1227)) {
      assertThat(MySqlFamilyDialect.isAccessDenied(new SQLException("denied", "42000", code))).as("%d", code).isTrue();
    }
    for (int code : List.of(0, 1064, 1193, 2013)) {
      assertThat(MySqlFamilyDialect.isAccessDenied(new SQLException("other", "42000", code))).as("%d", code).isFalse();
    }
  }
}
