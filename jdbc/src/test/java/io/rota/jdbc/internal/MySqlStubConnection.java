package io.rota.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted MySQL-family server for dialect tests: each SQL text answers a table (column labels and
 * rows of strings, {@code null} for SQL NULL) or fails with an error code, as a server would for a
 * user without some grant. Only {@code createStatement().executeQuery(sql)} and what the dialects read
 * from its result set work. Records every query run.
 *
 * <p>Not thread-safe while scripted; thread-safe to query afterwards.
 */
final class MySqlStubConnection {

  private record Table(List<String> labels, List<List<String>> rows) {}

  private final Map<String, Object> answers = new HashMap<>(); // SQL -> Table or SQLException
  private final List<String> executed = new CopyOnWriteArrayList<>();

  /** Answers {@code sql} with one row of the given columns: labels and values alternate. */
  MySqlStubConnection row(String sql, String... labelsAndValues) {
    List<String> labels = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < labelsAndValues.length; i += 2) {
      labels.add(labelsAndValues[i]);
      values.add(labelsAndValues[i + 1]);
    }
    answers.put(sql, new Table(labels, List.of(values)));
    return this;
  }

  /** Answers {@code sql} with one column {@code value} (which may be {@code null}). */
  MySqlStubConnection value(String sql, String value) {
    answers.put(sql, new Table(List.of("value"), List.of(Arrays.asList(value))));
    return this;
  }

  /** Answers {@code sql} with no rows (a node that replicates from nowhere, for a status query). */
  MySqlStubConnection empty(String sql, String... labels) {
    answers.put(sql, new Table(List.of(labels), List.of()));
    return this;
  }

  /** Fails {@code sql} with the error code and message, SQLState 42000 (as access denials do). */
  MySqlStubConnection fails(String sql, int errorCode, String message) {
    answers.put(sql, new SQLException(message, "42000", errorCode));
    return this;
  }

  /** Fails both replica status statements with error 1227, as for a user without the monitor grant. */
  MySqlStubConnection statusDenied(String grant) {
    String message = "Access denied; you need (at least one of) the " + grant + " privilege(s) for this operation";
    return fails("SHOW REPLICA STATUS", 1227, message).fails("SHOW SLAVE STATUS", 1227, message);
  }

  /** The queries run so far, in order. */
  List<String> executed() {
    return List.copyOf(executed);
  }

  /** A connection answering from the script. */
  Connection connection() {
    return proxy(Connection.class, (p, m, a) -> {
      if (m.getName().equals("createStatement") && (a == null || a.length == 0)) {
        return statement();
      }
      return unsupported(m);
    });
  }

  private Statement statement() {
    return proxy(Statement.class, (p, m, a) -> {
      switch (m.getName()) {
        case "executeQuery":
          String sql = (String) a[0];
          executed.add(sql);
          Object answer = answers.get(sql);
          if (answer == null) {
            throw new SQLException("unscripted query: " + sql, "42000", 1064);
          }
          if (answer instanceof SQLException e) {
            throw new SQLException(e.getMessage(), e.getSQLState(), e.getErrorCode());
          }
          return resultSet((Table) answer);
        case "close":
          return null;
        default:
          return unsupported(m);
      }
    });
  }

  private static ResultSet resultSet(Table table) {
    ResultSetMetaData md = proxy(ResultSetMetaData.class, (p, m, a) -> {
      switch (m.getName()) {
        case "getColumnCount":
          return table.labels().size();
        case "getColumnLabel":
        case "getColumnName":
          return table.labels().get((Integer) a[0] - 1);
        default:
          return unsupported(m);
      }
    });
    int[] row = {-1};
    boolean[] wasNull = {false};
    return proxy(ResultSet.class, (p, m, a) -> {
      switch (m.getName()) {
        case "next":
          return ++row[0] < table.rows().size();
        case "getMetaData":
          return md;
        case "getString": {
          String v = table.rows().get(row[0]).get((Integer) a[0] - 1);
          wasNull[0] = v == null;
          return v;
        }
        case "getLong": {
          String v = table.rows().get(row[0]).get((Integer) a[0] - 1);
          wasNull[0] = v == null;
          return v == null ? 0L : Long.parseLong(v);
        }
        case "wasNull":
          return wasNull[0];
        case "close":
          return null;
        default:
          return unsupported(m);
      }
    });
  }

  private static Object unsupported(Method m) throws SQLException {
    throw new SQLException("not supported by the stub: " + m.getName());
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(MySqlStubConnection.class.getClassLoader(), new Class<?>[] {type},
        handler));
  }
}
