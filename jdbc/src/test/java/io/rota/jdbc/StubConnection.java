package io.rota.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A physical connection of a {@link StubDataSource} (a JDK proxy): it records every call, keeps the
 * state a driver would (read-only, auto-commit, isolation...), and hands out {@link StubStatement}s.
 * Its metadata names the product {@code StubDB}, so Rota detects no dialect and checks health with
 * {@code isValid} only. Using it after close throws SQLState 08003, like a real driver.
 */
final class StubConnection implements InvocationHandler {

  /** One recorded call: method name and arguments. */
  record Call(String method, List<Object> args) {
    static Call of(String method, Object... args) {
      return new Call(method, Collections.unmodifiableList(Arrays.asList(args)));
    }

    @Override
    public String toString() {
      return method + args.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    }
  }

  final StubDataSource node;
  final String openedBy;
  final String user;
  final String password;
  final Connection proxy;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<StubStatement> statements = new CopyOnWriteArrayList<>();

  volatile boolean closed;
  /** The SQLState of the error a closed connection raises: pgjdbc's 08003, or none as HikariCP's proxy. */
  volatile String closedSqlState = "08003";
  volatile boolean readOnly;
  volatile boolean autoCommit = true;
  volatile int isolation = Connection.TRANSACTION_READ_COMMITTED;
  volatile String catalog = "stub";
  volatile String schema = "public";
  volatile int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
  volatile int networkTimeout;
  /** Whether a statement (or a getter that queries) ran since the last commit, with auto-commit off. */
  volatile boolean inTransaction;

  /** Something ran on the server: with auto-commit off, a transaction is now open. */
  void began() {
    if (!autoCommit) {
      inTransaction = true;
    }
  }

  StubConnection(StubDataSource node, String openedBy, String user, String password) {
    this.node = node;
    this.openedBy = openedBy;
    this.user = user;
    this.password = password;
    this.proxy = (Connection) Proxy.newProxyInstance(
        StubConnection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
  }

  boolean background() {
    return StubDataSource.isBackground(openedBy);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<String> callNames() {
    return calls.stream().map(Call::method).collect(Collectors.toList());
  }

  List<StubStatement> statements() {
    return List.copyOf(statements);
  }

  List<StubStatement.Execution> executions() {
    List<StubStatement.Execution> out = new ArrayList<>();
    for (StubStatement s : statements) {
      out.addAll(s.executions());
    }
    return out;
  }

  @Override
  public Object invoke(Object p, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "toString":
        return toString();
      case "hashCode":
        return System.identityHashCode(p);
      case "equals":
        return p == args[0];
      default:
        break;
    }
    calls.add(new Call(name, args == null ? List.of() : Collections.unmodifiableList(Arrays.asList(args.clone()))));
    switch (name) {
      case "close":
        closed = true;
        return null;
      case "isClosed":
        return closed;
      case "abort":
        closed = true;
        return null;
      case "isValid":
        return !closed && !node.isDown();
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(p)) {
          return p;
        }
        throw new SQLException("Not a wrapper for " + args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(p);
      default:
        break;
    }
    if (closed) {
      throw new SQLException("Connection of " + node.name + " is closed", closedSqlState);
    }
    switch (name) {
      case "setReadOnly":
        if (inTransaction) { // as pgjdbc
          throw new SQLException("Cannot change transaction read-only property in the middle of a transaction.",
              "25001");
        }
        readOnly = (Boolean) args[0];
        return null;
      case "isReadOnly":
        return readOnly;
      case "setAutoCommit":
        if (!background()) {
          SQLException fault = node.takeSessionFault();
          if (fault != null) {
            closed = true;
            throw fault;
          }
        }
        autoCommit = (Boolean) args[0];
        if (autoCommit) {
          inTransaction = false;
        }
        return null;
      case "commit":
      case "rollback":
        if (args == null || args.length == 0) {
          inTransaction = false;
        }
        return null;
      case "getAutoCommit":
        return autoCommit;
      case "setTransactionIsolation":
        isolation = (Integer) args[0];
        return null;
      case "getTransactionIsolation":
        return isolation;
      case "setCatalog":
        catalog = (String) args[0];
        return null;
      case "getCatalog":
        return catalog;
      case "setSchema":
        schema = (String) args[0];
        return null;
      case "getSchema":
        began(); // pgjdbc asks the server: a query, so a transaction with auto-commit off
        return schema;
      case "setHoldability":
        holdability = (Integer) args[0];
        return null;
      case "getHoldability":
        return holdability;
      case "setNetworkTimeout":
        networkTimeout = (Integer) args[1];
        return null;
      case "getNetworkTimeout":
        return networkTimeout;
      case "getMetaData":
        return metaData();
      case "createStatement":
      case "prepareStatement":
      case "prepareCall": {
        String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : null;
        StubStatement s = new StubStatement(this, name, sql);
        statements.add(s);
        return s.proxy;
      }
      default:
        return StubStatement.defaultValue(method.getReturnType());
    }
  }

  private DatabaseMetaData metaData() {
    return (DatabaseMetaData) Proxy.newProxyInstance(StubConnection.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (mp, m, a) -> {
          switch (m.getName()) {
            case "getDatabaseProductName":
              return "StubDB";
            case "getDatabaseProductVersion":
              return "1.0";
            case "getConnection":
              return proxy;
            case "toString":
              return "StubDatabaseMetaData{" + node.name + '}';
            case "hashCode":
              return System.identityHashCode(mp);
            case "equals":
              return mp == a[0];
            default:
              return StubStatement.defaultValue(m.getReturnType());
          }
        });
  }

  @Override
  public String toString() {
    return "StubConnection{" + node.name + (closed ? ", closed" : "") + '}'; // never the credentials
  }
}
