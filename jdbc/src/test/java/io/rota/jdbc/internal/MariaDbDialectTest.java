package io.rota.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.internal.MySqlFamilyDialect.Channel;
import io.rota.jdbc.spi.Dialect.ReplicaStatus;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * MariaDB GTID positions, detection and the lag rules, on plain strings; the status probe without
 * {@code REPLICA MONITOR} on a scripted server (on a real one: {@code MariaDbLeastPrivilegeIT}).
 */
class MariaDbDialectTest {

  private final MariaDbDialect d = MariaDbDialect.INSTANCE;

  @Test
  void supports_mariaDbConnectorJ() {
    assertThat(d.supports("MariaDB")).isTrue();
    assertThat(d.supports("MariaDB", "11.4.5-MariaDB-log")).isTrue();
    assertThat(d.supports("PostgreSQL", "17.2")).isFalse();
  }

  @Test
  void supports_mySqlConnectorJOnAMariaDbServer() {
    // MySQL Connector/J (and MariaDB Connector/J with useMysqlMetadata) says "MySQL"; the version tells.
    assertThat(d.supports("MySQL", "11.4.5-MariaDB-log")).isTrue();
    assertThat(d.supports("MySQL", "5.5.5-10.6.18-MariaDB")).isTrue();
    assertThat(d.supports("MySQL", "8.0.36")).isFalse();
    assertThat(d.supports("MySQL")).isFalse();
  }

  @Test
  void coversWithinOneDomainBySequenceNumber() {
    assertThat(d.covers("0-1-42", "0-1-42")).isTrue();
    assertThat(d.covers("0-1-43", "0-1-42")).isTrue();
    assertThat(d.covers("0-1-41", "0-1-42")).isFalse();
    // Sequence numbers grow across servers of a domain (after a failover): the server id is not compared.
    assertThat(d.covers("0-2-50", "0-1-42")).isTrue();
    assertThat(d.covers("0-1-42", "0-2-43")).isFalse();
  }

  @Test
  void coversNeedsEveryRequiredDomain() {
    assertThat(d.covers("0-1-10,1-2-5", "0-1-10,1-2-5")).isTrue();
    assertThat(d.covers("0-1-10,1-2-5", "1-2-5")).isTrue();
    assertThat(d.covers("0-1-10,1-2-4", "0-1-10,1-2-5")).isFalse();
    assertThat(d.covers("0-1-10", "0-1-10,1-2-5")).as("domain 1 missing").isFalse();
    assertThat(d.covers("1-2-5,0-1-10", "0-1-9,1-2-5")).as("order does not matter").isTrue();
  }

  @Test
  void coversEmptyPositions() {
    assertThat(d.covers("", "")).isTrue();
    assertThat(d.covers("0-1-1", "")).isTrue();
    assertThat(d.covers("", "0-1-1")).isFalse();
  }

  @Test
  void coversToleratesWhitespaceRepeatedDomainsAndBigSequenceNumbers() {
    assertThat(d.covers(" 0-1-10 ,\n1-2-5 ", "0-1-10,1-2-5")).isTrue();
    // gtid_binlog_state style: several servers of one domain; the highest sequence number counts.
    assertThat(d.covers("0-1-10,0-2-7", "0-1-9")).isTrue();
    assertThat(MariaDbDialect.parsePosition("0-1-10,0-2-7,0-3-12")).containsEntry(0L, 12L);
    // Sequence numbers are unsigned 64-bit.
    assertThat(d.covers("0-1-18446744073709551615", "0-1-9223372036854775808")).isTrue();
    assertThat(d.covers("0-1-9223372036854775808", "0-1-18446744073709551615")).isFalse();
    assertThat(d.covers("4294967295-4294967295-3", "4294967295-1-3")).isTrue();
  }

