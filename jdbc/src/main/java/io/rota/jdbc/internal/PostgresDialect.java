package io.rota.jdbc.internal;

import io.rota.jdbc.spi.Dialect;
import io.rota.jdbc.spi.NodeRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL streaming replication. Role: {@code pg_is_in_recovery()}. Positions are WAL LSNs
 * ({@code 16/B374D848}). Lag: zero when the replica has replayed the primary's current LSN; else the
 * time since the last replayed commit ({@code now() - pg_last_xact_replay_timestamp()}), which grows
 * while replay is behind or paused. Without the primary's position (primary down), a replica that has
 * replayed all it received counts as caught up. Every query here works for any user (the monitoring
 * functions need no grant), so a status never carries a limitation.
 *
 * <h2>Timeline</h2>
 * {@link #probeRole} reads a writable node's timeline from the name of its current WAL segment,
 * {@code pg_walfile_name(pg_current_wal_lsn())}, whose first 8 hexadecimal digits are the timeline id:
 * any user may call both. ({@code pg_control_checkpoint()} has it too, but only superusers and members
 * of {@code pg_monitor} may call it, and it shows the timeline of the last checkpoint, which trails a
 * promotion until the next checkpoint ends.) A read-only node's timeline is not read: only writable
 * nodes are compared.
 *
 * <p>Thread-safe and stateless.
 */
public final class PostgresDialect implements Dialect {

  /** The shared instance. */
  public static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {}

  @Override
  public String name() {
    return "PostgreSQL";
  }

  @Override
  public boolean supports(String databaseProductName) {
    return databaseProductName.toLowerCase(java.util.Locale.ROOT).contains("postgresql");
  }

  @Override
  public boolean isReplica(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** {@code pg_is_in_recovery()}, and for a writable node its timeline (see the class documentation). */
  @Override
  public NodeRole probeRole(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END")) {
      rs.next();
      if (rs.getBoolean(1)) {
        return NodeRole.readOnly();
      }
      return NodeRole.writable().withTimeline(timelineOf(rs.getString(2)));
    }
  }

  /** The timeline id in a WAL file name ({@code 000000020000000000000003}: 2), or -1 if not one. */
  static long timelineOf(@Nullable String walFileName) {
    if (walFileName == null || walFileName.length() != 24) {
      return -1;
    }
    try {
      return Long.parseLong(walFileName.substring(0, 8), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public @Nullable String currentPosition(Connection primary) throws SQLException {
    try (Statement st = primary.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public ReplicaStatus replicaStatus(Connection replica, @Nullable String primaryPosition) throws SQLException {
    try (Statement st = replica.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_last_wal_replay_lsn()::text, pg_last_wal_receive_lsn()::text,"
            + " EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp()))")) {
      rs.next();
      String replayed = rs.getString(1);
      String received = rs.getString(2);
      double seconds = rs.getDouble(3);
      boolean noTimestamp = rs.wasNull();
      if (replayed == null) {
        return new ReplicaStatus(null, null);
      }
      boolean caughtUp = primaryPosition != null
          ? covers(replayed, primaryPosition)
          : received == null || covers(replayed, received);
      if (caughtUp) {
        return new ReplicaStatus(replayed, Duration.ZERO);
      }
      if (noTimestamp) {
        return new ReplicaStatus(replayed, null);
      }
      return new ReplicaStatus(replayed, Duration.ofNanos((long) (Math.max(0, seconds) * 1e9)));
    }
  }

  /** Reads {@code pg_last_wal_replay_lsn()}: one round trip, no grant needed. */
  @Override
  public @Nullable String replayedPosition(Connection replica) throws SQLException {
    try (Statement st = replica.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_last_wal_replay_lsn()::text")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Override
  public boolean covers(String replayed, String required) {
    return parseLsn(replayed) >= parseLsn(required);
  }

  /** Parses an LSN {@code X/Y} (two hexadecimal halves) into one unsigned-comparable long. */
  static long parseLsn(String lsn) {
    int slash = lsn.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("LSN: '" + lsn + "' (expected: two hexadecimal numbers as X/Y)");
    }
    long hi = Long.parseLong(lsn.substring(0, slash), 16);
    long lo = Long.parseLong(lsn.substring(slash + 1), 16);
    return (hi << 32) | lo;
  }

  @Override
  public String toString() {
    return name();
  }
}
