package io.rota.jdbc.internal;

import io.rota.jdbc.spi.Dialect;
import io.rota.jdbc.spi.NodeRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What MariaDB and MySQL share: the role check and the lag probe. Subclasses say where the log
 * position is read and how two positions compare.
 *
 * <h2>Role</h2>
 * A node is a replica when {@code @@global.read_only} (or {@code @@global.innodb_read_only}, where
 * the server has it) is on. Replicas must therefore run with {@code read_only=ON}: that is also what
 * makes the server refuse a write (of a user without {@code READ_ONLY ADMIN} / {@code SUPER}).
 *
 * <h2>Role probe (nodes without fixed roles)</h2>
 * {@link #probeRole}: writable when neither {@code read_only} nor {@code innodb_read_only} is on (on
 * MySQL {@code super_read_only=ON} turns {@code read_only} on too, so it is covered); the node's
 * {@code @@global.server_id}; and, for a read-only node, the {@code Master_Server_Id} /
 * {@code Source_Server_Id} of its replication status, where the user may read it (else unknown), so
 * that of two writable nodes the one the replicas follow can be told.
 *
 * <h2>Lag</h2>
 * From the replica's {@code SHOW REPLICA STATUS} (or {@code SHOW SLAVE STATUS} on servers older than
 * MariaDB 10.5 / MySQL 8.0.22) and the position it has applied; see {@link #lag}:
 * <ul>
 *   <li>not replicating (no status row) or the SQL (applier) thread stopped: unknown ({@code null}),
 *       so the replica takes no reads while a lag limit is set;
 *   <li>applied the primary's position (as of its last check): zero;
 *   <li>else {@code Seconds_Behind_Master} / {@code Seconds_Behind_Source}, when the server has it;
 *   <li>that is NULL while the applier runs when the receiver (I/O) thread is down and the relay log
 *       is used up: with the primary unreachable (its position unknown) a replica that has applied
 *       all it received is caught up as far as anyone can tell (zero), so a dead primary does not
 *       take its replicas down; with the primary reachable, the replica cannot catch up: unknown.
 * </ul>
 *
 * <h2>Rights</h2>
 * The checks run as the user of the replica connections. The role check and the positions need no
 * grant: any user may read {@code @@global.read_only}, {@code @@global.innodb_read_only} and the GTID
 * variables. {@code SHOW REPLICA STATUS} needs {@code REPLICA MONITOR} (MariaDB 10.5+) or
 * {@code REPLICATION CLIENT} (MySQL, older MariaDB), which an application user usually lacks. When it
 * is refused (access denied: error 1227, or 1044, 1045, 1142), {@link #replicaStatus} does not fail:
 * it returns the applied position, a lag of zero if that covers the primary's position and
 * {@code null} if not, and a {@linkplain ReplicaStatus#limitation() limitation} naming the grant. A
 * stopped applier is then told only from positions that stop moving.
 *
 * <p>Thread-safe and stateless.
 */
abstract class MySqlFamilyDialect implements Dialect {

  private static final int ER_PARSE_ERROR = 1064;
  private static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;
  private static final int ER_DBACCESS_DENIED = 1044;
  private static final int ER_ACCESS_DENIED = 1045;
  private static final int ER_TABLEACCESS_DENIED = 1142;
  private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;

  /** The statement that reads the primary's position. */
  abstract String currentPositionQuery();

  /** The statement that reads the position a replica has applied. */
  abstract String appliedPositionQuery();

  /** The status column with the position the replica has received, or {@code null}. */
  abstract String receivedPositionColumn();

  /** The {@link ReplicaStatus#limitation()} when the replication status may not be read. */
  abstract String statusLimitation();

  @Override
  public boolean isReplica(Connection connection) throws SQLException {
    String readOnly;
    String innodbReadOnly;
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@global.read_only, @@global.innodb_read_only")) {
      rs.next();
      readOnly = rs.getString(1);
      innodbReadOnly = rs.getString(2);
    } catch (SQLException e) {
      if (e.getErrorCode() != ER_UNKNOWN_SYSTEM_VARIABLE) {
        throw e;
      }
      readOnly = queryString(connection, "SELECT @@global.read_only");
      innodbReadOnly = null;
    }
    return isOn(readOnly) || isOn(innodbReadOnly);
  }

  @Override
  public NodeRole probeRole(Connection connection) throws SQLException {
    boolean readOnly = isReplica(connection);
    String serverId = nonEmpty(queryString(connection, "SELECT @@global.server_id"));
    if (!readOnly) {
      return NodeRole.writable().withServerId(serverId);
    }
    String source = null;
    try {
      source = sourceServerId(connection);
    } catch (SQLException e) {
      if (!isAccessDenied(e)) {
        throw e;
      }
    }
    return NodeRole.readOnly().withServerId(serverId).withSourceServerId(source);
  }

  /** The server id the node replicates from ({@code null} if none or several), from its replica status. */
  private static @Nullable String sourceServerId(Connection c) throws SQLException {
    String sql = "SHOW REPLICA STATUS";
    while (true) {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        int col = column(rs.getMetaData(), "Source_Server_Id", "Master_Server_Id");
        String found = null;
        int rows = 0;
        while (rs.next()) {
          rows++;
          found = col < 0 ? null : nonEmpty(rs.getString(col));
        }
        return rows == 1 && !"0".equals(found) ? found : null;
      } catch (SQLException e) {
        if (e.getErrorCode() == ER_PARSE_ERROR && sql.startsWith("SHOW REPLICA")) {
          sql = "SHOW SLAVE STATUS"; // MariaDB before 10.5.1, MySQL before 8.0.22
          continue;
        }
        throw e;
      }
    }
  }

  /** Returns whether a server variable's value means on: anything but 0, OFF or nothing. */
  static boolean isOn(@Nullable String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim();
    return !(v.isEmpty() || v.equals("0") || v.equalsIgnoreCase("OFF"));
  }

  @Override
  public @Nullable String currentPosition(Connection primary) throws SQLException {
    return nonEmpty(queryString(primary, currentPositionQuery()));
  }

  @Override
  public ReplicaStatus replicaStatus(Connection replica, @Nullable String primaryPosition) throws SQLException {
    Channel channel;
    try {
      channel = channel(replica);
    } catch (SQLException e) {
      if (!isAccessDenied(e)) {
        throw e;
      }
      String applied = replayedPosition(replica);
      boolean caughtUp = primaryPosition != null && covers(applied == null ? "" : applied, primaryPosition);
      return new ReplicaStatus(applied, caughtUp ? Duration.ZERO : null, statusLimitation());
    }
    String applied = replayedPosition(replica);
    return new ReplicaStatus(applied, lag(channel, applied, primaryPosition));
  }

  /** Reads the applied GTID variable: one round trip, no grant needed. */
  @Override
  public @Nullable String replayedPosition(Connection replica) throws SQLException {
    return nonEmpty(queryString(replica, appliedPositionQuery()));
  }

  /** Whether the server refused a statement for want of a privilege. */
  static boolean isAccessDenied(SQLException e) {
    int code = e.getErrorCode();
    return code == ER_SPECIFIC_ACCESS_DENIED || code == ER_ACCESS_DENIED || code == ER_TABLEACCESS_DENIED
        || code == ER_DBACCESS_DENIED;
  }

  /**
   * Returns the lag (see the class documentation), or {@code null} when it is unknown.
   *
   * @param channel the replication status, or {@code null} if the node replicates from nowhere
   * @param applied the position the replica has applied, or {@code null} if none
   * @param primaryPosition the primary's position, or {@code null} if unknown
   */
  @Nullable Duration lag(@Nullable Channel channel, @Nullable String applied, @Nullable String primaryPosition) {
    if (channel == null || !channel.applierRunning()) {
      return null;
    }
    if (primaryPosition != null && covers(applied == null ? "" : applied, primaryPosition)) {
      return Duration.ZERO;
    }
    if (channel.secondsBehind() != null) {
      return Duration.ofSeconds(Math.max(0, channel.secondsBehind()));
    }
    if (primaryPosition == null) {
      String received = channel.received();
      if (received == null || covers(applied == null ? "" : applied, received)) {
        return Duration.ZERO;
      }
    }
    return null;
  }

  /**
   * One replica's replication status.
   *
   * @param applierRunning whether the SQL (applier) thread runs
   * @param secondsBehind {@code Seconds_Behind_Master} / {@code Seconds_Behind_Source}, or
   *     {@code null} when the server reports NULL
   * @param received the position received from the primary, or {@code null} if unknown
   */
  record Channel(boolean applierRunning, @Nullable Long secondsBehind, @Nullable String received) {}

  /** Reads {@code SHOW REPLICA STATUS}: {@code null} when the node replicates from nowhere. */
  private @Nullable Channel channel(Connection replica) throws SQLException {
    try {
      return channel(replica, "SHOW REPLICA STATUS");
    } catch (SQLException e) {
      if (e.getErrorCode() == ER_PARSE_ERROR) { // MariaDB before 10.5.1, MySQL before 8.0.22
        return channel(replica, "SHOW SLAVE STATUS");
      }
      throw e;
    }
  }

  private @Nullable Channel channel(Connection replica, String sql) throws SQLException {
    try (Statement st = replica.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      int running = column(md, "Replica_SQL_Running", "Slave_SQL_Running");
      int behind = column(md, "Seconds_Behind_Source", "Seconds_Behind_Master");
      int received = column(md, receivedPositionColumn(), receivedPositionColumn());
      if (running < 0) {
        throw new SQLException("'" + sql + "' has no Replica_SQL_Running or Slave_SQL_Running column");
      }
      Channel result = null;
      int rows = 0;
      while (rs.next()) {
        rows++;
        boolean sqlRunning = "Yes".equalsIgnoreCase(rs.getString(running));
        Long seconds = null;
        if (behind >= 0) {
          long s = rs.getLong(behind);
          seconds = rs.wasNull() ? null : s;
        }
        String got = received < 0 ? null : nonEmpty(rs.getString(received));
        if (result == null) {
          result = new Channel(sqlRunning, seconds, got);
        } else { // several sources: the worst of them, and what was received is not one position
          Long worst = result.secondsBehind() == null || seconds == null ? null
              : Long.valueOf(Math.max(result.secondsBehind(), seconds));
          result = new Channel(result.applierRunning() && sqlRunning, worst, null);
        }
      }
      return rows == 0 ? null : result;
    }
  }

  private static int column(ResultSetMetaData md, String name, String alternative) throws SQLException {
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String label = md.getColumnLabel(i);
      if (label.equalsIgnoreCase(name) || label.equalsIgnoreCase(alternative)) {
        return i;
      }
    }
    return -1;
  }

  static @Nullable String queryString(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static @Nullable String nonEmpty(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return name();
  }
}