  @Test
  void parsePosition_invalid() {
    for (String bad : new String[] {"0-1", "0-1-2-3", "a-1-2", "0-1-x", "0--2", "0-1-2,3"}) {
      assertThatThrownBy(() -> MariaDbDialect.parsePosition(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("GTID position: '" + bad + "'")
          .hasMessageContaining("expected: comma-separated domain-server-sequence");
    }
  }

  @Test
  void lagIsUnknownWhenNotReplicatingOrTheSqlThreadIsStopped() {
    assertThat(d.lag(null, "0-1-5", "0-1-5")).as("no replication configured").isNull();
    assertThat(d.lag(new Channel(false, null, "0-1-5"), "0-1-5", "0-1-5")).as("SQL thread stopped").isNull();
    assertThat(d.lag(new Channel(false, null, "0-1-5"), "0-1-5", null)).isNull();
  }

  @Test
  void lagIsZeroOnceThePrimarysPositionIsApplied() {
    assertThat(d.lag(new Channel(true, 7L, "0-1-9"), "0-1-9", "0-1-9")).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, null, null), "0-1-9", "0-1-8")).isEqualTo(Duration.ZERO);
  }

  @Test
  void lagIsSecondsBehindMasterWhileBehind() {
    assertThat(d.lag(new Channel(true, 3L, "0-1-9"), "0-1-5", "0-1-9")).isEqualTo(Duration.ofSeconds(3));
    assertThat(d.lag(new Channel(true, 0L, "0-1-9"), null, "0-1-9")).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, 2L, "0-1-9"), "0-1-5", null)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void withTheIoThreadDownAndThePrimaryUnknownAReplicaThatAppliedAllItReceivedIsCaughtUp() {
    assertThat(d.lag(new Channel(true, null, "0-1-9"), "0-1-9", null)).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, null, null), "0-1-9", null)).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, null, "0-1-9"), "0-1-7", null)).isNull();
  }

  @Test
  void withTheIoThreadDownAndThePrimaryAheadLagIsUnknown() {
    assertThat(d.lag(new Channel(true, null, "0-1-9"), "0-1-9", "0-1-12")).isNull();
  }

  @Test
  void readOnlyValues() {
    assertThat(MySqlFamilyDialect.isOn("1")).isTrue();
    assertThat(MySqlFamilyDialect.isOn("ON")).isTrue();
    assertThat(MySqlFamilyDialect.isOn("NO_LOCK_NO_ADMIN")).isTrue();
    assertThat(MySqlFamilyDialect.isOn("0")).isFalse();
    assertThat(MySqlFamilyDialect.isOn("OFF")).isFalse();
    assertThat(MySqlFamilyDialect.isOn(null)).isFalse();
  }

  @Test
  void replicaStatus_withoutReplicaMonitor_appliedPositionLagFromPositionsAndALimitation() throws SQLException {
    MySqlStubConnection server = new MySqlStubConnection()
        .statusDenied("SLAVE MONITOR")
        .value("SELECT @@global.gtid_slave_pos", "0-1-9");
    ReplicaStatus caughtUp = d.replicaStatus(server.connection(), "0-1-9");
    assertThat(caughtUp.replayed()).isEqualTo("0-1-9");
    assertThat(caughtUp.lag()).isEqualTo(Duration.ZERO);
    assertThat(caughtUp.limitation())
        .startsWith("user lacks REPLICA MONITOR (MariaDB 10.5+")
        .contains("Seconds_Behind_Master", "estimated from GTID positions", "stopped SQL thread");
    assertThat(d.replicaStatus(server.connection(), "0-1-12"))
        .isEqualTo(new ReplicaStatus("0-1-9", null, caughtUp.limitation()));
    assertThat(d.replicaStatus(server.connection(), null).lag()).isNull();
  }

  @Test
  void replayedPositionReadsOnlyGtidSlavePos() throws SQLException {
    MySqlStubConnection server = new MySqlStubConnection().value("SELECT @@global.gtid_slave_pos", "0-1-9,1-3-2");
    assertThat(d.replayedPosition(server.connection())).isEqualTo("0-1-9,1-3-2");
    server.value("SELECT @@global.gtid_slave_pos", "");
    assertThat(d.replayedPosition(server.connection())).as("nothing applied yet").isNull();
    assertThat(server.executed()).containsOnly("SELECT @@global.gtid_slave_pos");
  }
}
