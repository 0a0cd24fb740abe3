package io.rota.jdbc;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.EndpointSnapshot;
import io.rota.core.EndpointState;
import io.rota.core.Lease;
import io.rota.core.PoolSnapshot;
import io.rota.jdbc.internal.SqlErrors;
import io.rota.jdbc.spi.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Takes physical connections for routing connections: read-only work from a replica picked by weight
 * (skipping replicas that refuse, and, with causal read-your-writes, those that have not replayed the
 * context's last write), else from the primary; read-write work from the primary, unless it is down
 * or reports that it is a replica. Reports every replica connection's outcome to the replica pool.
 *
 * <p>Thread-safe.
 */
final class Router {

  private final Settings settings;
  private final EndpointPool<DataSource> replicas;
  private final HealthChecks health;
  private final ReadYourWritesTracker readYourWrites;
  final LongAdder fallbacks = new LongAdder();
  final LongAdder rywOnPrimary = new LongAdder();
  /** With nodes without fixed roles: which one takes writes; else {@code null}. */
  private final @Nullable WriteTargets targets;
  /** With nodes without fixed roles: every node's data source by id. */
  private final Map<String, DataSource> nodes;
  /** Probes a node at once (its connection failed while it took writes). */
  private final Consumer<String> probeNow;
  private final long awaitDecisionNanos;

  Router(Settings settings, EndpointPool<DataSource> replicas, HealthChecks health,
      ReadYourWritesTracker readYourWrites) {
    this(settings, replicas, health, readYourWrites, null, Map.of(), id -> { });
  }

  Router(Settings settings, EndpointPool<DataSource> replicas, HealthChecks health,
      ReadYourWritesTracker readYourWrites, @Nullable WriteTargets targets, Map<String, DataSource> nodes,
      Consumer<String> probeNow) {
    this.settings = settings;
    this.replicas = replicas;
    this.health = health;
    this.readYourWrites = readYourWrites;
    this.targets = targets;
    this.nodes = nodes;
    this.probeNow = probeNow;
    this.awaitDecisionNanos = settings.healthCheckInterval.plus(settings.healthCheckTimeout.multipliedBy(2)).toNanos();
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
    Object required = readYourWrites.requirement();
    if (required == ReadYourWritesTracker.PRIMARY) {
      rywOnPrimary.increment();
      return null;
    }
    String position = (String) required;
    // The replicas tried so far: the first in a variable of its own, so that the usual read (its
    // first pick answers) allocates no list; any further ones in the list.
    String triedFirst = null;
    List<String> tried = null;
    SQLException lastFailure = null;
    // Weighted picks first; once they only return replicas already tried, every other available
    // replica in turn, so that a heavy replica refusing connections never hides a light one.
    int picks = 2 * health.replicaStats.size() + 1; // not replicas.endpoints(): that locks and copies
    List<Endpoint<DataSource>> rest = null;
    while (true) {
      Endpoint<DataSource> r;
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
      String id = r.id();
      if (exclude.contains(id) || id.equals(triedFirst) || tried != null && tried.contains(id)) {
        continue;
      }
      if (triedFirst == null) {
        triedFirst = id;
      } else {
        if (tried == null) {
          tried = new ArrayList<>(2);
        }
        tried.add(id);
      }
      NodeStats stats = health.replicaStats.get(id);
      Lease<DataSource> lease = replicas.acquire(r);
      Connection c;
      try {
        c = open(r.address(), user, password);
      } catch (SQLException e) {
        if (SqlErrors.isNodeFault(e)) {
          lease.failure(e);
          if (stats != null) {
            stats.failures.increment();
          }
        } else {
          lease.release();
        }
        lastFailure = e;
        continue;
      } catch (RuntimeException e) {
        lease.release(); // the replica's pool threw: a bug there, not the node's health
        throw e;
      }
      if (position != null && !hasReplayed(stats, c, position)) {
        closeQuietly(c);
        lease.success();
        continue;
      }
      if (stats != null) {
        stats.reads.increment();
      }
      return binding(c, id, lease);
    }
    if (position != null && lastFailure == null) {
      rywOnPrimary.increment();
      return null;
    }
    if (!settings.fallbackToPrimary) {
      SQLException e = new SQLException("No replica of '" + settings.name + "' can serve read-only work and"
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

  private boolean hasReplayed(@Nullable NodeStats stats, Connection c, String required) {
    Dialect d = health.dialect();
    if (d == null || stats == null) {
      return false;
    }
    String known = stats.position;
    if (known != null && d.covers(known, required)) {
      return true;
    }
    try {
      String replayed = d.replayedPosition(c);
      PoolDefaults.endQueryTransaction(c); // before the work begins
      if (replayed != null) {
        stats.position = replayed;
      }
      return replayed != null && d.covers(replayed, required);
    } catch (SQLException e) {
      return false;
    }
  }

  private Binding acquirePrimary(boolean readOnly, @Nullable String user, @Nullable String password)
      throws SQLException {
    WriteTargets t = targets;
    if (t != null) {
      return acquireTarget(t, readOnly, user, password);
    }
    NodeStats stats = health.primaryStats;
    if (!readOnly && stats.role == RoutingSnapshot.Role.REPLICA) {
      throw new SQLException("Primary '" + settings.primaryId + "' of '" + settings.name + "' reports that it is a"
          + " replica (in recovery) and cannot take writes; refusing to route writes to it", "25006");
    }
    if (stats.down) {
      String reason = stats.reason;
      throw new SQLException("Primary '" + settings.primaryId + "' of '" + settings.name + "' is down"
          + (reason == null ? "" : " (" + reason + ")") + (readOnly ? "; no replica could serve the read either" : "")
          + "; work is refused until it passes " + settings.rise + " health check(s)", "08001");
    }
    try {
      Connection c = open(settings.primary, user, password);
      (readOnly ? stats.reads : stats.writes).increment();
      return binding(c, settings.primaryId, null);
    } catch (SQLException e) {
      stats.failures.increment();
      throw new SQLException("Primary '" + settings.primaryId + "' of '" + settings.name + "' is unavailable: "
          + e.getMessage(), e.getSQLState() != null ? e.getSQLState() : "08001", e.getErrorCode(), e);
    }
  }

  /** Nodes without fixed roles: a connection to the one writable node chosen, or a refusal at once. */
  private Binding acquireTarget(WriteTargets t, boolean readOnly, @Nullable String user, @Nullable String password)
      throws SQLException {
    WriteTargets.Choice choice = t.current();
    if (!choice.decided()) {
      choice = awaitDecision(t); // only right after start, before every node's first probe
    }
    String id = choice.node();
    DataSource ds = id == null ? null : nodes.get(id);
    if (id == null || ds == null) {
      String refusal = choice.refusal() != null ? choice.refusal()
          : "No node of '" + settings.name + "' has been found writable yet";
      throw new SQLException(refusal + (readOnly ? "; no replica could serve the read either" : ""), "08001");
    }
    NodeStats stats = health.replicaStats.get(id);
    try {
      Connection c = open(ds, user, password);
      (readOnly ? health.primaryStats.reads : health.primaryStats.writes).increment();
      if (stats != null) {
        (readOnly ? stats.reads : stats.writes).increment();
      }
      return binding(c, id, null);
    } catch (SQLException e) {
      health.primaryStats.failures.increment();
      if (stats != null) {
        stats.failures.increment();
      }
      if (SqlErrors.isNodeFault(e)) {
        probeNow.accept(id);
      }
      throw new SQLException("Primary '" + id + "' of '" + settings.name + "' is unavailable: "
          + e.getMessage(), e.getSQLState() != null ? e.getSQLState() : "08001", e.getErrorCode(), e);
    }
  }

  private WriteTargets.Choice awaitDecision(WriteTargets t) {
    long deadline = System.nanoTime() + awaitDecisionNanos;
    WriteTargets.Choice choice = t.current();
    while (!choice.decided() && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      choice = t.current();
    }
    return choice;
  }

  private Binding binding(Connection c, String id, @Nullable Lease<DataSource> lease) throws SQLException {
    boolean autoCommit;
    try {
      autoCommit = c.getAutoCommit();
      if (health.defaults() == null) {
        health.learnDefaults(c);
      }
    } catch (SQLException | RuntimeException e) {
      Binding b = new Binding(c, id, lease, true);
      release(b, e);
      throw e;
    }
    return new Binding(c, id, lease, autoCommit);
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

  /**
   * Reports the outcome of a binding: a connection failure counts against its node; anything else
   * (success, a statement error, a timeout) does not.
   */
  void report(Binding b, @Nullable Throwable failure) {
    boolean nodeFault = failure != null && SqlErrors.isConnectionError(failure);
    Lease<DataSource> lease = b.lease;
    if (lease == null) {
      if (nodeFault) {
        health.primaryStats.failures.increment();
        if (targets != null) {
          NodeStats stats = health.replicaStats.get(b.nodeId);
          if (stats != null) {
            stats.failures.increment();
          }
          probeNow.accept(b.nodeId);
        }
      }
      return;
    }
    if (nodeFault) {
      lease.failure(failure);
      NodeStats stats = health.replicaStats.get(b.nodeId);
      if (stats != null) {
        stats.failures.increment();
      }
    } else if (failure != null) {
      lease.release();
    } else {
      lease.success();
    }
  }

  /** Whether the replica is out of the pool's rotation now (down or ejected by its checks or breaker). */
  boolean isDown(Binding b) {
    if (b.replica == null) {
      WriteTargets t = targets;
      return t == null ? health.primaryStats.down : !t.isTarget(b.nodeId);
    }
    EndpointSnapshot s = replicas.snapshot().endpoint(b.nodeId);
    return s == null || s.state() == EndpointState.DOWN || s.state() == EndpointState.EJECTED;
  }

  /** Records a committed write of the current context (read-your-writes), after its commit returned. */
  void recordCommit(Connection primaryConnection) {
    if (!readYourWrites.enabled()) {
      return;
    }
    if (!readYourWrites.causal()) {
      readYourWrites.recordCommit(null, null);
      return;
    }
    Dialect d = health.dialectFor(primaryConnection);
    String position = null;
    if (d != null) {
      try {
        position = d.currentPosition(primaryConnection);
        PoolDefaults.endQueryTransaction(primaryConnection);
      } catch (SQLException e) {
        position = null; // unknown: the context stays on the primary for the window
      }
    }
    readYourWrites.recordCommit(position, d);
  }

  String describeReplicas() {
    StringBuilder sb = new StringBuilder();
    for (EndpointSnapshot e : replicas.snapshot().endpoints()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.id()).append(" (").append(e.state());
      NodeStats stats = health.replicaStats.get(e.id());
      String reason = stats == null || e.state() != EndpointState.DOWN && e.state() != EndpointState.EJECTED ? null
          : stats.reasonOut(e.state());
      if (reason != null) {
        sb.append(": ").append(reason);
      }
      sb.append(')');
    }
    return sb.toString();
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException ignored) {
      // Nothing more to do with it.
    }
  }
}
