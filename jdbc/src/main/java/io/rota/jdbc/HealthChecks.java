package io.rota.jdbc;

import io.rota.core.Endpoint;
import io.rota.core.internal.DaemonThreads;
import io.rota.core.spi.HealthCheck;
import io.rota.core.spi.HealthCheckFailedException;
import io.rota.jdbc.internal.SqlErrors;
import io.rota.jdbc.spi.Dialect;
import io.rota.jdbc.spi.NodeRole;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active checks of a routing data source's nodes, and what they learn: the dialect, the primary's
 * role and log position (with a short history, to estimate a replica's lag from positions alone), each
 * replica's role, lag and replayed position, and the pools' real connection defaults.
 *
 * <h2>Bounded, independent checks</h2>
 * Checks run on a bounded executor of {@code rota-jdbc-health-N} threads, one per node plus one, and
 * are scheduled by one {@code rota-jdbc-timer-N} thread that never does I/O. Each check bounds its own
 * I/O with {@code healthCheckTimeout} (the network timeout of its connection); the core pool's timer
 * declares a check that still has not answered failed a little later (at 1.5 times the timeout). While a check of a node is still stuck (a node that hangs, a pool that waits for its
 * connection timeout), the next check of that node fails at once instead of taking another thread, so
 * a hung node holds at most one thread and never delays the other nodes' checks.
 *
 * <p>Thread-safe.
 */
final class HealthChecks implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(RoutingDataSource.class);
  private static final AtomicInteger HEALTH_THREADS = new AtomicInteger();
  private static final AtomicInteger TIMER_THREADS = new AtomicInteger();
  /** Primary positions remembered for lag estimates: about a minute at the default interval. */
  private static final int POSITION_HISTORY = 64;

  private final Settings settings;
  private final ThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor timer;
  private final int timeoutMillis;
  private final Consumer<RoutingEvent> events;
  final NodeStats primaryStats = new NodeStats();
  final Map<String, NodeStats> replicaStats = new ConcurrentHashMap<>();
  private final PositionHistory primaryPositions = new PositionHistory(POSITION_HISTORY);
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Dialect dialect;
  private volatile @Nullable PoolDefaults defaults;
  /** Which node takes writes, when the nodes have no fixed roles; else {@code null}. */
  private volatile @Nullable WriteTargets targets;
  /** Why replication status cannot be read with the replicas' user (logged once), or {@code null}. */
  private volatile @Nullable String limitation;

  HealthChecks(Settings settings, Consumer<RoutingEvent> events) {
    this.settings = settings;
    this.events = events;
    this.dialect = settings.dialect;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.healthCheckTimeout.toMillis());
    int threads = settings.replicas.size() + 2;
    this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        DaemonThreads.numbered("rota-jdbc-health-", HEALTH_THREADS));
    executor.allowCoreThreadTimeOut(true);
    this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("rota-jdbc-timer-", TIMER_THREADS));
    timer.setRemoveOnCancelPolicy(true);
    for (String id : settings.replicas.keySet()) {
      replicaStats.put(id, new NodeStats());
    }
  }

  /** Sets the write targets the checks of nodes without fixed roles update (before the checks start). */
  void writeTargets(WriteTargets targets) {
    this.targets = targets;
  }

  ThreadPoolExecutor executor() {
    return executor;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** Makes room for one more node's checks. */
  synchronized void addReplica(String id) {
    replicaStats.putIfAbsent(id, new NodeStats());
    int threads = replicaStats.size() + 2;
    if (threads > executor.getMaximumPoolSize()) {
      executor.setMaximumPoolSize(threads);
      executor.setCorePoolSize(threads);
    }
  }

  void removeReplica(String id) {
    replicaStats.remove(id);
  }

  @Nullable Dialect dialect() {
    return dialect;
  }

  /** Returns the pools' connection defaults, once a connection has shown them, else {@code null}. */
  @Nullable PoolDefaults defaults() {
    return defaults;
  }

  /** Learns the pools' connection defaults from a connection fresh from a pool. */
  PoolDefaults learnDefaults(Connection fresh) throws SQLException {
    PoolDefaults d = defaults;
    if (d == null) {
      d = PoolDefaults.of(fresh);
      defaults = d;
    }
    return d;
  }

  /** Returns the dialect, detecting it from the connection's metadata the first time. */
  @Nullable Dialect dialectFor(Connection c) {
    Dialect d = dialect;
    if (d != null) {
      return d;
    }
    try {
      String product = c.getMetaData().getDatabaseProductName();
      String version = Objects.toString(c.getMetaData().getDatabaseProductVersion(), "");
      d = Dialects.detect(product, version);
      if (d != null) {
        dialect = d;
        logger.info("{} - Detected dialect {}", settings.name, d.name());
        return d;
      }
      warnOnce("no-dialect", "{} - No dialect for database '{}': replication lag and roles are not checked;"
          + " give one with RoutingDataSourceBuilder.dialect()", product);
    } catch (SQLException e) {
      logger.debug("{} - Could not read database metadata", settings.name, e);
    }
    return null;
  }

  private void warnOnce(String key, String format, Object argument) {
    if (warned.add(key)) {
      logger.warn(format, settings.name, argument);
    }
  }

  /** Returns the primary's position as of its last check, or {@code null} if unknown or unreachable. */
  @Nullable String primaryPosition() {
    WriteTargets t = targets;
    if (t != null) {
      String target = t.current().node();
      NodeStats s = target == null ? null : replicaStats.get(target);
      return s == null || s.nodeRole == null ? null : s.position;
    }
    return primaryStats.role == RoutingSnapshot.Role.PRIMARY ? primaryStats.position : null;
  }

  // -------------------------------------------------------------------------------------------------

  /** What a check is doing now, so that a check that times out says where it was stuck. */
  static final String TAKING_CONNECTION = "taking a connection from its pool";
  static final String QUERYING = "querying the node";

  /** A connection for one check, its I/O bounded by the check timeout. */
  private Connection open(DataSource ds, NodeStats stats) throws SQLException {
    stats.probePhase = TAKING_CONNECTION;
    Connection c = ds.getConnection();
    stats.probePhase = QUERYING;
    try {
      c.setNetworkTimeout(Runnable::run, timeoutMillis);
    } catch (SQLException | RuntimeException unsupported) {
      // A driver without network timeouts: the core pool's timer still bounds the check.
    }
    return c;
  }

  private static void begin(NodeStats stats, String node, Duration timeout) throws HealthCheckFailedException {
    if (!stats.probing.compareAndSet(false, true)) {
      long ms = (System.nanoTime() - stats.probeStartedAt) / 1_000_000;
      throw new HealthCheckFailedException("the previous check of " + node + " has not returned for " + ms
          + " ms (node hung, or its pool cannot hand out a connection); timeout " + timeout.toMillis() + " ms");
    }
    stats.probeTimeoutNanos = timeout.toNanos();
    stats.probeStartedAt = System.nanoTime();
  }

  /**
   * Ends a check of a node: the next one may start. A failed check leaves its phase, so that the
   * state change its timeout causes can say where it was stuck.
   */
  private static void end(NodeStats stats) {
    stats.probing.set(false);
  }

  private HealthCheckFailedException failed(String node, Throwable e) {
    String why = SqlErrors.isTimeout(e)
        ? "timed out after " + settings.healthCheckTimeout.toMillis() + " ms: " + SqlErrors.describe(e)
        : "unreachable: " + SqlErrors.describe(e);
    return new HealthCheckFailedException(why, e);
  }

  /** The primary's check: reachable, and still the primary; learns its position and the dialect. */
  final class PrimaryCheck implements HealthCheck<DataSource> {
    @Override
    public void check(Endpoint<DataSource> endpoint) throws Exception {
      NodeStats stats = primaryStats;
      begin(stats, endpoint.id(), settings.healthCheckTimeout);
      RoutingSnapshot.Role observed;
      try (Connection c = open(endpoint.address(), stats)) {
        learnDefaults(c);
        Dialect d = dialectFor(c);
        if (d == null) {
          if (!c.isValid(timeoutSeconds())) {
            throw new HealthCheckFailedException("connection is not valid");
          }
          observed = RoutingSnapshot.Role.PRIMARY;
        } else {
          observed = d.isReplica(c) ? RoutingSnapshot.Role.REPLICA : RoutingSnapshot.Role.PRIMARY;
          if (observed == RoutingSnapshot.Role.PRIMARY) {
            String position = d.currentPosition(c);
            stats.position = position;
            if (position != null) {
              primaryPositions.add(position, System.nanoTime(), d);
            }
          }
          PoolDefaults.endQueryTransaction(c);
        }
        stats.probePhase = null;
      } catch (SQLException | RuntimeException e) {
        stats.role = RoutingSnapshot.Role.UNKNOWN;
        stats.checked = true;
        throw failed(endpoint.id(), e);
      } finally {
        end(stats);
      }
      RoutingSnapshot.Role previous = stats.role;
      boolean first = !stats.checked;
      stats.role = observed;
      stats.checked = true;
      if (observed != previous) {
        if (observed == RoutingSnapshot.Role.REPLICA) {
          stats.reason = "reports that it is a replica (in recovery): writes are refused";
          logger.warn("{} - Primary {} reports that it is a replica (in recovery): writes are refused",
              settings.name, endpoint.id());
          events.accept(new RoutingEvent.RoleChanged(endpoint.id(), RoutingSnapshot.Role.PRIMARY, observed));
        } else if (previous == RoutingSnapshot.Role.REPLICA) {
          stats.reason = null;
          logger.info("{} - Primary {} is the primary again", settings.name, endpoint.id());
          events.accept(new RoutingEvent.RoleChanged(endpoint.id(), RoutingSnapshot.Role.PRIMARY, observed));
        } else if (!first) {
          logger.info("{} - Primary {} is reachable again", settings.name, endpoint.id());
        }
      }
    }
  }

  /** A replica's check: reachable, a replica, and not lagging; learns its lag and position. */
  final class ReplicaCheck implements HealthCheck<DataSource> {
    @Override
    public void check(Endpoint<DataSource> endpoint) throws Exception {
      NodeStats stats = replicaStats.get(endpoint.id());
      if (stats == null) {
        return; // removed meanwhile
      }
      // The reason a replica is out is set from the pool's state change alone (RoutingDataSource),
      // so that a check interrupted after its timeout cannot overwrite why it went out.
      begin(stats, endpoint.id(), settings.healthCheckTimeout);
      WriteTargets t = targets;
      java.util.concurrent.ScheduledFuture<?> overdue = t == null ? null : whenOverdue(endpoint.id(), stats, t);
      try (Connection c = open(endpoint.address(), stats)) {
        if (t == null) {
          checkReplica(endpoint.id(), stats, c);
        } else {
          checkNode(endpoint.id(), stats, c, t);
        }
        stats.probePhase = null;
        stats.lastCheckFailure = null;
      } catch (SQLException | RuntimeException e) {
        if (t != null) {
          stats.nodeRole = null; // unreachable: takes no writes until a probe answers again
          stats.role = RoutingSnapshot.Role.UNKNOWN;
        } else {
          stats.role = stats.role == RoutingSnapshot.Role.PRIMARY ? stats.role : RoutingSnapshot.Role.UNKNOWN;
        }
        HealthCheckFailedException f = failed(endpoint.id(), e);
        stats.lastCheckFailure = f.getMessage();
        throw f;
      } catch (HealthCheckFailedException e) {
        stats.lastCheckFailure = e.getMessage();
        throw e;
      } finally {
        stats.checked = true;
        end(stats);
        if (overdue != null) {
          overdue.cancel(false);
        }
        if (t != null) {
          t.update();
        }
      }
    }
  }

  /**
   * Takes a node without a fixed role for unreachable when its check has not answered within
   * {@code healthCheckTimeout}: its pool may wait longer for a connection (HikariCP's
   * {@code connectionTimeout}), and a dead or hung write target must stop taking writes as soon as the
   * check timeout says so. The check, when it ends, records what it found after all.
   */
  private java.util.concurrent.ScheduledFuture<?> whenOverdue(String id, NodeStats stats, WriteTargets t) {
    long startedAt = stats.probeStartedAt;
    return timer.schedule(() -> {
      if (stats.probing.get() && stats.probeStartedAt == startedAt) {
        String phase = stats.probePhase;
        stats.lastCheckFailure = "no answer within " + timeoutMillis + " ms" + (phase == null ? "" : " while " + phase);
        stats.nodeRole = null;
        stats.role = RoutingSnapshot.Role.UNKNOWN;
        executor.execute(t::update); // not on the timer: a PrimaryResolver may do I/O
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * The check of a node without a fixed role: probes its role; a writable node learns its position
   * and fails the check as a replica (it takes no reads); a read-only one is checked as a replica.
   */
  private void checkNode(String id, NodeStats stats, Connection c, WriteTargets t)
      throws SQLException, HealthCheckFailedException {
    Dialect d = dialectFor(c);
    if (d == null) {
      stats.nodeRole = null;
      throw new HealthCheckFailedException("no dialect for this database: node roles cannot be probed; give one with"
          + " RoutingDataSourceBuilder.dialect()");
    }
    try {
      NodeRole role = d.probeRole(c);
      RoutingSnapshot.Role previous = stats.role;
      RoutingSnapshot.Role observed = role.isWritable() ? RoutingSnapshot.Role.PRIMARY : RoutingSnapshot.Role.REPLICA;
      if (role.isWritable()) {
        learnDefaults(c);
        String position = d.currentPosition(c);
        stats.position = position;
        if (position != null && (t.isTarget(id) || t.current().node() == null)) {
          primaryPositions.add(position, System.nanoTime(), d);
        }
      }
      stats.nodeRole = role;
      stats.role = observed;
      if (previous != observed && previous != RoutingSnapshot.Role.UNKNOWN) {
        logger.info("{} - Node {} is {} now (was {})", settings.name, id,
            role.isWritable() ? "writable (" + role + ")" : "read-only", previous);
        events.accept(new RoutingEvent.RoleChanged(id, previous, observed));
      }
      if (role.isWritable()) {
        throw new HealthCheckFailedException("writable (" + role + "): a writable node takes no reads");
      }
      checkLag(id, stats, c, d);
    } finally {
      endTransactionQuietly(c);
    }
  }

  private void checkReplica(String id, NodeStats stats, Connection c) throws SQLException, HealthCheckFailedException {
    Dialect d = dialectFor(c);
    if (d == null) {
      if (!c.isValid(timeoutSeconds())) {
        throw new HealthCheckFailedException("connection is not valid");
      }
      stats.role = RoutingSnapshot.Role.REPLICA;
      return;
    }
    try {
      boolean replica = d.isReplica(c);
      RoutingSnapshot.Role role = replica ? RoutingSnapshot.Role.REPLICA : RoutingSnapshot.Role.PRIMARY;
      if (role != stats.role) {
        RoutingSnapshot.Role previous = stats.role;
        stats.role = role;
        if (!replica) {
          logger.warn("{} - Replica {} is no longer a replica (promoted?): it takes no more reads", settings.name, id);
        }
        if (!replica || previous == RoutingSnapshot.Role.PRIMARY) {
          events.accept(new RoutingEvent.RoleChanged(id, RoutingSnapshot.Role.REPLICA, role));
        }
      }
      if (!replica) {
        throw new HealthCheckFailedException("'" + id + "' is not a replica (promoted to primary?)");
      }
      checkLag(id, stats, c, d);
    } finally {
      endTransactionQuietly(c); // never in place of the check's own failure (a timed-out connection is closed)
    }
  }

  /** A read-only node's lag check: learns its replayed position and lag; fails it when it lags too far. */
  private void checkLag(String id, NodeStats stats, Connection c, Dialect d)
      throws SQLException, HealthCheckFailedException {
    {
      if (!settings.lagCheck()) {
        // No replication status: only the replayed position, a variable any user may read.
        String replayed = d.replayedPosition(c);
        if (replayed != null) {
          stats.position = replayed;
        }
        return;
      }
      // The primary's position as of its last check (at most one interval old), so that a slow or
      // dead primary never stalls replica checks; unknown while it is unreachable, and then a replica
      // is judged by what it has received.
      String primaryPosition = primaryPosition();
      Dialect.ReplicaStatus status;
      String limitation = this.limitation;
      if (limitation != null) {
        // The user may not read replication status (seen once, warned once): ask only for the position.
        String replayed = d.replayedPosition(c);
        boolean caughtUp = replayed != null && primaryPosition != null && d.covers(replayed, primaryPosition);
        status = new Dialect.ReplicaStatus(replayed, caughtUp ? Duration.ZERO : null, limitation);
      } else {
        status = d.replicaStatus(c, primaryPosition);
        if (status.limitation() != null) {
          this.limitation = status.limitation();
          warnOnce("limitation", "{} - {}", status.limitation());
        }
      }
      if (status.replayed() != null) {
        stats.position = status.replayed();
      }
      Duration lag = status.lag();
      if (lag == null && status.limitation() != null) {
        if (status.replayed() == null) {
          stats.lag = null;
          throw new HealthCheckFailedException("replication lag unknown: no applied position readable, and "
              + status.limitation());
        }
        lag = primaryPositions.lagOf(status.replayed(), d, System.nanoTime());
      }
      stats.lag = lag;
      if (lag == null) {
        throw new HealthCheckFailedException("replication lag unknown (replication stopped?)");
      }
      if (lag.compareTo(settings.maxReplicationLag) > 0) {
        throw new HealthCheckFailedException("replication lag " + lag.toMillis()
            + " ms exceeds maxReplicationLag " + settings.maxReplicationLag.toMillis() + " ms");
      }
    }
  }

  private static void endTransactionQuietly(Connection c) {
    try {
      PoolDefaults.endQueryTransaction(c);
    } catch (SQLException | RuntimeException e) {
      // The connection is broken; its pool drops it. The check's result stands.
    }
  }

  private int timeoutSeconds() {
    return Math.max(1, (timeoutMillis + 999) / 1000);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    executor.shutdownNow();
  }

  /**
   * The primary's recent positions and when each was seen, to estimate a replica's lag when the
   * dialect cannot measure it (a MySQL-family user without the grant to read replica status): a
   * replica that has replayed the position seen at t(k) but not the one seen at t(k+1) is behind by at
   * least {@code now - t(k+1)}. Accurate to one check interval. Thread-safe.
   */
  static final class PositionHistory {
    private final String[] positions;
    private final long[] seenAt;
    private int size;
    private int next;

    PositionHistory(int capacity) {
      positions = new String[capacity];
      seenAt = new long[capacity];
    }

    synchronized void add(String position, long nanos, Dialect d) {
      if (size > 0) {
        int last = (next - 1 + positions.length) % positions.length;
        if (d.covers(positions[last], position)) {
          return; // unchanged: keep when it was first seen
        }
      }
      positions[next] = position;
      seenAt[next] = nanos;
      next = (next + 1) % positions.length;
      size = Math.min(size + 1, positions.length);
    }

    /**
     * Returns the estimated lag of a replica that replayed {@code replayed}: zero when it has replayed
     * the newest position seen, or while no position of the primary is known yet (nothing says it is
     * behind, as for a replica that applied all it received while the primary is unreachable).
     */
    synchronized Duration lagOf(String replayed, Dialect d, long now) {
      if (size == 0) {
        return Duration.ZERO;
      }
      long firstMissed = -1;
      for (int i = 0; i < size; i++) {
        int at = (next - 1 - i + 2 * positions.length) % positions.length;
        if (d.covers(replayed, positions[at])) {
          break;
        }
        firstMissed = seenAt[at];
      }
      return firstMissed < 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - firstMissed));
    }
  }
}
