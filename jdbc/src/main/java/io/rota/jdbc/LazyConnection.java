package io.rota.jdbc;

import io.rota.jdbc.internal.SqlErrors;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The connection a {@link RoutingDataSource} hands out: a JDK proxy that records the connection
 * state (auto-commit, read-only, isolation, catalog, schema, holdability, network timeout) and takes
 * a physical connection only when work needs one, from the node the state routes to; then it replays
 * the state on it.
 *
 * <h2>Routing rules</h2>
 * <ul>
 *   <li>Read-only ({@code setReadOnly(true)}, or a read-only scope active when the first work starts)
 *       goes to a replica; everything else to the primary.
 *   <li>A transaction stays on its node. It starts at the first statement executed with auto-commit
 *       off and ends at commit or rollback.
 *   <li>Changing read-only outside a transaction releases the physical connection, so the next work
 *       routes again (Spring's {@code setReadOnly(false)} after a read-only transaction). Inside a
 *       transaction on a replica, {@code setReadOnly(false)} fails with SQLState 25001.
 *   <li>A read-only statement in auto-commit mode that fails with a connection error on a replica is
 *       re-run, with its parameters, on another replica or the primary. Inside a transaction the
 *       error goes to the caller.
 * </ul>
 *
 * <p>Not thread-safe, like any JDBC connection.
 */
final class LazyConnection implements InvocationHandler {

  private final RoutingDataSource ds;
  private final @Nullable String user;
  private final @Nullable String password;
  final Connection proxy;

  // Recorded state.
  private boolean autoCommit = true;
  private boolean readOnly;
  private @Nullable Integer isolation;
  private @Nullable String catalog;
  private @Nullable String schema;
  private @Nullable Integer holdability;
  private @Nullable Executor networkTimeoutExecutor;
  private int networkTimeoutMillis = -1;

  // Binding.
  private RoutingDataSource.@Nullable Binding binding;
  private boolean boundReadOnly;
  private boolean inTransaction;
  private boolean dirty;
  private boolean closed;
  /** A connection error the current binding raised that was not re-run; reported on release. */
  private @Nullable Throwable bindingFailure;
  private final Set<String> failedReplicas = new HashSet<>();

  LazyConnection(RoutingDataSource ds, @Nullable String user, @Nullable String password) {
    this.ds = ds;
    this.user = user;
    this.password = password;
    this.proxy = (Connection) Proxy.newProxyInstance(
        LazyConnection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
  }

  @Override
  public @Nullable Object invoke(Object p, Method method, Object @Nullable [] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "toString":
        return toString();
      case "hashCode":
        return System.identityHashCode(p);
      case "equals":
        return p == args[0];
      case "close":
        close();
        return null;
      case "isClosed":
        return closed;
      case "abort":
        closed = true;
        if (binding != null) {
          RoutingDataSource.Binding b = binding;
          binding = null;
          ds.report(b, bindingFailure);
          b.connection.abort((Executor) args[0]);
        }
        return null;
      case "isValid":
        if (closed) {
          return false;
        }
        return binding == null || binding.connection.isValid((Integer) args[0]);
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
      default:
        break;
    }
    if (closed) {
      throw new SQLException("Connection is closed", "08003");
    }
    switch (name) {
      case "setAutoCommit":
        setAutoCommit((Boolean) args[0]);
        return null;
      case "getAutoCommit":
        return autoCommit;
      case "setReadOnly":
        setReadOnly((Boolean) args[0]);
        return null;
      case "isReadOnly":
        return binding != null ? boundReadOnly || readOnly : readOnly || RoutingDataSource.readOnlyScopeActive();
      case "setTransactionIsolation":
        isolation = (Integer) args[0];
        return delegateIfBound(method, args);
      case "setCatalog":
        catalog = (String) args[0];
        return delegateIfBound(method, args);
      case "setSchema":
        schema = (String) args[0];
        return delegateIfBound(method, args);
      case "setHoldability":
        holdability = (Integer) args[0];
        return delegateIfBound(method, args);
      case "setNetworkTimeout":
        networkTimeoutExecutor = (Executor) args[0];
        networkTimeoutMillis = (Integer) args[1];
        return delegateIfBound(method, args);
      case "getTransactionIsolation":
        if (binding == null && isolation != null) {
          return isolation;
        }
        break;
      case "getCatalog":
        if (binding == null && catalog != null) {
          return catalog;
        }
        break;
      case "getSchema":
        if (binding == null && schema != null) {
          return schema;
        }
        break;
      case "getHoldability":
        if (binding == null && holdability != null) {
          return holdability;
        }
        break;
      case "getNetworkTimeout":
        if (binding == null && networkTimeoutMillis >= 0) {
          return networkTimeoutMillis;
        }
        break;
      case "commit":
        if (binding != null) {
          binding.connection.commit();
          afterCommit();
        }
        return null;
      case "rollback":
        if (args == null || args.length == 0) {
          if (binding != null) {
            binding.connection.rollback();
          }
          inTransaction = false;
          dirty = false;
          return null;
        }
        break;
      case "getWarnings":
        return binding == null ? null : binding.connection.getWarnings();
      case "clearWarnings":
        if (binding != null) {
          binding.connection.clearWarnings();
        }
        return null;
      case "createStatement":
      case "prepareStatement":
      case "prepareCall":
        return StatementProxy.create(this, method, args);
      case "getMetaData":
        return wrapMetaData((DatabaseMetaData) invokePhysical(bind(), method, args));
      default:
        break;
    }
    return invokePhysical(bind(), method, args);
  }

  /** Wraps driver metadata so that {@code getConnection()} returns this routing connection. */
  private DatabaseMetaData wrapMetaData(DatabaseMetaData metaData) {
    return (DatabaseMetaData) Proxy.newProxyInstance(LazyConnection.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> {
          if (m.getName().equals("getConnection") && m.getParameterCount() == 0) {
            return proxy;
          }
          return invokePhysical(metaData, m, a);
        });
  }

  private @Nullable Object delegateIfBound(Method method, Object[] args) throws Throwable {
    return binding == null ? null : invokePhysical(binding.connection, method, args);
  }

  static @Nullable Object invokePhysical(Object target, Method method, Object @Nullable [] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Returns the physical connection, taking one from the node the current state routes to. */
  Connection bind() throws SQLException {
    if (binding != null) {
      return binding.connection;
    }
    boolean ro = readOnly || RoutingDataSource.readOnlyScopeActive();
    RoutingDataSource.Binding b = ds.acquire(ro, failedReplicas, user, password);
    try {
      Connection c = b.connection;
      if (ro) {
        c.setReadOnly(true);
      }
      if (!autoCommit) {
        c.setAutoCommit(false);
      }
      if (isolation != null) {
        c.setTransactionIsolation(isolation);
      }
      if (catalog != null) {
        c.setCatalog(catalog);
      }
      if (schema != null) {
        c.setSchema(schema);
      }
      if (holdability != null) {
        c.setHoldability(holdability);
      }
      if (networkTimeoutMillis >= 0) {
        c.setNetworkTimeout(networkTimeoutExecutor, networkTimeoutMillis);
      } else if (b.replica != null && ds.replicaNetworkTimeoutMillis() > 0) {
        c.setNetworkTimeout(Runnable::run, ds.replicaNetworkTimeoutMillis());
      }
    } catch (SQLException | RuntimeException e) {
      ds.release(b, e);
      throw e;
    }
    binding = b;
    boundReadOnly = ro;
    return b.connection;
  }

  private void setAutoCommit(boolean value) throws SQLException {
    if (value == autoCommit) {
      return;
    }
    boolean commits = false;
    if (binding != null) {
      binding.connection.setAutoCommit(value);
      commits = value && inTransaction; // JDBC: switching auto-commit on commits the transaction
    }
    autoCommit = value;
    if (commits) {
      afterCommit();
    }
    if (value) {
      inTransaction = false;
    }
  }

  private void setReadOnly(boolean value) throws SQLException {
    if (binding != null) {
      if (inTransaction) {
        if (!value && binding.replica != null) {
          throw new SQLException("Cannot make the transaction read-write: it runs on replica '"
              + binding.replica.id() + "', which cannot write. Call setReadOnly(false) before the"
              + " transaction's first statement, or end the transaction first.", "25001");
        }
        binding.connection.setReadOnly(value); // the driver's rule applies on the primary
        readOnly = value;
        return;
      }
      if (value != boundReadOnly) {
        releaseBinding(null); // the next work routes again
      }
    }
    readOnly = value;
  }

  private void afterCommit() throws SQLException {
    inTransaction = false;
    if (dirty && binding != null && binding.replica == null && !boundReadOnly) {
      dirty = false;
      ds.recordWrite(binding.connection, autoCommit);
    }
    dirty = false;
  }

  private void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    releaseBinding(null);
  }

  private void releaseBinding(@Nullable Throwable failure) throws SQLException {
    RoutingDataSource.Binding b = binding;
    Throwable f = failure != null ? failure : bindingFailure;
    binding = null;
    bindingFailure = null;
    inTransaction = false;
    dirty = false;
    if (b != null) {
      ds.release(b, f);
    }
  }

  /** Returns the current binding, or {@code null}; statements compare it with their own. */
  RoutingDataSource.@Nullable Binding binding() {
    return binding;
  }

  // -----------------------------------------------------------------------------------------------
  // Statement execution, called by StatementProxy.

  /** Runs one execute call of a statement, re-running a read on another node if its node died. */
  @Nullable Object execute(StatementProxy statement, Method method, Object @Nullable [] args) throws Throwable {
    if (closed) {
      throw new SQLException("Connection is closed", "08003");
    }
    int attempts = 0;
    while (true) {
      if (!autoCommit) {
        inTransaction = true;
      }
      if (statement.boundTo() != binding) {
        bind(); // the connection re-routed (a re-run, or setReadOnly) since the statement was made
        statement.recreate();
      }
      try {
        Object result = invokePhysical(statement.physical(), method, args);
        afterExecute(method, statement.sql(args));
        return result;
      } catch (SQLException e) {
        if (canRerunElsewhere(statement, e) && attempts++ < ds.replicaCount() + 1) {
          RoutingDataSource.Binding failed = binding;
          failedReplicas.add(failed.replica.id());
          binding = null;
          bindingFailure = null;
          ds.release(failed, e);
          bind();
          statement.recreate();
          continue;
        }
        if (binding != null && SqlErrors.isConnectionError(e)) {
          bindingFailure = e; // reported to the node's pool when the binding is released
          throw new SQLException((binding.replica == null ? "Primary '" : "Replica '") + ds.nodeId(binding)
              + "' of '" + ds.name() + "' failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
        throw e;
      }
    }
  }

  private boolean canRerunElsewhere(StatementProxy statement, SQLException e) {
    return binding != null
        && binding.replica != null
        && autoCommit
        && boundReadOnly
        && statement.canRerun()
        && SqlErrors.isConnectionError(e);
  }

  private void afterExecute(Method method, @Nullable String sql) throws SQLException {
    if (binding == null || binding.replica != null || boundReadOnly) {
      return;
    }
    if (method.getName().equals("executeQuery") && StatementProxy.looksReadOnly(sql)) {
      return;
    }
    if (autoCommit) {
      ds.recordWrite(binding.connection, true);
    } else {
      dirty = true;
    }
  }

  @Override
  public String toString() {
    RoutingDataSource.Binding b = binding;
    return "RoutingConnection{" + ds.name() + ", "
        + (closed ? "closed" : b == null ? "not bound" : "bound to " + b.nodeId())
        + (readOnly ? ", read-only" : "") + (autoCommit ? "" : ", auto-commit off") + '}';
  }
}
