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
   * Probes a node's role for a routing data source whose nodes have no fixed role
   * ({@code RoutingDataSourceBuilder.node}): whether it takes writes, and what tells two writable
   * nodes apart (see {@link NodeRole}). Called on every health check of such a node, so it must need
   * no grant an application user lacks. The default returns {@link NodeRole#readOnly()} when
   * {@link #isReplica} says so, else {@link NodeRole#writable()}, with nothing else known.
   *
   * @throws SQLException if the node cannot answer
   */
  default NodeRole probeRole(Connection connection) throws SQLException {
    return isReplica(connection) ? NodeRole.readOnly() : NodeRole.writable();
  }

  /**
   * Returns the primary's current log position, or {@code null} if the database has none.
   *
   * @throws SQLException if the node cannot answer
   */
  @Nullable String currentPosition(Connection primary) throws SQLException;

  /**
   * Returns the replica's status: the position it has replayed and how far behind the primary it is.
   * Missing rights are not an error: when the user of the connection may not read the replication
   * status, an implementation returns what it can read with a {@link ReplicaStatus#limitation()}
   * saying what it could not.
   *
   * @param primaryPosition the primary's current position, or {@code null} if unknown
   * @throws SQLException if the node cannot answer
   */
  ReplicaStatus replicaStatus(Connection replica, @Nullable String primaryPosition) throws SQLException;

  /**
   * Returns the position the replica has replayed, or {@code null} if unknown: with the cheapest query
   * the database has, and one that needs no special grant. Causal read-your-writes calls it on the
   * read path. The default returns {@code replicaStatus(replica, null).replayed()}; override it where
   * that reads more than the position.
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
   * <ul>
   *   <li>{@code lag != null}: how far behind the primary the replica is.
   *   <li>{@code lag == null && limitation == null}: replication is stopped or the lag cannot be told;
   *       while a lag limit is set, the replica takes no reads.
   *   <li>{@code limitation != null}: the dialect could not measure the lag itself with the rights of
   *       the connection's user. {@code replayed} is then the applied position if readable, and
   *       {@code lag} only what positions alone tell: zero when {@code replayed} covers the primary's
   *       position given to {@link Dialect#replicaStatus}, else {@code null}. The routing data source
   *       then estimates the lag from {@code replayed} against the primary's position history, and
   *       logs {@code limitation} once at WARN.
   * </ul>
   *
   * @param replayed the position replayed so far, or {@code null} if unknown
   * @param lag how far behind the primary it is; {@code null} when replication is stopped or the lag
   *     cannot be told
   * @param limitation {@code null} when the dialect could read all it needs; else one sentence naming
   *     the missing grant and what its absence disables, for a WARN log
   */
  record ReplicaStatus(@Nullable String replayed, @Nullable Duration lag, @Nullable String limitation) {

    /**
     * Creates a status read with all the rights it needs (no limitation).
     *
     * @param replayed the position replayed so far, or {@code null} if unknown
     * @param lag how far behind the primary it is, or {@code null} when replication is stopped or the
     *     lag cannot be told
     */
    public ReplicaStatus(@Nullable String replayed, @Nullable Duration lag) {
      this(replayed, lag, null);
    }
  }
}
