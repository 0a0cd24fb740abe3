package io.rota.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RoutingStatement} needs from the routing connection that made it: the connection to
 * report as its own, and the execution of its execute calls (binding, re-routing, the re-run rule and
 * failure reports all live in the connection). Implemented by {@code RoutingConnection}.
 *
 * <p>Not thread-safe, like the connection.
 */
interface StatementHost {

  /** What an execute call is, for the routing decisions made around it. */
  enum Kind {
    /** {@code executeQuery}: returns rows. The only kind that may be re-run elsewhere. */
    QUERY,
    /** {@code executeUpdate}, {@code executeLargeUpdate}. */
    UPDATE,
    /** {@code execute}: may read or write. */
    EXECUTE,
    /** {@code executeBatch}, {@code executeLargeBatch}. */
    BATCH
  }

  /** One execute call on a physical statement. */
  @FunctionalInterface
  interface Execution<T> {
    /** Runs the call on {@code physical}, the statement's current physical statement. */
    T run(Statement physical) throws SQLException;
  }

  /** Returns the routing connection: what {@code Statement.getConnection()} returns. */
  Connection connection();

  /**
   * Runs one execute call of {@code statement}: binds the connection if it is not bound, re-creates
   * the statement on the current physical connection when the connection re-routed since (see
   * {@link RoutingStatement#recreate}), runs {@code call} on {@link RoutingStatement#physical()},
   * re-runs it elsewhere where the re-run rule allows, and reports connection failures to the node.
   * A statement is re-created and re-run only if {@link RoutingStatement#canReplay()}: a pending batch
   * or a stream parameter cannot be sent again, and {@code recreate} refuses rather than lose it.
   * {@code call} may allocate (it captures the SQL); its result is boxed where the JDBC method returns
   * a primitive.
   *
   * @param sql the SQL of the call (its argument, or the prepared SQL), or {@code null} if unknown
   */
  <T> T execute(RoutingStatement statement, Kind kind, @Nullable String sql, Execution<T> call) throws SQLException;

  /** Tells the connection that the application closed {@code statement}; called once. */
  void statementClosed(RoutingStatement statement);
}
