package io.rota.jdbc;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.EndpointSnapshot;
import io.rota.core.EndpointState;
import io.rota.core.PoolSnapshot;
import io.rota.core.spi.HealthCheck;
import io.rota.core.spi.HealthCheckFailedException;
import io.rota.jdbc.internal.MariaDbDialect;
import io.rota.jdbc.internal.MySqlDialect;
import io.rota.jdbc.internal.PostgresDialect;
import io.rota.jdbc.spi.Dialect;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataSource} that splits reads from writes over the pools an application already has: one
 * primary, and replicas picked by weight from a Rota {@link EndpointPool}.
 *
 * <pre>{@code
 * RoutingDataSource ds = RoutingDataSource.builder()
 *     .primary("pg-1", primaryPool)                 // e.g. HikariDataSource
 *     .replica("pg-2", replicaPool2, 3)
 *     .replica("pg-3", replicaPool3, 1)
 *     .maxReplicationLag(Duration.ofSeconds(5))
 *     .readYourWrites(ReadYourWrites.causal())
 *     .build();
 * }</pre>
 *
 * <h2>Routing</h2>
 * {@link #getConnection()} returns a lazy connection: it takes a physical connection only when the
 * first statement (or metadata call) needs one. Work marked read-only by then — with
 * {@code Connection.setReadOnly(true)} (as Spring's {@code @Transactional(readOnly = true)} does),
 * {@link ReadOnly @ReadOnly} through {@link #readOnlyProxy}, or the scope {@link #readOnly(Work)} —
 * goes to a replica; everything else, including a transaction that starts with a SELECT without
 * being marked, goes to the primary. A transaction stays on its node. A write never reaches a
 * replica: replica connections are set read-only, and the replica refuses writes itself.
 *
 * <h2>Replica health</h2>
 * Each replica is checked every {@code healthCheckInterval}: reachable, still a replica (a promoted
 * replica stops taking reads), and not lagging more than {@code maxReplicationLag}. Failed connections
 * eject a replica (passive health). A read-only connection whose replica cannot be reached tries the
 * next replica, then the primary ({@code fallbackToPrimary}, on by default). A read in auto-commit
 * mode whose replica dies under it is re-run on another node.
 *
 * <h2>Read-your-writes</h2>
 * See {@link ReadYourWrites}: off, a time window on the primary after a write, or causal (PostgreSQL
 * WAL position, MariaDB / MySQL GTID position).
 *
 * <p>Thread-safe. The connections it hands out are not (as with any JDBC connection). Closing the
 * routing data source stops its health checks; it does not close the wrapped data sources.
 */
public final class RoutingDataSource implements DataSource, AutoCloseable {

  private static final org.slf4j.Logger logger = LoggerFactory.getLogger(RoutingDataSource.class);

  private static final ThreadLocal<int[]> READ_ONLY_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final ThreadLocal<@Nullable Object> CONTEXT = new ThreadLocal<>();

  private final String name;
  private final String primaryId;
  private final DataSource primary;
  private final Map<String, DataSource> replicaSources;
  private final EndpointPool<DataSource> replicas;
  private final boolean fallbackToPrimary;
  private final @Nullable Duration maxReplicationLag;
  private final ReadYourWrites readYourWrites;
  private final int replicaNetworkTimeoutMillis;
  private final Duration healthCheckInterval;
  private final ScheduledExecutorService scheduler;
  private final @Nullable Cache<Object, Object> writes;
  private volatile @Nullable Dialect dialect;
  private volatile boolean noDialectWarned;

  private final NodeStats primaryStats = new NodeStats();
  private final Map<String, NodeStats> replicaStats = new ConcurrentHashMap<>();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder rywOnPrimary = new LongAdder();
  private final CopyOnWriteArrayList<Consumer<? super RoutingEvent>> listeners = new CopyOnWriteArrayList<>();

  RoutingDataSource(RoutingDataSourceBuilder b) {
    this.name = b.name;
    this.primaryId = b.primaryId;
    this.primary = b.primary;
    this.replicaSources = new LinkedHashMap<>(b.replicas);
    this.fallbackToPrimary = b.fallbackToPrimary;
    this.maxReplicationLag = b.maxReplicationLag;
    this.readYourWrites = b.readYourWrites;
    this.replicaNetworkTimeoutMillis = b.replicaNetworkTimeout == null ? -1 : (int) b.replicaNetworkTimeout.toMillis();
    this.healthCheckInterval = b.poolConfig.healthCheckInterval();
    this.dialect = b.dialect;
    ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rota-" + b.name + "-jdbc");
      t.setDaemon(true);
      return t;
    });
    ses.setRemoveOnCancelPolicy(true);
    this.scheduler = ses;
    this.writes = readYourWrites.mode() == ReadYourWrites.Mode.OFF ? null
        : Caffeine.newBuilder().expireAfterWrite(readYourWrites.window()).maximumSize(1_000_000).build();
    for (String id : replicaSources.keySet()) {
      replicaStats.put(id, new NodeStats());
    }
    listeners.addAll(b.listeners);
    var pool = EndpointPool.<DataSource>builder(b.name + "-replicas")
        .config(b.poolConfig)
        .listener(event -> fire(new RoutingEvent.ReplicaPoolEvent(event)))
        .healthCheck(new ReplicaCheck());
    for (Map.Entry<String, DataSource> e : replicaSources.entrySet()) {
      pool.endpoint(Endpoint.of(e.getKey(), e.getValue(), b.weights.get(e.getKey())));
    }
    this.replicas = pool.build();
    scheduler.scheduleWithFixedDelay(this::checkPrimary, 0, healthCheckInterval.toNanos(), TimeUnit.NANOSECONDS);
    logger.info("{} - Routing writes to {} and reads to {} (fallback to primary: {}, max lag: {}, read-your-writes: {})",
        name, primaryId, b.weights, fallbackToPrimary, maxReplicationLag, readYourWrites);
  }

  /** Returns a builder. */
  public static RoutingDataSourceBuilder builder() {
    return new RoutingDataSourceBuilder();
  }

  /** Returns the name, used in logs and thread names. */
  public String name() {
    return name;
  }

  // ---------------------------------------------------------------------------------------------
  // DataSource.

  /** Returns a lazy connection that routes on first use (see the class documentation). */
  @Override
  public Connection getConnection() {
    return new LazyConnection(this, null, null).proxy;
  }

  /**
   * Returns a lazy connection that authenticates with the given credentials on whichever node it is
   * routed to. The credentials appear in no log, message or {@code toString()}.
   */
  @Override
  public Connection getConnection(String username, String password) {
    requireNonNull(username, "username");
    return new LazyConnection(this, username, password).proxy;
  }

  /** Returns the primary's log writer. */
  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return primary.getLogWriter();
  }

  /** Sets the log writer of the primary and every replica data source. */
  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    primary.setLogWriter(out);
    for (DataSource r : replicaSources.values()) {
      r.setLogWriter(out);
    }
  }

  /** Sets the login timeout of the primary and every replica data source. */
  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    primary.setLoginTimeout(seconds);
    for (DataSource r : replicaSources.values()) {
      r.setLoginTimeout(seconds);
    }
  }

  /** Returns the primary's login timeout. */
  @Override
  public int getLoginTimeout() throws SQLException {
    return primary.getLoginTimeout();
  }

  /** Returns the primary's parent logger. */
  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return primary.getParentLogger();
  }

  /** Returns this, or what the primary data source unwraps to. */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return primary.unwrap(iface);
  }

  /** Returns whether this, or the primary data source, wraps the given type. */
  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || primary.isWrapperFor(iface);
  }

  // ---------------------------------------------------------------------------------------------
  // Read-only scope, @ReadOnly proxies, read-your-writes contexts.

  /**
   * Work that returns a value and may throw a checked exception of type {@code E}.
   *
   * @param <T> the result type
   * @param <E> the exception type
   */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    /** Does the work. */
    T run() throws E;
  }

  /**
   * Runs work in a read-only scope: connections first used inside it go to a replica. Nested scopes
   * are fine; a connection already bound (for example in a running write transaction) stays where it
   * is.
   *
   * @param <T> the result type
   * @param <E> the exception type
   * @param work the work
   * @return what the work returns
   * @throws E what the work throws
   */
  public static <T, E extends Exception> T readOnly(Work<T, E> work) throws E {
    requireNonNull(work, "work");
    int[] depth = READ_ONLY_DEPTH.get();
    depth[0]++;
    try {
      return work.run();
    } finally {
      depth[0]--;
    }
  }

  static boolean readOnlyScopeActive() {
    return READ_ONLY_DEPTH.get()[0] > 0;
  }

  /**
   * Runs work in a read-your-writes context named by {@code key} (a user or session id) instead of the
   * current thread: writes made inside are remembered for the reads of every later call with an
   * equal key, on any thread.
   *
   * @param <T> the result type
   * @param <E> the exception type
   * @param key the context key; its {@code equals} and {@code hashCode} identify the context
   * @param work the work
   * @return what the work returns
   * @throws E what the work throws
   */
  public static <T, E extends Exception> T inContext(Object key, Work<T, E> work) throws E {
    requireNonNull(key, "key");
    requireNonNull(work, "work");
    Object previous = CONTEXT.get();
    CONTEXT.set(key);
    try {
      return work.run();
    } finally {
      if (previous == null) {
        CONTEXT.remove();
      } else {
        CONTEXT.set(previous);
      }
    }
  }

  private static Object contextKey() {
    Object key = CONTEXT.get();
    return key != null ? key : Thread.currentThread();
  }

  /**
   * Returns a proxy over {@code target} that runs every method annotated {@link ReadOnly @ReadOnly}
   * (on the interface method, the implementation method, the interface or the implementation class)
   * in a read-only scope.
   *
   * @param <T> the interface type
   * @param type the interface the proxy implements
   * @param target the implementation
   * @return the proxy
   * @throws IllegalArgumentException if {@code type} is not an interface
   */
  public static <T> T readOnlyProxy(Class<T> type, T target) {
    requireNonNull(type, "type");
    requireNonNull(target, "target");
    if (!type.isInterface()) {
      throw new IllegalArgumentException("type: " + type.getName() + " (expected: an interface)");
    }
    Map<Method, Boolean> cache = new ConcurrentHashMap<>();
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return p == args[0];
          case "hashCode":
            return System.identityHashCode(p);
          default:
            return "ReadOnlyProxy{" + target + '}';
        }
      }
      boolean ro = cache.computeIfAbsent(method, m -> isReadOnly(m, type, target.getClass()));
      try {
        return ro ? readOnly(() -> invoke(method, target, args)) : invoke(method, target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    return type.cast(proxy);
  }

  private static @Nullable Object invoke(Method method, Object target, Object @Nullable [] args)
      throws InvocationTargetException, IllegalAccessException {
    return method.invoke(target, args);
  }

  private static boolean isReadOnly(Method method, Class<?> type, Class<?> implementation) {
    if (method.isAnnotationPresent(ReadOnly.class) || type.isAnnotationPresent(ReadOnly.class)
        || implementation.isAnnotationPresent(ReadOnly.class)) {
      return true;
    }
    try {
      return implementation.getMethod(method.getName(), method.getParameterTypes()).isAnnotationPresent(ReadOnly.class);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Routing, called by LazyConnection.

  /** A physical connection and where it came from. */
  static final class Binding {
    final Connection connection;
    final @Nullable Endpoint<DataSource> replica;
    final long startNanos;

    Binding(Connection connection, @Nullable Endpoint<DataSource> replica, long startNanos) {
      this.connection = connection;
      this.replica = replica;
      this.startNanos = startNanos;
    }

    String nodeId() {
      return replica == null ? "primary" : replica.id();
    }
  }

  /** Returns the id of the node a binding is on. */
  String nodeId(Binding b) {
    return b.replica == null ? primaryId : b.replica.id();
  }

  /** Returns the network timeout for replica connections in milliseconds, or -1 for none. */
  int replicaNetworkTimeoutMillis() {
    return replicaNetworkTimeoutMillis;
  }

  int replicaCount() {
    return replicaSources.size();
  }

  /** Takes a physical connection for read-only or read-write work. */
  Binding acquire(boolean readOnly, Set<String> exclude, @Nullable String user, @Nullable String password)
      throws SQLException {
    if (readOnly) {
      Binding b = acquireReplica(exclude, user, password);
      if (b != null) {
        return b;
      }
    }
    return acquirePrimary(readOnly, user, password);
  }

  private @Nullable Binding acquireReplica(Set<String> exclude, @Nullable String user, @Nullable String password)
      throws SQLException {
    String required = null;
    if (writes != null) {
      Object recorded = writes.getIfPresent(contextKey());
      if (recorded != null) {
        if (readYourWrites.mode() == ReadYourWrites.Mode.WINDOW || !(recorded instanceof String)) {
          rywOnPrimary.increment();
          return null;
        }
        required = (String) recorded;
      }
    }
    List<String> tried = new ArrayList<>();
    SQLException lastFailure = null;
    // Weighted picks first; once they only return replicas already tried, every other available
    // replica in turn, so that a heavy replica refusing connections never hides a light one.
    int picks = 2 * replicaSources.size() + 1;
    List<Endpoint<DataSource>> rest = null;
    while (true) {
      Endpoint<DataSource> r = null;
      if (picks-- > 0) {
        r = replicas.select();
        if (r == null) {
          break;
        }
      } else {
        if (rest == null) {
          rest = availableReplicas();
        }
        if (rest.isEmpty()) {
          break;
        }
        r = rest.remove(0);
      }
      if (exclude.contains(r.id()) || tried.contains(r.id())) {
        continue;
      }
      tried.add(r.id());
      NodeStats stats = replicaStats.get(r.id());
      long start = replicas.onStart(r);
      Connection c;
      try {
        c = open(r.address(), user, password);
      } catch (SQLException e) {
        replicas.onFailure(r, start, e);
        stats.failures.increment();
        lastFailure = e;
        continue;
      }
      if (required != null && !hasReplayed(r.id(), c, required)) {
        closeQuietly(c);
        replicas.onSuccess(r, start);
        continue;
      }
      stats.reads.increment();
      return new Binding(c, r, start);
    }
    if (required != null && lastFailure == null) {
      rywOnPrimary.increment();
      return null;
    }
    if (!fallbackToPrimary) {
      SQLException e = new SQLException("No replica of '" + name + "' can serve read-only work and"
          + " fallbackToPrimary is off; replicas: " + describeReplicas(), "08001");
      if (lastFailure != null) {
        e.initCause(lastFailure);
      }
      throw e;
    }
    fallbacks.increment();
    return null;
  }

  /** Returns the replicas the pool would pick from now, in configuration order. */
  private List<Endpoint<DataSource>> availableReplicas() {
    PoolSnapshot snapshot = replicas.snapshot();
    List<Endpoint<DataSource>> out = new ArrayList<>();
    for (Endpoint<DataSource> e : replicas.endpoints()) {
      EndpointSnapshot s = snapshot.endpoint(e.id());
      if (s != null && s.effectiveWeight() > 0) {
        out.add(e);
      }
    }
    return out;
  }

  private boolean hasReplayed(String replicaId, Connection c, String required) {
    Dialect d = dialect;
    if (d == null) {
      return false;
    }
    String known = replicaStats.get(replicaId).position;
    if (known != null && d.covers(known, required)) {
      return true;
    }
    try {
      String replayed = d.replicaStatus(c, null).replayed();
      if (replayed != null) {
        replicaStats.get(replicaId).position = replayed;
      }
      return replayed != null && d.covers(replayed, required);
    } catch (SQLException e) {
      return false;
    }
  }

  private Binding acquirePrimary(boolean readOnly, @Nullable String user, @Nullable String password)
      throws SQLException {
    if (!readOnly && primaryStats.role == RoutingSnapshot.Role.REPLICA) {
      throw new SQLException("Primary '" + primaryId + "' of '" + name + "' reports that it is a replica"
          + " (in recovery) and cannot take writes; refusing to route writes to it", "25006");
    }
    try {
      Connection c = open(primary, user, password);
      (readOnly ? primaryStats.reads : primaryStats.writes).increment();
      return new Binding(c, null, 0);
    } catch (SQLException e) {
      primaryStats.failures.increment();
      throw new SQLException("Primary '" + primaryId + "' of '" + name + "' is unavailable: " + e.getMessage(),
          e.getSQLState() != null ? e.getSQLState() : "08001", e);
    }
  }

  private static Connection open(DataSource ds, @Nullable String user, @Nullable String password)
      throws SQLException {
    return user == null ? ds.getConnection() : ds.getConnection(user, password);
  }

  /** Returns a physical connection to its pool, reporting the outcome for replicas. */
  void release(Binding b, @Nullable Throwable failure) {
    report(b, failure);
    closeQuietly(b.connection);
  }

  /** Reports the outcome of a binding: to the replica pool, or the primary's failure count. */
  void report(Binding b, @Nullable Throwable failure) {
    if (b.replica == null) {
      if (failure != null && io.rota.jdbc.internal.SqlErrors.isConnectionError(failure)) {
        primaryStats.failures.increment();
      }
      return;
    }
    if (failure != null && io.rota.jdbc.internal.SqlErrors.isConnectionError(failure)) {
      replicas.onFailure(b.replica, b.startNanos, failure);
      replicaStats.get(b.replica.id()).failures.increment();
    } else {
      replicas.onSuccess(b.replica, b.startNanos);
    }
  }

  /** Records a committed write of the current context (read-your-writes). */
  void recordWrite(Connection primaryConnection, boolean autoCommit) {
    Cache<Object, Object> w = writes;
    if (w == null) {
      return;
    }
    Object key = contextKey();
    if (readYourWrites.mode() == ReadYourWrites.Mode.WINDOW) {
      w.put(key, Boolean.TRUE);
      return;
    }
    Dialect d = dialectFor(primaryConnection);
    String position = null;
    if (d != null) {
      try {
        position = d.currentPosition(primaryConnection);
        if (!autoCommit) {
          primaryConnection.commit(); // end the transaction the position query opened
        }
      } catch (SQLException e) {
        logger.debug("{} - Could not read the primary's position after a write", name, e);
      }
    }
    if (position == null) {
      w.put(key, Boolean.TRUE); // unknown position: stay on the primary for the window
      return;
    }
    String p = position;
    w.asMap().merge(key, p, (old, now) -> old instanceof String && d.covers((String) old, (String) now) ? old : now);
  }

  private @Nullable Dialect dialectFor(Connection c) {
    Dialect d = dialect;
    if (d != null) {
      return d;
    }
    try {
      String product = c.getMetaData().getDatabaseProductName();
      String version = java.util.Objects.toString(c.getMetaData().getDatabaseProductVersion(), "");
      for (Dialect known : List.<Dialect>of(PostgresDialect.INSTANCE, MariaDbDialect.INSTANCE, MySqlDialect.INSTANCE)) {
        if (known.supports(product, version)) {
          dialect = known;
          logger.info("{} - Detected dialect {}", name, known.name());
          return known;
        }
      }
      if (!noDialectWarned) {
        noDialectWarned = true;
        logger.warn("{} - No dialect for database '{}': replication lag and roles are not checked;"
            + " give one with RoutingDataSourceBuilder.dialect()", name, product);
      }
    } catch (SQLException e) {
      logger.debug("{} - Could not read database metadata", name, e);
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Health: primary role check, replica checks.

  private void checkPrimary() {
    RoutingSnapshot.Role observed;
    try (Connection c = primary.getConnection()) {
      Dialect d = dialectFor(c);
      if (d == null) {
        observed = RoutingSnapshot.Role.PRIMARY;
      } else {
        observed = d.isReplica(c) ? RoutingSnapshot.Role.REPLICA : RoutingSnapshot.Role.PRIMARY;
        if (observed == RoutingSnapshot.Role.PRIMARY) {
          primaryStats.position = d.currentPosition(c);
        }
      }
    } catch (SQLException | RuntimeException e) {
      observed = RoutingSnapshot.Role.UNKNOWN; // unreachable
    }
    RoutingSnapshot.Role previous = primaryStats.role;
    boolean first = !primaryStats.checked;
    primaryStats.role = observed;
    primaryStats.checked = true;
    if (observed != previous || first) {
      if (observed == RoutingSnapshot.Role.REPLICA) {
        logger.warn("{} - Primary {} reports that it is a replica (in recovery): writes are refused", name, primaryId);
      } else if (observed == RoutingSnapshot.Role.UNKNOWN) {
        logger.warn("{} - Primary {} is unreachable", name, primaryId);
      } else if (!first) {
        logger.info("{} - Primary {} is reachable and primary again", name, primaryId);
      }
      if (observed == RoutingSnapshot.Role.REPLICA
          || observed == RoutingSnapshot.Role.PRIMARY && previous == RoutingSnapshot.Role.REPLICA) {
        fire(new RoutingEvent.RoleChanged(primaryId, RoutingSnapshot.Role.PRIMARY, observed));
      }
    }
  }

  /** The active health check of a replica: reachable, a replica, and not lagging. */
  private final class ReplicaCheck implements HealthCheck<DataSource> {
    @Override
    public void check(Endpoint<DataSource> endpoint) throws Exception {
      NodeStats stats = replicaStats.get(endpoint.id());
      try (Connection c = endpoint.address().getConnection()) {
        Dialect d = dialectFor(c);
        if (d == null) {
          if (!c.isValid((int) Math.max(1, healthCheckInterval.toSeconds()))) {
            throw new HealthCheckFailedException("connection is not valid");
          }
          return;
        }
        boolean replica = d.isReplica(c);
        RoutingSnapshot.Role role = replica ? RoutingSnapshot.Role.REPLICA : RoutingSnapshot.Role.PRIMARY;
        if (role != stats.role) {
          RoutingSnapshot.Role previous = stats.role;
          stats.role = role;
          if (!replica) {
            logger.warn("{} - Replica {} is no longer a replica (promoted?): it takes no more reads", name, endpoint.id());
          }
          if (!replica || previous == RoutingSnapshot.Role.PRIMARY) {
            fire(new RoutingEvent.RoleChanged(endpoint.id(), RoutingSnapshot.Role.REPLICA, role));
          }
        }
        if (!replica) {
          throw new HealthCheckFailedException("'" + endpoint.id() + "' is not a replica (promoted to primary?)");
        }
        // The primary's position as of its last check (at most one interval old), so that a slow or
        // dead primary never stalls replica checks; unknown while it is unreachable, and then a
        // replica is judged by what it has received.
        String primaryPosition = primaryStats.role == RoutingSnapshot.Role.PRIMARY ? primaryStats.position : null;
        Dialect.ReplicaStatus status = d.replicaStatus(c, primaryPosition);
        stats.lag = status.lag();
        if (status.replayed() != null) {
          stats.position = status.replayed();
        }
        Duration max = maxReplicationLag;
        if (max != null) {
          if (status.lag() == null) {
            throw new HealthCheckFailedException("replication lag unknown (replication stopped?)");
          }
          if (status.lag().compareTo(max) > 0) {
            throw new HealthCheckFailedException("replication lag " + status.lag().toMillis()
                + " ms exceeds maxReplicationLag " + max.toMillis() + " ms");
          }
        }
      } catch (SQLException e) {
        stats.role = stats.role == RoutingSnapshot.Role.PRIMARY ? stats.role : RoutingSnapshot.Role.UNKNOWN;
        throw e;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Monitoring.

  /** Per-node counters and last check results. */
  private static final class NodeStats {
    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder failures = new LongAdder();
    volatile RoutingSnapshot.Role role = RoutingSnapshot.Role.UNKNOWN;
    volatile @Nullable Duration lag;
    volatile @Nullable String position;
    /** Whether a check has run (for the primary: reachable or not is then known). */
    volatile boolean checked;
  }

  /** Returns every node's role, state, counters and lag. */
  public RoutingSnapshot snapshot() {
    PoolSnapshot pool = replicas.snapshot();
    List<RoutingSnapshot.Node> nodes = new ArrayList<>();
    for (EndpointSnapshot e : pool.endpoints()) {
      NodeStats s = replicaStats.get(e.id());
      nodes.add(new RoutingSnapshot.Node(e.id(), s.role, e.state(), e.weight(), s.reads.sum(), 0,
          s.failures.sum(), e.ejections(), s.lag, s.position));
    }
    RoutingSnapshot.Node p = new RoutingSnapshot.Node(primaryId, primaryStats.role,
        primaryStats.checked && primaryStats.role != RoutingSnapshot.Role.PRIMARY ? EndpointState.DOWN : EndpointState.HEALTHY,
        0, primaryStats.reads.sum(), primaryStats.writes.sum(), primaryStats.failures.sum(), 0, null,
        primaryStats.position);
    Dialect d = dialect;
    return new RoutingSnapshot(name, d == null ? null : d.name(), p, nodes, fallbacks.sum(), rywOnPrimary.sum());
  }

  private String describeReplicas() {
    StringBuilder sb = new StringBuilder();
    for (EndpointSnapshot e : replicas.snapshot().endpoints()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.id()).append(" (").append(e.state()).append(')');
    }
    return sb.toString();
  }

  /** Registers a listener for {@link RoutingEvent}s. */
  public void addListener(Consumer<? super RoutingEvent> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  private void fire(RoutingEvent event) {
    for (Consumer<? super RoutingEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        logger.warn("{} - Exception thrown by listener {} for {}", name, l, event, e);
      }
    }
  }

  /** Returns the replica pool, for monitoring and weight changes. */
  public EndpointPool<DataSource> replicaPool() {
    return replicas;
  }

  /** Stops health checks. The wrapped data sources stay open: they belong to the caller. */
  @Override
  public void close() {
    replicas.close();
    scheduler.shutdownNow();
    logger.info("{} - Closed", name);
  }

  @Override
  public String toString() {
    return "RoutingDataSource{name=" + name + ", primary=" + primaryId + ", replicas=" + replicas.endpoints() + '}';
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException ignored) {
      // Nothing more to do with it.
    }
  }
}
