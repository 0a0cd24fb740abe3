package io.rota.jdbc.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.jspecify.annotations.Nullable;

/** Classifies SQL errors. */
public final class SqlErrors {

  private SqlErrors() {}

  /**
   * Returns whether the error means the connection (or the server behind it) is gone, as opposed to
   * an error in the statement: SQLState class 08 (connection exception), PostgreSQL's 57P01..57P03
   * (admin shutdown, crash shutdown, cannot connect now), MySQL-family 08S01 and 70100 (query
   * interrupted by a shutdown), the JDBC connection exception types, or an I/O error as the cause.
   */
  public static boolean isConnectionError(@Nullable Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLTransientConnectionException
          || c instanceof SQLNonTransientConnectionException
          || c instanceof SQLRecoverableException
          || c instanceof IOException) {
        return true;
      }
      if (c instanceof SQLException) {
        String state = ((SQLException) c).getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
            || state.equals("57P03") || state.equals("70100"))) {
          return true;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
