package io.rota.jdbc.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.jspecify.annotations.Nullable;

/**
 * Classifies SQL errors by whose fault they are: the node's (its connection or server is gone), the
 * statement's or the caller's (a syntax error, a constraint, a timeout the caller set), or nobody's
 * in particular (a pool with no free connection). Routing and the replicas' circuit breakers act
 * on these classes only.
 *
 * <p>Stateless and thread-safe.
 */
public final class SqlErrors {

  /** PostgreSQL {@code query_canceled}: a statement timeout or a cancel request. */
  private static final String PG_QUERY_CANCELED = "57014";
  /** MySQL family: query interrupted (KILL QUERY, max_statement_time, max_execution_time). */
  private static final String MYSQL_INTERRUPTED = "70100";
  /** MariaDB {@code ER_STATEMENT_TIMEOUT} (max_statement_time). */
  private static final int MARIADB_STATEMENT_TIMEOUT = 1969;
  /** MySQL {@code ER_QUERY_TIMEOUT} (max_execution_time). */
  private static final int MYSQL_QUERY_TIMEOUT = 3024;
  /** MySQL family {@code ER_QUERY_INTERRUPTED}. */
  private static final int MYSQL_QUERY_INTERRUPTED = 1317;
  private static final int MAX_REASON_LENGTH = 300;

  private SqlErrors() {}

  /**
   * Returns whether the error means the connection (or the server behind it) is gone, as opposed to
   * an error in the statement: SQLState class 08 (connection exception), PostgreSQL's 57P01..57P03
   * (admin shutdown, crash shutdown, cannot connect now), the JDBC connection exception types, or an
   * I/O error as the cause. A timeout ({@link #isTimeout}) is not a connection error, even when the
   * driver reports it as one (pgjdbc's socket timeout is SQLState 08006).
   */
  public static boolean isConnectionError(@Nullable Throwable t) {
    if (t == null || isTimeout(t)) {
      return false;
    }
    for (Throwable c = t; c != null; c = next(c)) {
      if (c instanceof SQLTransientConnectionException
          || c instanceof SQLNonTransientConnectionException
          || c instanceof SQLRecoverableException
          || c instanceof IOException) {
        return true;
      }
      if (c instanceof SQLException) {
        String state = ((SQLException) c).getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
            || state.equals("57P03"))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns whether the error is a timeout: a query timeout (PostgreSQL 57014, MySQL family 70100,
   * error 1969, 3024 or 1317, {@link SQLTimeoutException}) or a socket read timeout (a
   * {@link SocketTimeoutException} anywhere in the cause chain: a network timeout fired). A timeout
   * says the statement took too long, not that the node is gone.
   */
  public static boolean isTimeout(@Nullable Throwable t) {
    if (isSocketTimeout(t)) {
      return true;
    }
    for (Throwable c = t; c != null; c = next(c)) {
      if (c instanceof SQLTimeoutException) {
        return true;
      }
      if (c instanceof SQLException) {
        SQLException e = (SQLException) c;
        String state = e.getSQLState();
        int code = e.getErrorCode();
        if (PG_QUERY_CANCELED.equals(state) || MYSQL_INTERRUPTED.equals(state)
            || code == MARIADB_STATEMENT_TIMEOUT || code == MYSQL_QUERY_TIMEOUT || code == MYSQL_QUERY_INTERRUPTED) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns whether a socket read timed out (a {@link SocketTimeoutException} anywhere in the cause
   * chain): a network timeout fired, as opposed to a query timeout the caller set.
   */
  public static boolean isSocketTimeout(@Nullable Throwable t) {
    for (Throwable c = t; c != null; c = next(c)) {
      if (c instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether a failure to take a connection from a node's pool is the node's fault: a
   * connection error, except a pool that merely ran out of connections (HikariCP's "Connection is
   * not available, request timed out" with no connection failure as its cause), and except a
   * feature the driver lacks.
   */
  public static boolean isNodeFault(@Nullable Throwable t) {
    if (t == null || t instanceof SQLFeatureNotSupportedException) {
      return false;
    }
    if (t instanceof SQLTransientConnectionException && t.getCause() == null
        && ((SQLException) t).getNextException() == null) {
      return false; // the caller's own pool is exhausted: nothing says the node is at fault
    }
    if (t instanceof SQLTransientConnectionException) {
      Throwable cause = t.getCause() != null ? t.getCause() : ((SQLException) t).getNextException();
      return isConnectionError(cause) || isTimeout(cause);
    }
    return isConnectionError(t);
  }

  /**
   * Describes an error for logs, events and snapshots: its SQLState (where there is one) and
   * message, first line only and at most 300 characters. Driver messages name hosts, ports, users
   * and databases, never passwords.
   */
  public static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
      sb.append("SQLState ").append(((SQLException) t).getSQLState()).append(": ");
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      sb.append(t.getClass().getSimpleName());
    } else {
      int nl = message.indexOf('\n');
      sb.append(nl < 0 ? message : message.substring(0, nl));
    }
    if (t.getCause() != null && t.getCause() != t && !(t instanceof SQLException && message != null
        && message.contains(String.valueOf(t.getCause().getMessage())))) {
      sb.append(" (").append(t.getCause().getClass().getSimpleName());
      String cm = t.getCause().getMessage();
      if (cm != null && !cm.isBlank()) {
        int nl = cm.indexOf('\n');
        sb.append(": ").append(nl < 0 ? cm : cm.substring(0, nl));
      }
      sb.append(')');
    }
    return sb.length() > MAX_REASON_LENGTH ? sb.substring(0, MAX_REASON_LENGTH - 3) + "..." : sb.toString();
  }

  private static @Nullable Throwable next(Throwable t) {
    Throwable cause = t.getCause();
    return cause == t ? null : cause;
  }
}
