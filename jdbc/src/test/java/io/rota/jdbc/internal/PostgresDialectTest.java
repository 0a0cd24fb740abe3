package io.rota.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** PostgreSQL's replayed position, on a scripted server (its other probes run on real ones: PgClusterIT). */
class PostgresDialectTest {

  private static final String REPLAYED = "SELECT pg_last_wal_replay_lsn()::text";

  @Test
  void replayedPositionReadsOnlyTheReplayLsn() throws SQLException {
    MySqlStubConnection server = new MySqlStubConnection().value(REPLAYED, "0/3000060");
    assertThat(PostgresDialect.INSTANCE.replayedPosition(server.connection())).isEqualTo("0/3000060");
    server.value(REPLAYED, null);
    assertThat(PostgresDialect.INSTANCE.replayedPosition(server.connection())).as("not in recovery").isNull();
    assertThat(server.executed()).containsOnly(REPLAYED);
  }

  @Test
  void timelineIsTheFirstEightHexDigitsOfTheWalFileName() {
    assertThat(PostgresDialect.timelineOf("000000020000000000000003")).isEqualTo(2);
    assertThat(PostgresDialect.timelineOf("0000001A0000000100000003")).isEqualTo(26);
    assertThat(PostgresDialect.timelineOf(null)).isEqualTo(-1);
    assertThat(PostgresDialect.timelineOf("garbage")).isEqualTo(-1);
  }
}
