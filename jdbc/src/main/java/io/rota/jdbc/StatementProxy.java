package io.rota.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A statement of a {@link LazyConnection}: a JDK proxy that records how the statement was created
 * and the parameters and settings given to it, so that a read interrupted by a dead replica can be
 * re-created and re-run on another node. Not thread-safe, like any JDBC statement.
 */
final class StatementProxy implements InvocationHandler {

  private final LazyConnection connection;
  private final Method createMethod;
  private final Object @Nullable [] createArgs;
  private final @Nullable String preparedSql;
  /** Parameter and setting calls, latest per parameter or setting, in call order. */
  private final Map<String, Call> recorded = new LinkedHashMap<>();
  private Statement physical;
  /** The binding the physical statement belongs to. */
  private RoutingDataSource.@Nullable Binding boundTo;
  private boolean batched;
  private Statement proxy;

  private StatementProxy(LazyConnection connection, Method createMethod, Object @Nullable [] createArgs,
      Statement physical) {
    this.connection = connection;
    this.createMethod = createMethod;
    this.createArgs = createArgs;
    this.preparedSql = createArgs != null && createArgs.length > 0 && createArgs[0] instanceof String
        ? (String) createArgs[0] : null;
    this.physical = physical;
  }

  static Statement create(LazyConnection connection, Method createMethod, Object @Nullable [] args) throws Throwable {
    Statement physical = (Statement) LazyConnection.invokePhysical(connection.bind(), createMethod, args);
    StatementProxy handler = new StatementProxy(connection, createMethod, args, physical);
    handler.boundTo = connection.binding();
    Class<?> type = createMethod.getName().equals("prepareCall") ? CallableStatement.class
        : createMethod.getName().equals("prepareStatement") ? PreparedStatement.class : Statement.class;
    handler.proxy = (Statement) Proxy.newProxyInstance(
        StatementProxy.class.getClassLoader(), new Class<?>[] {type}, handler);
    return handler.proxy;
  }

  Statement physical() {
    return physical;
  }

  /** Returns the SQL of an execute call: its argument, or the prepared SQL. */
  @Nullable String sql(Object @Nullable [] args) {
    if (args != null && args.length > 0 && args[0] instanceof String) {
      return (String) args[0];
    }
    return preparedSql;
  }

  /** Whether the statement can be re-run elsewhere: not while a batch is pending. */
  boolean canRerun() {
    return !batched;
  }

  RoutingDataSource.@Nullable Binding boundTo() {
    return boundTo;
  }

  /**
   * Re-creates the statement on the connection's current physical connection and replays parameters
   * and settings.
   */
  void recreate() throws Throwable {
    try {
      physical.close();
    } catch (SQLException ignored) {
      // Its connection is gone or was released; nothing to free.
    }
    RoutingDataSource.Binding current = connection.binding();
    if (current == null) {
      throw new SQLException("Connection is not bound", "08003");
    }
    physical = (Statement) LazyConnection.invokePhysical(current.connection, createMethod, createArgs);
    boundTo = current;
    for (Call call : recorded.values()) {
      LazyConnection.invokePhysical(physical, call.method(), call.args());
    }
  }

  @Override
  public @Nullable Object invoke(Object p, Method method, Object @Nullable [] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "toString":
        return "StatementProxy{" + physical + '}';
      case "hashCode":
        return System.identityHashCode(p);
      case "equals":
        return p == args[0];
      case "getConnection":
        return connection.proxy;
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(p)) {
          return p;
        }
        break;
      case "isWrapperFor":
        if (((Class<?>) args[0]).isInstance(p)) {
          return true;
        }
        break;
      case "addBatch":
        batched = true;
        break;
      case "clearBatch":
        batched = false;
        break;
      case "clearParameters":
        recorded.keySet().removeIf(k -> k.startsWith("param:"));
        break;
      default:
        if (name.startsWith("execute")) {
          Object result = connection.execute(this, method, args);
          if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
            batched = false;
          }
          return result instanceof ResultSet ? wrap((ResultSet) result) : result;
        }
        if (name.equals("getResultSet") || name.equals("getGeneratedKeys")) {
          Object result = LazyConnection.invokePhysical(physical, method, args);
          return result instanceof ResultSet ? wrap((ResultSet) result) : result;
        }
        if (name.startsWith("set") && args != null && args.length > 0) {
          record(method, args);
        }
        break;
    }
    return LazyConnection.invokePhysical(physical, method, args);
  }

  /** Wraps a driver result set so that {@code getStatement()} returns this routing statement. */
  private ResultSet wrap(ResultSet rs) {
    return (ResultSet) Proxy.newProxyInstance(StatementProxy.class.getClassLoader(),
        new Class<?>[] {ResultSet.class}, (p, m, a) -> {
          if (m.getName().equals("getStatement")) {
            return proxy;
          }
          return LazyConnection.invokePhysical(rs, m, a);
        });
  }

  private void record(Method method, Object[] args) {
    String key;
    if (isSetting(method.getName())) {
      key = "setting:" + method.getName();
    } else {
      key = "param:" + args[0]; // parameter index or name: the latest value wins
    }
    recorded.remove(key); // keep call order
    recorded.put(key, new Call(method, args.clone()));
  }

  /** A recorded parameter or setting call. */
  private record Call(Method method, Object[] args) {}

  /** Whether a {@code set...} method is a statement setting rather than a parameter. */
  static boolean isSetting(String name) {
    switch (name) {
      case "setFetchSize":
      case "setFetchDirection":
      case "setMaxRows":
      case "setLargeMaxRows":
      case "setMaxFieldSize":
      case "setQueryTimeout":
      case "setEscapeProcessing":
      case "setPoolable":
      case "setCursorName":
        return true;
      default:
        return false;
    }
  }

  /**
   * Whether SQL run through {@code executeQuery} plainly reads: it starts (after comments and
   * whitespace) with SELECT, SHOW, VALUES, TABLE or EXPLAIN. Other queries ({@code INSERT ...
   * RETURNING}, {@code WITH ... INSERT}) count as writes for read-your-writes.
   */
  static boolean looksReadOnly(@Nullable String sql) {
    if (sql == null) {
      return false;
    }
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    String head = sql.substring(i, Math.min(n, i + 8)).toLowerCase(Locale.ROOT);
    return head.startsWith("select") || head.startsWith("show") || head.startsWith("values")
        || head.startsWith("table") || head.startsWith("explain");
  }
}
