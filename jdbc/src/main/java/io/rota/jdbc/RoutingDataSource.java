package io.rota.jdbc;

import static java.util.Objects.requireNonNull;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.EndpointSnapshot;
import io.rota.core.EndpointState;
import io.rota.core.PoolSnapshot;
import io.rota.core.event.PoolEvent;
import io.rota.jdbc.spi.Dialect;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * <h2>Routing: the transaction decides, marks only hint</h2>
 * {@link #getConnection()} returns a lazy connection: it takes a physical connection only when work
 * needs one. A transaction's kind is fixed when it begins ({@code setAutoCommit(false)}, or its first
 * statement when the pool hands out connections with auto-commit off): read-only if
 * {@code Connection.setReadOnly(true)} (as Spring's {@code @Transactional(readOnly = true)} calls it),
 * {@link ReadOnly @ReadOnly} through {@link #readOnlyProxy} or the scope {@link #readOnly(Work)} is in
 * effect then; read-write otherwise. Its first statement fixes its node; a read-only mark arriving
 * later (a read-only method joining a read-write transaction) moves nothing. Auto-commit statements
 * route one by one. A write never reaches a replica: replica connections are set read-only, and the
 * replica refuses writes itself.
 *
 * <h2>Health</h2>
 * Every node is checked every {@code healthCheckInterval}, each check bounded by
 * {@code healthCheckTimeout}: reachable, in its role, and (replicas) not lagging more than
 * {@code maxReplicationLag}. Failed connections eject a replica (passive health). A read-only
 * connection whose replica cannot be reached tries the next replica, then the primary
 * ({@code fallbackToPrimary}). A primary that is down refuses writes at once with an SQLException that
 * says why. {@link #snapshot()} shows every node's state and the reason.
 *
 * <h2>Nodes without fixed roles: primary failover</h2>
 * Given with {@link RoutingDataSourceBuilder#node node(id, ds)} instead of a primary and replicas,
 * every node's role is probed on its health check; the one writable node takes the writes and the
 * read-only ones the reads. Writes follow a promoted replica within one check interval, fail at once
 * while no node is writable, and go to one node only when two are writable (see {@link Failover}).
 *
 * <pre>{@code
 * RoutingDataSource ds = RoutingDataSource.builder()
 *     .node("pg-1", pool1)
 *     .node("pg-2", pool2)
 *     .node("pg-3", pool3)
 *     .build();
 * }</pre>
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

  private final Settings settings;
  private final DataSource primary;
  private final Map<String, DataSource> replicaSources = new ConcurrentHashMap<>();
  private final HealthChecks health;
  private final EndpointPool<DataSource> replicas;
  private final EndpointPool<DataSource> primaryPool;
  private final Router router;
  private final CopyOnWriteArrayList<Consumer<? super RoutingEvent>> listeners = new CopyOnWriteArrayList<>();
  private final long awaitDownNanos;
  /** With nodes without fixed roles ({@code node(...)}): which one takes writes; else {@code null}. */
  private final @Nullable WriteTargets targets;
  private final HealthChecks.ReplicaCheck nodeCheck;
  private volatile boolean closed;

  RoutingDataSource(Settings settings) {
    this.settings = settings;
    this.primary = settings.primary;
    this.replicaSources.putAll(settings.replicas);
    this.listeners.addAll(settings.listeners);
    this.health = new HealthChecks(settings, this::fire);
    this.awaitDownNanos = settings.healthCheckInterval.plus(settings.healthCheckTimeout.multipliedBy(2)).toNanos();
    logger.info("{} - Starting: {}", settings.name, settings);
    var primaryBuilder = EndpointPool.<DataSource>builder(settings.name + "-primary")
        .config(settings.primaryPoolConfig)
        .scheduler(health.timer())
        .healthCheckExecutor(health.executor())
        .listener(this::onPrimaryEvent)
        .endpoint(Endpoint.of(settings.primaryId, primary, 1));
    ReadYourWritesTracker tracker = new ReadYourWritesTracker(settings.readYourWrites);
    this.nodeCheck = health.new ReplicaCheck();
    if (settings.nodeMode) {
      // Every node is checked in the read pool; the one writable node chosen takes the writes. The
      // one-endpoint primary pool stays, unchecked, for the meters of the writes.
      this.targets = new WriteTargets(settings.name, settings.failover, settings.primaryResolver, this::probes,
          this::fire, tracker::newEpoch, settings.clock);
      health.writeTargets(targets);
    } else {
      this.targets = null;
      primaryBuilder.healthCheck(health.new PrimaryCheck());
    }
    this.primaryPool = primaryBuilder.build();
    var pool = EndpointPool.<DataSource>builder(settings.name + (settings.nodeMode ? "-nodes" : "-replicas"))
        .config(settings.replicaPoolConfig)
        .scheduler(health.timer())
        .healthCheckExecutor(health.executor())
        .listener(this::onReplicaEvent)
        .healthCheck(nodeCheck);
    for (Map.Entry<String, DataSource> e : settings.replicas.entrySet()) {
      pool.endpoint(Endpoint.of(e.getKey(), e.getValue(), settings.weights.get(e.getKey())));
    }
    this.replicas = pool.build();
    this.router = new Router(settings, replicas, health, tracker, targets, replicaSources, this::probeNow);
  }

  /** Every node as its last probe found it, in configuration order (nodes without fixed roles). */
  private List<WriteTargets.Probe> probes() {
    List<WriteTargets.Probe> out = new ArrayList<>();
    for (String id : settings.replicas.keySet()) {
      addProbe(out, id);
    }
    for (String id : new java.util.TreeSet<>(replicaSources.keySet())) {
      if (!settings.replicas.containsKey(id)) {
        addProbe(out, id); // added at run time
      }
    }
    return out;
  }

  private void addProbe(List<WriteTargets.Probe> out, String id) {
    NodeStats s = health.replicaStats.get(id);
    if (s != null && replicaSources.containsKey(id)) {
      out.add(new WriteTargets.Probe(id, s.checked, s.nodeRole, s.lastCheckFailure));
    }
  }

  /**
   * Probes a node at once, off the caller's thread: a connection to it failed while it took writes,
   * so that writes are refused fast if it is gone. One probe is queued per node at a time.
   */
  private void probeNow(String id) {
    NodeStats s = health.replicaStats.get(id);
    if (s == null || closed || !s.probeQueued.compareAndSet(false, true)) {
      return;
    }
    Endpoint<DataSource> endpoint = null;
    for (Endpoint<DataSource> e : replicas.endpoints()) {
      if (e.id().equals(id)) {
        endpoint = e;
      }
    }
    if (endpoint == null) {
      s.probeQueued.set(false);
      return;
    }
    Endpoint<DataSource> e = endpoint;
    try {
      health.executor().execute(() -> {
        s.probeQueued.set(false);
        try {
          nodeCheck.check(e);
        } catch (Exception expected) {
          // The check recorded what it found (or another check of the node is running); nothing else to do.
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      s.probeQueued.set(false);
    }
  }

  /** Returns a builder. */
  public static RoutingDataSourceBuilder builder() {
    return new RoutingDataSourceBuilder();
  }

  /** Returns the name, used in logs and errors. */
  public String name() {
    return settings.name;
  }

  // ---------------------------------------------------------------------------------------------
  // DataSource.

  /** Returns a lazy connection that routes on first use (see the class documentation). */
  @Override
  public Connection getConnection() {
    return new RoutingConnection(this, router, null, null);
  }

  /**
   * Returns a lazy connection that authenticates with the given credentials on whichever node it is
   * routed to. The credentials appear in no log, message or {@code toString()}.
   */
  @Override
  public Connection getConnection(String username, String password) {
    requireNonNull(username, "username");
    return new RoutingConnection(this, router, username, password);
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
   * Runs work in a read-only scope: transactions that begin inside it, and auto-commit statements
   * run inside it, go to a replica. Nested scopes are fine. A transaction already begun outside the
   * scope (a read-write one the work joins) stays where it is: the scope is a hint, the transaction
   * decides.
   *
   * @param <T> the result type
   * @param <E> the exception type
   * @param work the work
   * @return what the work returns
   * @throws E what the work throws
   */
  public static <T, E extends Exception> T readOnly(Work<T, E> work) throws E {
    requireNonNull(work, "work");
    return ReadOnlyScope.run(work);
  }

  /**
   * A read-only scope entered by {@link #enterReadOnly()}; {@link #close()} leaves it.
   *
   * <p>Not thread-safe: close it on the thread that entered it.
   */
  public interface Scope extends AutoCloseable {
    /** Leaves the scope; calling it again does nothing. */
    @Override
    void close();
  }

  /**
   * Enters a read-only scope on the current thread, like {@link #readOnly(Work)} does for its work,
   * until the returned scope is closed, on the same thread. For framework callbacks that come in pairs
   * (before and after a transaction begins, as Spring's {@code TransactionExecutionListener}) instead
   * of wrapping the work; anywhere else prefer {@link #readOnly(Work)}, or try-with-resources.
   *
   * @return the scope, to close
   */
  public static Scope enterReadOnly() {
    return ReadOnlyScope.enter();
  }

  /**
   * Runs work in a read-your-writes context named by {@code key} (a user or session id) instead of the
   * current thread: writes committed inside are remembered, for the mode's window, for the reads of
   * every later call with an equal key, on any thread. Without a context, the context is the current
   * thread: on a thread pool that serves many users (a servlet container) give each request its
   * user's or session's key.
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
    return ReadYourWritesTracker.inContext(key, work);
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
   * <p>The proxy is a JDK dynamic proxy. For a public interface it lives in a module of its own, so
   * every type its methods take or return must be public too; a package-private record returned by
   * a public interface would fail at the first call with an {@link IllegalAccessError}, so it is
   * refused here instead. (A package-private interface may use the package-private types of its own
   * package.)
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, or is public and one of its
   *     methods takes or returns a type that is not
   */
  public static <T> T readOnlyProxy(Class<T> type, T target) {
    requireNonNull(type, "type");
    requireNonNull(target, "target");
    if (!type.isInterface()) {
      throw new IllegalArgumentException("type: " + type.getName() + " (expected: an interface)");
    }
    checkProxyable(type);
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
        return ro ? readOnly(() -> method.invoke(target, args)) : method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    return type.cast(proxy);
  }

  /** Refuses a public interface whose methods use types a proxy outside their package cannot reach. */
  private static void checkProxyable(Class<?> type) {
    if (!Modifier.isPublic(type.getModifiers())) {
      return; // the proxy is defined in the interface's own package
    }
    for (Method m : type.getMethods()) {
      List<Class<?>> used = new java.util.ArrayList<>(List.of(m.getParameterTypes()));
      used.add(m.getReturnType());
      for (Class<?> c : used) {
        while (c.isArray()) {
          c = c.getComponentType();
        }
        if (!c.isPrimitive() && !Modifier.isPublic(c.getModifiers())) {
          throw new IllegalArgumentException("readOnlyProxy(" + type.getName() + "): method " + m.getName()
              + " uses " + c.getName() + ", which is not public; the proxy of a public interface can only call"
              + " methods whose types are public: make " + c.getSimpleName() + " public, or the interface"
              + " package-private");
        }
      }
    }
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
  // For the routing connections.

  /** The pools' connection defaults, read from a primary connection the first time they are needed. */
  PoolDefaults defaults() throws SQLException {
    PoolDefaults d = health.defaults();
    if (d != null) {
      return d;
    }
    WriteTargets t = targets;
    String target = t == null ? null : t.current().node();
    DataSource ds = target == null ? primary : replicaSources.getOrDefault(target, primary);
    try (Connection c = ds.getConnection()) {
      return health.learnDefaults(c);
    } catch (SQLException e) {
      throw new SQLException("Primary '" + (target != null ? target : t != null ? settings.replicas.keySet()
          .iterator().next() : settings.primaryId) + "' of '" + settings.name + "' is unavailable, so its connections' defaults (auto-commit, isolation) cannot be read: "
          + e.getMessage(), e.getSQLState() != null ? e.getSQLState() : "08001", e.getErrorCode(), e);
    }
  }

  int networkTimeoutMillis(boolean replica) {
    return replica ? settings.replicaNetworkTimeoutMillis : settings.primaryNetworkTimeoutMillis;
  }

  int maxReruns() {
    return settings.maxReruns;
  }

  /**
   * Waits, at most one check interval plus two check timeouts, for the node of a binding to be found
   * down by its checks; returns whether it was. Called only after a network timeout, to tell a hung
   * node (re-run the read elsewhere) from a slow query (the caller's error).
   */
  boolean awaitDown(Binding b) {
    long deadline = System.nanoTime() + awaitDownNanos;
    while (!router.isDown(b)) {
      if (System.nanoTime() - deadline > 0 || closed) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return true;
  }


  // ---------------------------------------------------------------------------------------------
  // Membership.

  /**
   * Adds a replica at run time. It takes reads at once (ramping up if the replica pool has slow start)
   * and is checked like the others from now on: a replica that fails its first check is taken out
   * then. A {@link RoutingEvent.ReplicaPoolEvent} announces it.
   *
   * @throws IllegalArgumentException if {@code id} is blank or already used (by a replica or the
   *     primary), or {@code weight} is outside {@code 0..}{@value Endpoint#MAX_WEIGHT}
   * @throws IllegalStateException if this data source is closed
   */
  public void addReplica(String id, DataSource replica, int weight) {
    requireNonNull(id, "id");
    requireNonNull(replica, "replica");
    RoutingDataSourceBuilder.checkId("replica id", id);
    RoutingDataSourceBuilder.checkWeight(id, weight);
    if (closed) {
      throw new IllegalStateException("'" + settings.name + "' is closed");
    }
    if (id.equals(settings.primaryId) || replicaSources.putIfAbsent(id, replica) != null) {
      throw new IllegalArgumentException("replica id: '" + id + "' (expected: unique; it is already used)");
    }
    health.addReplica(id);
    replicas.add(Endpoint.of(id, replica, weight));
  }

  /**
   * Removes a replica: it takes no new reads at once; connections already routed to it finish their
   * work there and return to its pool as usual. Returns whether it was a replica here.
   */
  public boolean removeReplica(String id) {
    requireNonNull(id, "id");
    if (replicaSources.remove(id) == null) {
      return false;
    }
    replicas.remove(id);
    health.removeReplica(id);
    if (targets != null) {
      targets.update(); // it may have taken the writes
    }
    return true;
  }

  /**
   * Sets a replica's weight; traffic follows from the next pick. 0 drains it.
   *
   * @throws IllegalArgumentException if there is no such replica or {@code weight} is out of range
   */
  public void setReplicaWeight(String id, int weight) {
    requireNonNull(id, "id");
    RoutingDataSourceBuilder.checkWeight(id, weight);
    if (!replicaSources.containsKey(id)) {
      throw new IllegalArgumentException("replica id: '" + id + "' (expected: one of " + replicaSources.keySet() + ")");
    }
    replicas.setWeight(id, weight);
  }

  // ---------------------------------------------------------------------------------------------
  // Monitoring.

  private void onReplicaEvent(PoolEvent event) {
    if (event instanceof PoolEvent.StateChanged) {
      PoolEvent.StateChanged s = (PoolEvent.StateChanged) event;
      NodeStats stats = health.replicaStats.get(s.endpointId());
      if (stats != null) {
        boolean out = s.to() == EndpointState.DOWN || s.to() == EndpointState.EJECTED;
        stats.reason = out ? reason(s, stats) : null; // before down: a snapshot that sees it down sees why
        stats.down = out;
      }
    }
    fire(new RoutingEvent.ReplicaPoolEvent(event));
  }

  private void onPrimaryEvent(PoolEvent event) {
    if (!(event instanceof PoolEvent.StateChanged)) {
      return;
    }
    PoolEvent.StateChanged s = (PoolEvent.StateChanged) event;
    NodeStats stats = health.primaryStats;
    boolean down = s.to() == EndpointState.DOWN;
    if (down) {
      stats.reason = reason(s, stats); // before down: a snapshot that sees it down sees why
    }
    stats.down = down;
    if (!down && stats.role != RoutingSnapshot.Role.REPLICA) {
      stats.reason = null;
    }
    fire(new RoutingEvent.PrimaryStateChanged(settings.primaryId, down, s.cause()));
  }

  /** Why a node went out: the pool's cause, and where its check was stuck when it timed out. */
  private static String reason(PoolEvent.StateChanged s, NodeStats stats) {
    String phase = stats.probePhase;
    return phase != null && s.cause().contains("timed out") ? s.cause() + " while " + phase : s.cause();
  }

  /** Returns every node's role, state, reason, counters and lag, and where writes go now. */
  public RoutingSnapshot snapshot() {
    PoolSnapshot pool = replicas.snapshot();
    WriteTargets t = targets;
    WriteTargets.Choice choice = t == null ? null : t.current();
    String primaryNodeId = null;
    if (t != null) {
      primaryNodeId = choice.node() != null ? choice.node() : t.lastTarget();
      if (primaryNodeId == null || !replicaSources.containsKey(primaryNodeId)) {
        primaryNodeId = settings.replicas.keySet().iterator().next();
      }
    }
    List<RoutingSnapshot.Node> nodes = new ArrayList<>();
    RoutingSnapshot.Node primaryNode = null;
    for (EndpointSnapshot e : pool.endpoints()) {
      NodeStats s = health.replicaStats.get(e.id());
      if (s == null) {
        continue;
      }
      if (e.id().equals(primaryNodeId)) {
        boolean taking = e.id().equals(choice.node());
        primaryNode = new RoutingSnapshot.Node(e.id(), s.role, taking ? EndpointState.HEALTHY : EndpointState.DOWN,
            e.weight(), s.reads.sum(), s.writes.sum(), s.failures.sum(), 0, null, s.position, e.inFlight(),
            taking ? null : choice.refusal());
        continue;
      }
      boolean usable = e.state() != EndpointState.DOWN && e.state() != EndpointState.EJECTED;
      String fenced = t == null ? null : t.fencedReason(e.id());
      String reason = usable ? null : fenced != null ? e.id() + " " + fenced : s.reasonOut(e.state());
      nodes.add(new RoutingSnapshot.Node(e.id(), s.role, e.state(), e.weight(), s.reads.sum(), s.writes.sum(),
          s.failures.sum(), e.ejections(), s.lag, s.position, e.inFlight(), reason));
    }
    Dialect d = health.dialect();
    if (t != null && primaryNode != null) {
      return new RoutingSnapshot(settings.name, d == null ? null : d.name(), primaryNode, nodes,
          router.fallbacks.sum(), router.rywOnPrimary.sum(), choice.node(), choice.node() == null ? choice.refusal() : null);
    }
    NodeStats p = health.primaryStats;
    // Out when its checks took it out, or it says it is a replica (writes are refused).
    boolean primaryOut = p.down || p.role == RoutingSnapshot.Role.REPLICA;
    primaryNode = new RoutingSnapshot.Node(settings.primaryId, p.role,
        primaryOut ? EndpointState.DOWN : EndpointState.HEALTHY, 0, p.reads.sum(), p.writes.sum(),
        p.failures.sum(), 0, null, p.position, 0, primaryOut ? p.reason : null);
    return new RoutingSnapshot(settings.name, d == null ? null : d.name(), primaryNode, nodes,
        router.fallbacks.sum(), router.rywOnPrimary.sum());
  }

  // For RoutingDataSourceMetrics.

  String primaryId() {
    return settings.primaryId;
  }

  EndpointPool<DataSource> replicaPool() {
    return replicas;
  }

  EndpointPool<DataSource> primaryPool() {
    return primaryPool;
  }

  HealthChecks health() {
    return health;
  }

  Router router() {
    return router;
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
        logger.warn("{} - Exception thrown by listener {} for {}", settings.name, l, event, e);
      }
    }
  }

  /** Stops health checks. The wrapped data sources stay open: they belong to the caller. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    replicas.close();
    primaryPool.close();
    health.close();
    logger.info("{} - Closed", settings.name);
  }

  /** Returns the effective configuration (no secrets: data sources are named by id). */
  @Override
  public String toString() {
    return "RoutingDataSource{" + settings + ", replicasNow=" + replicaSources.keySet() + '}';
  }
}
