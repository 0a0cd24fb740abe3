package io.rota.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One database node for routing tests (in the spirit of HikariCP's {@code mocks.StubDataSource}): it
 * hands out {@link StubConnection}s, counts {@code getConnection} calls, can refuse them (SQLState
 * 08001), be marked down ({@code isValid} false) and make the next statement execution fail.
 *
 * <p>Connections opened by Rota's own threads (health checks, named {@code rota-...}) are
 * <em>background</em> connections; everything else is <em>work</em>. Tests assert on work so that
 * health checks running at the same time do not disturb counts. Thread-safe.
 */
final class StubDataSource implements DataSource {

  /** One getConnection call: who called, with what credentials, and whether it was refused. */
  record Login(String thread, String user, String password, boolean refused) {
    boolean isWork() {
      return !isBackground(thread);
    }

    @Override
    public String toString() {
      return "Login{" + thread + ", user=" + user + (refused ? ", refused" : "") + '}'; // no password
    }
  }

  final String name;
  private final AtomicInteger getConnectionCalls = new AtomicInteger();
  private final List<Login> logins = new CopyOnWriteArrayList<>();
  private final List<StubConnection> connections = new CopyOnWriteArrayList<>();
  private volatile AtomicReference<SQLException> connectFault = new AtomicReference<>();
  private volatile boolean refuseAll;
  private volatile boolean down;
  private volatile AtomicReference<SQLException> executeFault = new AtomicReference<>();
  private volatile AtomicReference<SQLException> sessionFault = new AtomicReference<>();
  private volatile @Nullable SQLException everySessionFault;
  private volatile boolean defaultAutoCommit = true;

  StubDataSource(String name) {
    this.name = name;
  }

  static boolean isBackground(String threadName) {
    return threadName.startsWith("rota-");
  }

  /** Hands out connections with auto-commit off from now on, as HikariCP's {@code autoCommit=false} does. */
  StubDataSource autoCommitOff() {
    defaultAutoCommit = false;
    return this;
  }

  // --- Faults.

  /** Refuses every getConnection from now on (SQLState 08001), until {@link #acceptConnections()}. */
  StubDataSource refuseConnections() {
    refuseAll = true;
    return this;
  }

  StubDataSource acceptConnections() {
    refuseAll = false;
    return this;
  }

  /**
   * Refuses the next getConnection on whichever of {@code nodes} is asked first; the others are not
   * affected (for tests that do not depend on which replica the balancer picks first).
   */
  static void refuseNextConnectionOnAnyOf(StubDataSource... nodes) {
    AtomicReference<SQLException> shared = new AtomicReference<>(new SQLException("Connection refused", "08001"));
    for (StubDataSource n : nodes) {
      n.connectFault = shared;
    }
  }

  /** Marks the node down: its connections' {@code isValid} returns false. */
  StubDataSource markDown() {
    down = true;
    return this;
  }

  /** Marks the node up again. */
  StubDataSource markUp() {
    down = false;
    return this;
  }

  boolean isDown() {
    return down;
  }

  /**
   * Makes the next {@code setAutoCommit} of a work connection on whichever of {@code nodes} is asked
   * first throw {@code failure} (MariaDB Connector/J sends it at once: a dead server fails there).
   */
  static void failNextSetAutoCommitOnAnyOf(SQLException failure, StubDataSource... nodes) {
    AtomicReference<SQLException> shared = new AtomicReference<>(failure);
    for (StubDataSource n : nodes) {
      n.sessionFault = shared;
    }
  }

  /** Makes every {@code setAutoCommit} of a work connection of this node throw {@code failure}, from now on. */
  StubDataSource failEverySetAutoCommit(SQLException failure) {
    everySessionFault = failure;
    return this;
  }

  /** The {@code setAutoCommit} fault to throw now, if any (a one-time one is taken). */
  @Nullable SQLException takeSessionFault() {
    SQLException every = everySessionFault;
    return every != null ? every : sessionFault.getAndSet(null);
  }

  /** Makes the next execute on any statement of this node throw {@code failure}. */
  StubDataSource failNextExecute(SQLException failure) {
    executeFault = new AtomicReference<>(failure);
    return this;
  }

  /** Makes the next execute on whichever of {@code nodes} executes first throw {@code failure}. */
  static void failNextExecuteOnAnyOf(SQLException failure, StubDataSource... nodes) {
    AtomicReference<SQLException> shared = new AtomicReference<>(failure);
    for (StubDataSource n : nodes) {
      n.executeFault = shared;
    }
  }

  /** Returns and clears the pending execute failure, if any. */
  SQLException takeExecuteFault() {
    return executeFault.getAndSet(null);
  }

  // --- What happened.

  /** Every getConnection call, refused or not, from any thread. */
  int getConnectionCalls() {
    return getConnectionCalls.get();
  }

  List<Login> logins() {
    return List.copyOf(logins);
  }

  /** getConnection calls made by the application (not by Rota's health checks). */
  List<Login> workLogins() {
    List<Login> out = new ArrayList<>();
    for (Login l : logins) {
      if (l.isWork()) {
        out.add(l);
      }
    }
    return out;
  }

  List<StubConnection> allConnections() {
    return List.copyOf(connections);
  }

  /** Connections opened by the application, in order. */
  List<StubConnection> work() {
    List<StubConnection> out = new ArrayList<>();
    for (StubConnection c : connections) {
      if (!c.background()) {
        out.add(c);
      }
    }
    return out;
  }

  /** Connections opened by Rota's own threads (health checks). */
  List<StubConnection> background() {
    List<StubConnection> out = new ArrayList<>();
    for (StubConnection c : connections) {
      if (c.background()) {
        out.add(c);
      }
    }
    return out;
  }

  /** Every statement execution on the application's connections, in order. */
  List<StubStatement.Execution> executions() {
    List<StubStatement.Execution> out = new ArrayList<>();
    for (StubConnection c : work()) {
      out.addAll(c.executions());
    }
    return out;
  }

  // --- DataSource.

  @Override
  public Connection getConnection() throws SQLException {
    return open(null, null);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return open(username, password);
  }

  private Connection open(String user, String password) throws SQLException {
    getConnectionCalls.incrementAndGet();
    String thread = Thread.currentThread().getName();
    SQLException fault = refuseAll ? new SQLException("Connection to " + name + " refused", "08001")
        : connectFault.getAndSet(null);
    logins.add(new Login(thread, user, password, fault != null));
    if (fault != null) {
      throw fault;
    }
    StubConnection c = new StubConnection(this, thread, user, password);
    c.autoCommit = defaultAutoCommit;
    connections.add(c);
    return c.proxy;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("Not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "StubDataSource{" + name + '}';
  }
}
