package io.rota.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A statement of a {@link StubConnection} (a JDK proxy implementing {@link Statement},
 * {@link PreparedStatement} or {@link CallableStatement} as created). It records the parameters set
 * on it and every execution (SQL plus the parameters at that moment). {@code executeQuery} returns a
 * one-row {@link ResultSet} whose {@code getString} answers the node's name, so a test can tell which
 * node served a read. An execution fails when the node has a fault armed
 * ({@link StubDataSource#failNextExecute}).
 */
final class StubStatement implements InvocationHandler {

  /**
   * One execution.
   *
   * @param node the node that ran it
   * @param method the execute method
   * @param sql the SQL given to the execute call, or the prepared SQL
   * @param params the parameters set at that moment, by index (or name)
   * @param failed whether the stub made it fail
   */
  record Execution(String node, String method, String sql, Map<Object, Object> params, boolean failed) {}

  final StubConnection connection;
  final String createdBy;
  final String preparedSql;
  final Statement proxy;
  private final Map<Object, Object> params = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<Execution> executions = new CopyOnWriteArrayList<>();
  private final List<String> batch = new CopyOnWriteArrayList<>();
  private final List<StubConnection.Call> calls = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  StubStatement(StubConnection connection, String createdBy, String preparedSql) {
    this.connection = connection;
    this.createdBy = createdBy;
    this.preparedSql = preparedSql;
    Class<?> type = createdBy.equals("prepareCall") ? CallableStatement.class
        : createdBy.equals("prepareStatement") ? PreparedStatement.class : Statement.class;
    this.proxy = (Statement) Proxy.newProxyInstance(StubStatement.class.getClassLoader(), new Class<?>[] {type}, this);
  }

  List<Execution> executions() {
    return List.copyOf(executions);
  }

  /** The arguments of every call of the named method, in order. */
  List<List<Object>> callsOf(String method) {
    List<List<Object>> out = new java.util.ArrayList<>();
    for (StubConnection.Call c : calls) {
      if (c.method().equals(method)) {
        out.add(c.args());
      }
    }
    return out;
  }

  Map<Object, Object> params() {
    synchronized (params) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public Object invoke(Object p, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "toString":
        return "StubStatement{" + connection.node.name + (preparedSql == null ? "" : ", " + preparedSql) + '}';
      case "hashCode":
        return System.identityHashCode(p);
      case "equals":
        return p == args[0];
      case "close":
        closed = true;
        return null;
      case "isClosed":
        return closed;
      case "getConnection":
        return connection.proxy;
      default:
        break;
    }
    calls.add(new StubConnection.Call(name, args == null ? List.of() : Collections.unmodifiableList(java.util.Arrays.asList(args.clone()))));
    if (closed || connection.closed) {
      throw new SQLException("Statement of " + connection.node.name + " is closed", connection.closed ? "08003" : "HY010");
    }
    if (name.startsWith("execute")) {
      return execute(p, method, args);
    }
    switch (name) {
      case "clearParameters":
        params.clear();
        return null;
      case "addBatch":
        batch.add(args != null && args.length > 0 ? (String) args[0] : preparedSql);
        return null;
      case "clearBatch":
        batch.clear();
        return null;
      default:
        break;
    }
    if (name.startsWith("set") && args != null && args.length >= 2
        && (args[0] instanceof Integer || args[0] instanceof String) && !RoutingStatement.isSetting(name)) {
      params.put(args[0], args[1]);
      return null;
    }
    return defaultValue(method.getReturnType());
  }

  private Object execute(Object p, Method method, Object[] args) throws SQLException {
    String name = method.getName();
    String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : preparedSql;
    SQLException fault = connection.node.takeExecuteFault();
    executions.add(new Execution(connection.node.name, name, sql, params(), fault != null));
    connection.began();
    if (fault != null) {
      throw fault;
    }
    switch (name) {
      case "executeQuery":
        return resultSet((Statement) p);
      case "executeUpdate":
        return 1;
      case "executeLargeUpdate":
        return 1L;
      case "executeBatch": {
        int[] counts = new int[batch.size()];
        java.util.Arrays.fill(counts, 1);
        batch.clear();
        return counts;
      }
      case "executeLargeBatch": {
        long[] counts = new long[batch.size()];
        java.util.Arrays.fill(counts, 1L);
        batch.clear();
        return counts;
      }
      default: // execute: true when it returns rows
        return sql != null && RoutingStatement.looksReadOnly(sql);
    }
  }

  /** A one-row result set whose every string column is the node's name. */
  private ResultSet resultSet(Statement statement) {
    String node = connection.node.name;
    boolean[] state = new boolean[2]; // [0] row consumed, [1] closed
    return (ResultSet) Proxy.newProxyInstance(StubStatement.class.getClassLoader(), new Class<?>[] {ResultSet.class},
        (rp, m, a) -> {
          switch (m.getName()) {
            case "next":
              if (state[0]) {
                return false;
              }
              state[0] = true;
              return true;
            case "getString":
            case "getObject":
              return node;
            case "getInt":
              return 1;
            case "getLong":
              return 1L;
            case "getBoolean":
              return true;
            case "wasNull":
              return false;
            case "getStatement":
              return statement;
            case "close":
              state[1] = true;
              return null;
            case "isClosed":
              return state[1];
            case "toString":
              return "StubResultSet{" + node + '}';
            case "hashCode":
              return System.identityHashCode(rp);
            case "equals":
              return rp == a[0];
            default:
              return defaultValue(m.getReturnType());
          }
        });
  }

  static Object defaultValue(Class<?> type) {
    if (!type.isPrimitive() || type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0.0;
    }
    if (type == float.class) {
      return 0.0f;
    }
    if (type == short.class) {
      return (short) 0;
    }
    if (type == byte.class) {
      return (byte) 0;
    }
    if (type == char.class) {
      return '\0';
    }
    return 0;
  }
}
