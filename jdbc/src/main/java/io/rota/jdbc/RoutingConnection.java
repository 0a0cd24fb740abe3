package io.rota.jdbc;

import io.rota.jdbc.internal.SqlErrors;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection a {@link RoutingDataSource} hands out. It records the connection state the
 * application sets, takes a physical connection only when work needs one, from the node the
 * transaction rule routes to, and replays the state there.
 *
 * <h2>The transaction rule</h2>
 * <ul>
 *   <li>A transaction begins at {@code setAutoCommit(false)}, or — when the pool hands out connections
 *       with auto-commit off, or after a commit or rollback with auto-commit off — at the next statement.
 *   <li>Its kind is fixed when it begins: read-only if {@code setReadOnly(true)} is in effect or a
 *       read-only scope is active at that moment, read-write otherwise. {@code setReadOnly} before the
 *       transaction's first statement still changes its kind (nothing ran yet), as with the drivers.
 *   <li>Its first statement fixes its node: a replica for read-only, the primary for read-write. From
 *       then on it stays there until commit or rollback: a read-only scope entered later is ignored,
 *       {@code setReadOnly(true)} on the primary is kept for the next transaction and moves nothing,
 *       {@code setReadOnly(false)} on a replica fails with SQLState 25001.
 *   <li>Outside a transaction (auto-commit), each statement routes by the read-only flag and scope in
 *       effect when it runs; the physical connection is swapped only between statements.
 *   <li>A rollback after the transaction's connection failed returns normally (the transaction ended
 *       with the connection). A commit whose connection is lost fails, naming the node — except on a
 *       replica, where the read-only transaction wrote nothing and its reads were returned: it returns
 *       normally.
 * </ul>
 *
 * <h2>The re-run rule</h2>
 * A failed statement is re-run on another node only if all hold: it is a query ({@code executeQuery}),
 * of read-only work on a replica, in auto-commit mode or as the first statement of a read-only
 * transaction (nothing of the transaction has run, so it moves whole; any later statement of a
 * transaction is never re-run), its parameters can
 * be sent again (no streams), fewer than {@code maxReruns} re-runs happened, and it failed because its
 * replica's connection failed — or its network timeout fired and that replica's health check found it
 * down within one check interval. A query timeout, a socket timeout on a healthy replica, a statement
 * error, or any write gets the caller the driver's error, with only the node's name added to connection
 * errors.
 *
 * <h2>Before the first statement</h2>
 * An unbound connection holds no physical connection: {@code isValid} is true until it is closed,
 * the getters report what the application set or else the pool's real defaults, and
 * {@code isWrapperFor} answers for this class only; {@code unwrap} of a driver type binds (by the
 * routing in effect) and unwraps the physical connection.
 *
 * <p>Not thread-safe, like any JDBC connection; {@link #abort} and {@link #isClosed} may be called
 * from another thread.
 */
final class RoutingConnection implements Connection, StatementHost {

  private static final Logger logger = LoggerFactory.getLogger(RoutingDataSource.class);
  /** How many more replicas {@link #bind} tries when preparing a replica connection fails. */
  private static final int MAX_PREPARE_RETRIES = 2;

  private final RoutingDataSource ds;
  private final Router router;
  /**
   * The state few connections set (credentials, isolation, catalog, schema, holdability, network
   * timeout, replicas that failed), made at the first such call: a connection that sets none of it,
   * the usual one, allocates nothing for it.
   */
  private @Nullable Session session;

  // State the application set (unset: the pool's default).
  /** Whether the application set auto-commit; its value is {@link #autoCommit}. */
  private boolean autoCommitSet;
  private boolean autoCommit;
  private boolean readOnly;

  // The transaction.
  private boolean txActive;
  private boolean txReadOnly;
  private boolean txStatementRan;
  /** A write ran on the primary in this transaction (read-your-writes records it at commit). */
  private boolean dirty;

  // The physical connection.
  private @Nullable Binding binding;
  private boolean boundReadOnly;
  /** A connection error the current binding raised; reported when it is released. */
  private @Nullable Throwable bindingFailure;
  private volatile boolean closed;

  /**
   * The part of a routing connection's state that few connections set, kept apart so that the
   * connection itself stays small. Confined to its connection.
   */
  private static final class Session {
    @Nullable String user;
    @Nullable String password;
    @Nullable Integer isolation;
    @Nullable String catalog;
    @Nullable String schema;
    @Nullable Integer holdability;
    @Nullable Executor networkTimeoutExecutor;
    /** The network timeout the application set, or -1 for the routing data source's. */
    int networkTimeoutMillis = -1;
    /** Replicas whose connection failed for this connection's work; not tried again by it. */
    @Nullable Set<String> failedReplicas;
  }

  RoutingConnection(RoutingDataSource ds, Router router, @Nullable String user, @Nullable String password) {
    this.ds = ds;
    this.router = router;
    if (user != null) {
      Session s = session();
      s.user = user;
      s.password = password;
    }
  }

  /** Returns the session state, made at the first call that sets some. */
  private Session session() {
    Session s = session;
    if (s == null) {
      session = s = new Session();
    }
    return s;
  }

  /** Notes that this connection's work failed on {@code replica}, so that it tries another. */
  private void replicaFailed(String replica) {
    Session s = session();
    if (s.failedReplicas == null) {
      s.failedReplicas = new HashSet<>(4);
    }
    s.failedReplicas.add(replica);
  }

  // -----------------------------------------------------------------------------------------------
  // Routing.

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("Connection is closed", "08003");
    }
  }

  private boolean effectiveAutoCommit() throws SQLException {
    if (autoCommitSet) {
      return autoCommit;
    }
    Binding b = binding;
    if (b != null) {
      return b.pooledAutoCommit;
    }
    return ds.defaults().autoCommit();
  }

  /** Whether work that starts now is read-only: the transaction's kind, else the flag and scope. */
  private boolean routesReadOnly() {
    return txActive ? txReadOnly : readOnly || ReadOnlyScope.active();
  }

  private void begin() {
    txActive = true;
    txReadOnly = readOnly || ReadOnlyScope.active();
    txStatementRan = false;
    dirty = false;
  }

  private void endTransaction() {
    txActive = false;
    txStatementRan = false;
    dirty = false;
  }

  /**
   * Returns the physical connection for work that starts now: the current one if it serves the
   * route (or the transaction already ran on it), else one from the node the route goes to.
   */
  private Connection physical() throws SQLException {
    checkOpen();
    boolean ro = routesReadOnly();
    Binding b = binding;
    if (b != null) {
      if (ro == boundReadOnly || txActive && txStatementRan) {
        return b.connection;
      }
      releaseBinding(null); // nothing runs on it: the work routes again
    }
    return bind(ro).connection;
  }

  /**
   * Takes a connection for the route and gives it this connection's session state. A replica
   * connection that fails while being prepared (a pooled connection whose server died since its
   * last use: MariaDB Connector/J sends {@code SET autocommit} at once) ran nothing of the work, so
   * another replica is tried, at most {@value #MAX_PREPARE_RETRIES} more times, before the error
   * (naming the replica) reaches the caller.
   */
  private Binding bind(boolean ro) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      Session s = session;
      Set<String> exclude = s == null || s.failedReplicas == null ? Set.of() : s.failedReplicas;
      Binding b = s == null ? router.acquire(ro, exclude, null, null)
          : router.acquire(ro, exclude, s.user, s.password);
      try {
        prepare(b, ro);
      } catch (SQLException e) {
        router.release(b, e);
        if (!b.onReplica() || !SqlErrors.isConnectionError(e)) {
          throw e;
        }
        if (attempt < MAX_PREPARE_RETRIES) {
          replicaFailed(b.nodeId);
          logger.debug("{} - Replica {} failed before any work ran on it; taking another node", ds.name(), b.nodeId, e);
          continue;
        }
        throw new SQLException("Replica '" + b.nodeId + "' of '" + ds.name() + "' failed: " + e.getMessage(),
            e.getSQLState(), e.getErrorCode(), e);
      } catch (RuntimeException e) {
        router.release(b, e);
        throw e;
      }
      binding = b;
      boundReadOnly = ro;
      return b;
    }
  }

  private void prepare(Binding b, boolean ro) throws SQLException {
    Connection c = b.connection;
    if (ro) {
      c.setReadOnly(true);
    }
    if (autoCommitSet && autoCommit != b.pooledAutoCommit) {
      c.setAutoCommit(autoCommit);
    }
    Session s = session;
    if (s != null) {
      if (s.isolation != null) {
        c.setTransactionIsolation(s.isolation);
      }
      if (s.catalog != null) {
        c.setCatalog(s.catalog);
      }
      if (s.schema != null) {
        c.setSchema(s.schema);
      }
      if (s.holdability != null) {
        c.setHoldability(s.holdability);
      }
    }
    if (s != null && s.networkTimeoutMillis >= 0) {
      c.setNetworkTimeout(s.networkTimeoutExecutor, s.networkTimeoutMillis);
    } else {
      int ms = ds.networkTimeoutMillis(b.onReplica());
      if (ms > 0) {
        c.setNetworkTimeout(Runnable::run, ms);
      }
    }
  }

  private void releaseBinding(@Nullable Throwable failure) {
    Binding b = binding;
    Throwable f = failure != null ? failure : bindingFailure;
    binding = null;
    bindingFailure = null;
    if (b != null) {
      router.release(b, f);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // StatementHost.

  @Override
  public Connection connection() {
    return this;
  }

  @Override
  public void statementClosed(RoutingStatement statement) {
    // Physical statements close with their physical connection; nothing is tracked here.
  }

  @Override
  public <T> T execute(RoutingStatement statement, Kind kind, @Nullable String sql, Execution<T> call)
      throws SQLException {
    checkOpen();
    boolean autoCommitNow = effectiveAutoCommit();
    if (!autoCommitNow && !txActive) {
      begin(); // a pool with auto-commit off, or the transaction after a commit
    } else if (txActive && txStatementRan && !txReadOnly && logger.isDebugEnabled() && ReadOnlyScope.active()) {
      logger.debug("{} - Read-only scope ignored: the statement joins a read-write transaction on {}", ds.name(),
          binding);
    }
    // Nothing of a read-only transaction has run before its first statement: if that statement loses
    // its replica, the whole transaction can move to another node (it never spans two).
    boolean firstOfReadOnlyTx = txActive && txReadOnly && !txStatementRan;
    int reruns = 0;
    while (true) {
      physical();
      Binding b = binding;
      if (statement.boundTo() != b) {
        statement.recreate(b.connection, b);
      }
      if (txActive) {
        txStatementRan = true;
      }
      try {
        T result = call.run(statement.physical());
        afterExecute(b, kind, sql, autoCommitNow);
        return result;
      } catch (SQLException e) {
        if (reruns < ds.maxReruns() && canRerun(b, statement, kind, autoCommitNow, firstOfReadOnlyTx, e)) {
          reruns++;
          if (firstOfReadOnlyTx) {
            txStatementRan = false; // the transaction begins again on the next node
          }
          replicaFailed(b.nodeId);
          bindingFailure = null;
          releaseBinding(SqlErrors.isConnectionError(e) ? e : null);
          logger.debug("{} - Re-running a read that failed on replica {} elsewhere", ds.name(), b.nodeId, e);
          continue;
        }
        throw failure(b, e);
      }
    }
  }

  private boolean canRerun(Binding b, RoutingStatement statement, Kind kind, boolean autoCommitNow,
      boolean firstOfReadOnlyTx, SQLException e) {
    boolean outsideTx = autoCommitNow && !txActive;
    if (kind != Kind.QUERY || !b.onReplica() || !boundReadOnly || !(outsideTx || firstOfReadOnlyTx)
        || !statement.canReplay()) {
      return false;
    }
    if (SqlErrors.isConnectionError(e)) {
      return true;
    }
    return SqlErrors.isSocketTimeout(e) && ds.awaitDown(b);
  }

  /**
   * Whether {@code e} means the binding's connection is gone: a connection error, or any error once the
   * physical connection reports itself closed (HikariCP's "Connection is closed" has no SQLState).
   */
  private static boolean lost(Binding b, SQLException e) {
    if (SqlErrors.isConnectionError(e)) {
      return true;
    }
    try {
      return b.connection.isClosed();
    } catch (SQLException closedCheck) {
      return true;
    }
  }

  /** The error for the caller: a connection error names its node; anything else is the driver's, unchanged. */
  private SQLException failure(Binding b, SQLException e) {
    if (!SqlErrors.isConnectionError(e)) {
      return e;
    }
    bindingFailure = e; // reported to the node's pool when the binding is released
    return new SQLException((b.onReplica() ? "Replica '" : "Primary '") + b.nodeId + "' of '" + ds.name()
        + "' failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
  }

  private void afterExecute(Binding b, Kind kind, @Nullable String sql, boolean autoCommitNow) {
    if (b.onReplica() || boundReadOnly) {
      return;
    }
    if (kind == Kind.QUERY && RoutingStatement.looksReadOnly(sql)) {
      return;
    }
    if (autoCommitNow) {
      router.recordCommit(b.connection);
    } else {
      dirty = true;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Statements and metadata.

  private RoutingStatement plain(RoutingStatement.Creator creator) throws SQLException {
    Connection c = physical();
    return new RoutingStatement(this, creator, null, creator.create(c, null), binding);
  }

  private RoutingPreparedStatement prepared(String sql, RoutingStatement.Creator creator) throws SQLException {
    Connection c = physical();
    return new RoutingPreparedStatement(this, creator, sql, (PreparedStatement) creator.create(c, sql), binding);
  }

  private RoutingCallableStatement callable(String sql, RoutingStatement.Creator creator) throws SQLException {
    Connection c = physical();
    return new RoutingCallableStatement(this, creator, sql, (CallableStatement) creator.create(c, sql), binding);
  }

  @Override
  public Statement createStatement() throws SQLException {
    return plain((c, sql) -> c.createStatement());
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
    return plain((c, sql) -> c.createStatement(resultSetType, resultSetConcurrency));
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return plain((c, sql) -> c.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return prepared(sql, (c, s) -> c.prepareStatement(s));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return prepared(sql, (c, s) -> c.prepareStatement(s, resultSetType, resultSetConcurrency));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    return prepared(sql, (c, s) -> c.prepareStatement(s, resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return prepared(sql, (c, s) -> c.prepareStatement(s, autoGeneratedKeys));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    int[] copy = columnIndexes == null ? null : columnIndexes.clone();
    return prepared(sql, (c, s) -> c.prepareStatement(s, copy));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    String[] copy = columnNames == null ? null : columnNames.clone();
    return prepared(sql, (c, s) -> c.prepareStatement(s, copy));
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return callable(sql, (c, s) -> c.prepareCall(s));
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
    return callable(sql, (c, s) -> c.prepareCall(s, resultSetType, resultSetConcurrency));
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    return callable(sql, (c, s) -> c.prepareCall(s, resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return new RoutingDatabaseMetaData(physical().getMetaData(), this);
  }

  // -----------------------------------------------------------------------------------------------
  // Transaction state.

  @Override
  public void setAutoCommit(boolean value) throws SQLException {
    checkOpen();
    boolean was = effectiveAutoCommit();
    Binding b = binding;
    boolean commits = value && !was && txActive && txStatementRan; // JDBC: switching it on commits
    if (b != null && (b.connection.getAutoCommit() != value)) {
      b.connection.setAutoCommit(value);
    }
    autoCommitSet = true;
    autoCommit = value;
    if (commits && dirty && b != null) {
      router.recordCommit(b.connection);
    }
    if (value) {
      endTransaction();
    } else if (was) {
      begin();
    }
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return effectiveAutoCommit();
  }

  @Override
  public void setReadOnly(boolean value) throws SQLException {
    checkOpen();
    Binding b = binding;
    if (txActive && txStatementRan && b != null) {
      if (!value && b.onReplica()) {
        throw new SQLException("Cannot make the transaction read-write: it runs on replica '" + b.nodeId
            + "', which cannot write. Call setReadOnly(false) before the transaction's first statement, or end"
            + " the transaction first.", "25001");
      }
      if (value && !b.onReplica()) {
        logger.debug("{} - setReadOnly(true) inside a read-write transaction on {}: it stays there; the flag"
            + " applies from the next transaction", ds.name(), b.nodeId);
      }
      readOnly = value;
      return;
    }
    readOnly = value;
    if (txActive) {
      txReadOnly = value || ReadOnlyScope.active(); // nothing ran yet: the transaction takes the new kind
    }
    if (b != null && routesReadOnly() != boundReadOnly) {
      releaseBinding(null); // nothing runs on it: back to its pool now, the next work routes again
    }
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return readOnly || (binding != null ? boundReadOnly : routesReadOnly());
  }

  @Override
  public void commit() throws SQLException {
    checkOpen();
    Binding b = binding;
    boolean wrote = dirty;
    try {
      if (b != null) {
        try {
          b.connection.commit();
        } catch (SQLException e) {
          if (!lost(b, e)) {
            throw e;
          }
          if (b.onReplica()) {
            // A read-only transaction on a replica wrote nothing, and its reads were returned: losing
            // the connection at commit loses nothing, so the caller's work stands.
            logger.debug("{} - Commit of a read-only transaction on {} found its connection lost; nothing to lose",
                ds.name(), b, e);
            releaseBinding(e);
            return;
          }
          // A lost connection names its node and marks the binding failed: the rollback frameworks send
          // after a failed commit then has nothing to undo and cannot hide this error.
          throw failure(b, e);
        }
      } else if (effectiveAutoCommit()) {
        throw new SQLException("Cannot commit when auto-commit is on", "25000");
      }
    } finally {
      endTransaction();
    }
    if (wrote && b != null && !b.onReplica()) {
      router.recordCommit(b.connection);
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    Binding b = binding;
    try {
      if (b == null) {
        return;
      }
      if (bindingFailure != null) {
        // The connection already failed (the caller has that error, naming the node): the transaction
        // died with it, so there is nothing to roll back. Failing here too would hide the first error
        // behind "rollback failed" in every framework that rolls back after an exception.
        releaseBinding(null);
        return;
      }
      try {
        b.connection.rollback();
      } catch (SQLException e) {
        if (!lost(b, e)) {
          throw e;
        }
        // Lost while rolling back: the server ends the transaction with the session; nothing committed.
        logger.debug("{} - Rollback on {} found its connection lost; the transaction ended with it", ds.name(), b, e);
        releaseBinding(e);
      }
    } finally {
      endTransaction();
    }
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    checkOpen();
    if (binding == null) {
      throw new SQLException("No savepoint was set on this connection", "3B001");
    }
    binding.connection.rollback(savepoint);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return transactional().setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return transactional().setSavepoint(name);
  }

  /** The physical connection for a call that counts as the transaction's work (a savepoint). */
  private Connection transactional() throws SQLException {
    checkOpen();
    if (!effectiveAutoCommit() && !txActive) {
      begin();
    }
    Connection c = physical();
    if (txActive) {
      txStatementRan = true;
    }
    return c;
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    checkOpen();
    if (binding == null) {
      throw new SQLException("No savepoint was set on this connection", "3B001");
    }
    binding.connection.releaseSavepoint(savepoint);
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (binding != null) {
      binding.connection.setTransactionIsolation(level);
    }
    session().isolation = level;
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    if (binding != null) {
      return binding.connection.getTransactionIsolation();
    }
    Session s = session;
    return s != null && s.isolation != null ? s.isolation : ds.defaults().isolation();
  }

  @Override
  public void setCatalog(String value) throws SQLException {
    checkOpen();
    if (binding != null) {
      binding.connection.setCatalog(value);
    }
    session().catalog = value;
  }

  @Override
  public @Nullable String getCatalog() throws SQLException {
    checkOpen();
    if (binding != null) {
      return binding.connection.getCatalog();
    }
    Session s = session;
    return s != null && s.catalog != null ? s.catalog : ds.defaults().catalog();
  }

  @Override
  public void setSchema(String value) throws SQLException {
    checkOpen();
    if (binding != null) {
      binding.connection.setSchema(value);
    }
    session().schema = value;
  }

  @Override
  public @Nullable String getSchema() throws SQLException {
    checkOpen();
    if (binding != null) {
      return binding.connection.getSchema();
    }
    Session s = session;
    return s != null && s.schema != null ? s.schema : ds.defaults().schema();
  }

  @Override
  public void setHoldability(int value) throws SQLException {
    checkOpen();
    if (binding != null) {
      binding.connection.setHoldability(value);
    }
    session().holdability = value;
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    if (binding != null) {
      return binding.connection.getHoldability();
    }
    Session s = session;
    return s != null && s.holdability != null ? s.holdability : ds.defaults().holdability();
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if (milliseconds < 0) {
      throw new SQLException("network timeout: " + milliseconds + " ms (expected: >= 0)", "22023");
    }
    if (binding != null) {
      binding.connection.setNetworkTimeout(executor, milliseconds);
    }
    Session s = session();
    s.networkTimeoutExecutor = executor;
    s.networkTimeoutMillis = milliseconds;
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    if (binding != null) {
      return binding.connection.getNetworkTimeout();
    }
    Session s = session;
    return s == null ? 0 : Math.max(0, s.networkTimeoutMillis);
  }

  // -----------------------------------------------------------------------------------------------
  // Life cycle.

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    endTransaction();
    releaseBinding(null); // the pool rolls back what was not committed
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("executor: null (expected: an Executor)", "22023");
    }
    if (closed) {
      return;
    }
    closed = true;
    Binding b = binding;
    binding = null;
    if (b != null) {
      router.report(b, bindingFailure);
      try {
        b.connection.abort(executor);
      } finally {
        Router.closeQuietly(b.connection); // a pooled connection goes back to its pool, which drops it
      }
    }
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("timeout: " + timeout + " (expected: >= 0)", "22023");
    }
    if (closed) {
      return false;
    }
    Binding b = binding;
    return b == null || b.connection.isValid(timeout);
  }

  @Override
  public @Nullable SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return binding == null ? null : binding.connection.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    if (binding != null) {
      binding.connection.clearWarnings();
    }
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return physical().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return true;
    }
    Binding b = binding;
    return b != null && b.connection.isWrapperFor(iface);
  }

  // -----------------------------------------------------------------------------------------------
  // The rest needs a physical connection and is not routing state.

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return physical().nativeSQL(sql);
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return physical().getTypeMap();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    physical().setTypeMap(map);
  }

  @Override
  public Clob createClob() throws SQLException {
    return physical().createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return physical().createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return physical().createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return physical().createSQLXML();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    return physical().createArrayOf(typeName, elements);
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    return physical().createStruct(typeName, attributes);
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    try {
      physical().setClientInfo(name, value);
    } catch (SQLClientInfoException e) {
      throw e;
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), Map.of(), e);
    }
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    try {
      physical().setClientInfo(properties);
    } catch (SQLClientInfoException e) {
      throw e;
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), Map.of(), e);
    }
  }

  @Override
  public @Nullable String getClientInfo(String name) throws SQLException {
    return physical().getClientInfo(name);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return physical().getClientInfo();
  }

  // -----------------------------------------------------------------------------------------------

  /** Returns the current binding, for tests. */
  @Nullable Binding binding() {
    return binding;
  }

  @Override
  public String toString() {
    Binding b = binding;
    return "RoutingConnection{" + ds.name() + ", "
        + (closed ? "closed" : b == null ? "not bound" : "bound to " + b)
        + (readOnly ? ", read-only" : "")
        + (txActive ? (txReadOnly ? ", read-only transaction" : ", read-write transaction") : "") + '}';
  }

}
