package io.rota.jdbc.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link io.rota.jdbc.RoutingDataSource} needs to know about a database family: how to tell a
 * replica from a primary, how far behind a replica is, and where the primary's log stands. A
 * <em>position</em> is an opaque string the dialect produces and compares (a PostgreSQL WAL LSN, a
 * MySQL GTID set).
 *
 * <p>Implementations must be thread-safe. Every method gets a connection it must not close.
 */
public interface Dialect {

  /** Returns the dialect name, for logs and snapshots. */
  String name();

  /** Returns whether this dialect serves a database whose JDBC product name is the given one. */
  boolean supports(String databaseProductName);

  /**
   * Returns whether this dialect serves a database whose JDBC product name and version
   * ({@code DatabaseMetaData.getDatabaseProductName()} and {@code getDatabaseProductVersion()}) are
   * the given ones. Detection calls this one. The default asks {@link #supports(String)}; override it
   * where the name alone is ambiguous (MySQL Connector/J names MariaDB servers {@code MySQL}; their
   * version says {@code MariaDB}).
   */
  default boolean supports(String databaseProductName, String databaseProductVersion) {
    return supports(databaseProductName);
  }

  /**
   * Returns whether the node behind the connection is a replica (read-only, replaying another node's
   * log).
   *
   * @throws SQLException if the node cannot answer
   */
  boolean isReplica(Connection connection) throws SQLException;

  /**
   * Returns the primary's current log position, or {@code null} if the database has none.
   *
   * @throws SQLException if the node cannot answer
   */
  @Nullable String currentPosition(Connection primary) throws SQLException;

  /**
   * Returns the replica's status: the position it has replayed and how far behind the primary it is.
   *
   * @param primaryPosition the primary's current position, or {@code null} if unknown
   * @throws SQLException if the node cannot answer
   */
  ReplicaStatus replicaStatus(Connection replica, @Nullable String primaryPosition) throws SQLException;

  /**
   * Returns the position a replica has replayed, with the cheapest query the database has and no
   * special grant; {@code null} if unknown. Causal read-your-writes calls it on the read path. The
   * default asks {@link #replicaStatus}.
   *
   * @throws SQLException if the node cannot answer
   */
  default @Nullable String replayedPosition(Connection replica) throws SQLException {
    return replicaStatus(replica, null).replayed();
  }

  /**
   * Returns whether position {@code replayed} includes everything up to position {@code required}.
   */
  boolean covers(String replayed, String required);

  /**
   * A replica's replication status.
   *
   * @param replayed the position replayed so far, or {@code null} if unknown
   * @param lag how far behind the primary it is; {@code null} when replication is stopped or the lag
   *     cannot be told
   * @param limitation {@code null}, or why the dialect could not measure the lag with this user's
   *     rights (one sentence naming the missing grant and what it disables); {@code lag} is then
   *     {@code null} and the routing data source estimates the lag from {@code replayed} against the
   *     primary's recent positions, and logs the limitation once at WARN
   */
  record ReplicaStatus(@Nullable String replayed, @Nullable Duration lag, @Nullable String limitation) {
    /** A status measured in full: no limitation. */
    public ReplicaStatus(@Nullable String replayed, @Nullable Duration lag) {
      this(replayed, lag, null);
    }
  }
}
