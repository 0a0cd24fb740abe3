package io.rota.jdbc;

import static java.util.Objects.requireNonNull;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPoolConfig;
import io.rota.jdbc.spi.Dialect;
import io.rota.jdbc.spi.PrimaryResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RoutingDataSource}. Defaults, all overridable:
 * <ul>
 *   <li>health checks every {@value #DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS} ms, each bounded by
 *       {@value #DEFAULT_HEALTH_CHECK_TIMEOUT_MILLIS} ms of I/O; a node is down after
 *       {@value #DEFAULT_FALL} failed check, back after {@value #DEFAULT_RISE} passed ones;
 *   <li>replicas lagging more than {@value #DEFAULT_MAX_REPLICATION_LAG_SECONDS} s take no reads
 *       ({@link #noLagCheck()} turns the check off);
 *   <li>read-only work falls back to the primary when no replica can serve it;
 *   <li>network timeout of connections routed to replicas {@value #DEFAULT_REPLICA_NETWORK_TIMEOUT_SECONDS} s,
 *       to the primary {@value #DEFAULT_PRIMARY_NETWORK_TIMEOUT_SECONDS} s (where the application
 *       set none itself);
 *   <li>a failed read is re-run elsewhere at most {@value #DEFAULT_MAX_RERUNS} time (see
 *       {@link #maxReruns(int)});
 *   <li>read-your-writes off; dialect detected from the primary's metadata.
 * </ul>
 *
 * <p>Not thread-safe; {@link #build()} copies what it was given.
 */
public final class RoutingDataSourceBuilder {

  /** Default {@link #maxReplicationLag(Duration)}: {@value} seconds. */
  public static final int DEFAULT_MAX_REPLICATION_LAG_SECONDS = 10;
  /** Default {@link #healthCheckInterval(Duration)}: {@value} milliseconds. */
  public static final int DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS = 1000;
  /** Default {@link #healthCheckTimeout(Duration)}: {@value} milliseconds. */
  public static final int DEFAULT_HEALTH_CHECK_TIMEOUT_MILLIS = 2000;
  /** Default {@link #rise(int)}: {@value}. */
  public static final int DEFAULT_RISE = 2;
  /** Default {@link #fall(int)}: {@value}. */
  public static final int DEFAULT_FALL = 1;
  /** Default {@link #replicaNetworkTimeout(Duration)}: {@value} seconds. */
  public static final int DEFAULT_REPLICA_NETWORK_TIMEOUT_SECONDS = 10;
  /** Default {@link #primaryNetworkTimeout(Duration)}: {@value} seconds. */
  public static final int DEFAULT_PRIMARY_NETWORK_TIMEOUT_SECONDS = 30;
  /** Default {@link #maxReruns(int)}: {@value}. */
  public static final int DEFAULT_MAX_RERUNS = 1;

  String name = "rota";
  String primaryId = "primary";
  @Nullable DataSource primary;
  final Map<String, DataSource> replicas = new LinkedHashMap<>();
  final Map<String, Integer> weights = new LinkedHashMap<>();
  boolean fallbackToPrimary = true;
  Duration maxReplicationLag = Duration.ofSeconds(DEFAULT_MAX_REPLICATION_LAG_SECONDS);
  ReadYourWrites readYourWrites = ReadYourWrites.off();
  Duration replicaNetworkTimeout = Duration.ofSeconds(DEFAULT_REPLICA_NETWORK_TIMEOUT_SECONDS);
  Duration primaryNetworkTimeout = Duration.ofSeconds(DEFAULT_PRIMARY_NETWORK_TIMEOUT_SECONDS);
  Duration healthCheckInterval = Duration.ofMillis(DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS);
  Duration healthCheckTimeout = Duration.ofMillis(DEFAULT_HEALTH_CHECK_TIMEOUT_MILLIS);
  int rise = DEFAULT_RISE;
  int fall = DEFAULT_FALL;
  int maxReruns = DEFAULT_MAX_RERUNS;
  /** Spread of the check times, in percent of the interval; tests set 0 for checks at known times. */
  int healthCheckJitterPercent = 10;
  final List<Consumer<? super RoutingEvent>> listeners = new ArrayList<>();
  @Nullable Dialect dialect;
  /** Whether {@link #node} was used ({@code TRUE}), or {@link #primary}/{@link #replica} ({@code FALSE}). */
  @Nullable Boolean nodeStyle;
  @Nullable Failover failover;
  @Nullable PrimaryResolver primaryResolver;
  /** The clock of the times in failover messages; tests set a fixed one. */
  Clock clock = Clock.systemUTC();
  EndpointPoolConfig breakerConfig = EndpointPoolConfig.custom()
      .consecutiveFailures(3)
      .ejectionTime(Duration.ofSeconds(5))
      .maxEjectionTime(Duration.ofSeconds(60))
      .build();

  RoutingDataSourceBuilder() {}

  /**
   * Sets the name used in logs, thread names and errors; default {@code rota}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public RoutingDataSourceBuilder name(String name) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank string)");
    }
    this.name = name;
    return this;
  }

  /** Sets the primary, with id {@code primary}. */
  public RoutingDataSourceBuilder primary(DataSource primary) {
    return primary("primary", primary);
  }

  /**
   * Sets the primary and its id.
   *
   * @throws IllegalArgumentException if {@code id} is blank
   * @throws IllegalStateException if {@link #node} was called on this builder
   */
  public RoutingDataSourceBuilder primary(String id, DataSource primary) {
    requireNonNull(id, "id");
    requireNonNull(primary, "primary");
    style(false, "primary('" + id + "', ...)");
    this.primaryId = checkId("primary id", id);
    this.primary = primary;
    return this;
  }

  /** Adds a replica with weight 1. */
  public RoutingDataSourceBuilder replica(String id, DataSource replica) {
    return replica(id, replica, 1);
  }

  /**
   * Adds a replica; reads spread over replicas in proportion to their weights.
   *
   * @throws IllegalArgumentException if {@code id} is blank or already used, or {@code weight} is
   *     outside {@code 0..}{@value Endpoint#MAX_WEIGHT}
   * @throws IllegalStateException if {@link #node} was called on this builder
   */
  public RoutingDataSourceBuilder replica(String id, DataSource replica, int weight) {
    requireNonNull(id, "id");
    requireNonNull(replica, "replica");
    checkId("replica id", id);
    style(false, "replica('" + id + "', ...)");
    if (replicas.containsKey(id)) {
      throw new IllegalArgumentException("replica id: '" + id + "' (expected: unique; it is already used)");
    }
    checkWeight(id, weight);
    replicas.put(id, replica);
    weights.put(id, weight);
    return this;
  }

  /** Adds a node without a fixed role, with weight 1: see {@link #node(String, DataSource, int)}. */
  public RoutingDataSourceBuilder node(String id, DataSource node) {
    return node(id, node, 1);
  }

  /**
   * Adds a node without a fixed role. Each node's role is probed on every health check (and at once
   * when a connection to the node taking writes fails): the one writable node takes the writes, the
   * read-only ones take reads in proportion to their weights. When the primary is promoted away (a
   * replica promoted by an operator or an HA tool), writes follow the promoted node within one check
   * interval; while no node is writable they fail at once. See {@link #failover(Failover)} for two
   * writable nodes, and the README's "Primary failover" for what is guaranteed. Give either nodes or a
   * {@link #primary} and {@link #replica replicas}, not both.
   *
   * @param weight the node's share of the reads while it is read-only, {@code 0..}{@value Endpoint#MAX_WEIGHT}
   * @throws IllegalArgumentException if {@code id} is blank or already used, or {@code weight} is out
   *     of range
   * @throws IllegalStateException if {@link #primary} or {@link #replica} was called on this builder
   */
  public RoutingDataSourceBuilder node(String id, DataSource node, int weight) {
    requireNonNull(id, "id");
    requireNonNull(node, "node");
    checkId("node id", id);
    style(true, "node('" + id + "', ...)");
    if (replicas.containsKey(id)) {
      throw new IllegalArgumentException("node id: '" + id + "' (expected: unique; it is already used)");
    }
    checkWeight(id, weight);
    replicas.put(id, node);
    weights.put(id, weight);
    return this;
  }

  private void style(boolean nodes, String call) {
    if (nodeStyle != null && nodeStyle != nodes) {
      throw new IllegalStateException(call + ": this builder was given "
          + (nodes ? "a fixed primary(...) or replica(...)" : "nodes without fixed roles with node(...)")
          + " already (expected: either node(...) for every node, whose roles are then probed, or"
          + " primary(...) and replica(...), not both)");
    }
    nodeStyle = nodes;
  }

  /**
   * Sets what happens while more than one node is writable; default {@link Failover#AUTOMATIC}. Only
   * for nodes given with {@link #node}.
   */
  public RoutingDataSourceBuilder failover(Failover mode) {
    this.failover = requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Sets the authority on which node takes writes (a Patroni, etcd or Consul client, or a tie-break of
   * your own); default none: Rota's own rules decide. Only for nodes given with {@link #node}. See
   * {@link PrimaryResolver}.
   */
  public RoutingDataSourceBuilder primaryResolver(PrimaryResolver resolver) {
    this.primaryResolver = requireNonNull(resolver, "resolver");
    return this;
  }

  static String checkId(String what, String id) {
    if (id.isBlank()) {
      throw new IllegalArgumentException(what + ": '" + id + "' (expected: a non-blank string)");
    }
    return id;
  }

  static void checkWeight(String id, int weight) {
    if (weight < 0 || weight > Endpoint.MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "weight of replica '" + id + "': " + weight + " (expected: 0.." + Endpoint.MAX_WEIGHT + ")");
    }
  }

  /**
   * Sets whether read-only work goes to the primary when no replica is usable; default {@code true}.
   * When {@code false}, such work fails with an {@link java.sql.SQLException} (SQLState 08001) that
   * lists the replicas, their states and why.
   */
  public RoutingDataSourceBuilder fallbackToPrimary(boolean fallback) {
    this.fallbackToPrimary = fallback;
    return this;
  }

  /**
   * Sets the replication lag past which a replica takes no reads until it catches up; default
   * {@value #DEFAULT_MAX_REPLICATION_LAG_SECONDS} seconds.
   *
   * @throws IllegalArgumentException if {@code lag} is not positive
   */
  public RoutingDataSourceBuilder maxReplicationLag(Duration lag) {
    requireNonNull(lag, "lag");
    if (lag.isZero() || lag.isNegative()) {
      throw new IllegalArgumentException("maxReplicationLag: " + lag + " (expected: > 0; noLagCheck() turns the check off)");
    }
    this.maxReplicationLag = lag;
    return this;
  }

  /**
   * Turns the lag check off: replicas take reads however far behind they are. Their role is still
   * checked; on MySQL-family servers no replication status is read at all (no grant needed).
   */
  public RoutingDataSourceBuilder noLagCheck() {
    this.maxReplicationLag = Duration.ZERO;
    return this;
  }

  /**
   * Sets the network timeout (JDBC {@code setNetworkTimeout}) of connections routed to replicas, where
   * the application set none on the connection; default {@value #DEFAULT_REPLICA_NETWORK_TIMEOUT_SECONDS}
   * s; {@link Duration#ZERO} for none. A read on a replica that hangs (a frozen server, a dead network
   * path) fails after this time instead of waiting for TCP. Set it above the slowest read you expect.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative or over {@link Integer#MAX_VALUE} ms
   */
  public RoutingDataSourceBuilder replicaNetworkTimeout(Duration timeout) {
    this.replicaNetworkTimeout = checkNetworkTimeout("replicaNetworkTimeout", timeout);
    return this;
  }

  /**
   * Sets the network timeout of connections routed to the primary, where the application set none;
   * default {@value #DEFAULT_PRIMARY_NETWORK_TIMEOUT_SECONDS} s; {@link Duration#ZERO} for none. A
   * statement on a primary that hangs fails after this time with an SQLException naming the primary.
   * Set it above the slowest statement you expect (migrations and batch jobs may need their own
   * {@code setNetworkTimeout}).
   *
   * @throws IllegalArgumentException if {@code timeout} is negative or over {@link Integer#MAX_VALUE} ms
   */
  public RoutingDataSourceBuilder primaryNetworkTimeout(Duration timeout) {
    this.primaryNetworkTimeout = checkNetworkTimeout("primaryNetworkTimeout", timeout);
    return this;
  }

  private static Duration checkNetworkTimeout(String what, Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + ": " + timeout
          + " (expected: 0 (none) .. " + Integer.MAX_VALUE + " ms)");
    }
    return timeout;
  }

  /**
   * Sets how many times a failed read may be re-run on another node; default
   * {@value #DEFAULT_MAX_RERUNS}; 0 never re-runs. Only a query ({@code executeQuery}) of read-only
   * work in auto-commit mode is ever re-run, and only when it failed because its replica's connection
   * failed (or timed out while that replica was found down): see the README's re-run rule.
   *
   * @throws IllegalArgumentException if {@code reruns} is negative or over 10
   */
  public RoutingDataSourceBuilder maxReruns(int reruns) {
    if (reruns < 0 || reruns > 10) {
      throw new IllegalArgumentException("maxReruns: " + reruns + " (expected: 0..10)");
    }
    this.maxReruns = reruns;
    return this;
  }

  /** Sets the read-your-writes mode; default {@link ReadYourWrites#off()}. */
  public RoutingDataSourceBuilder readYourWrites(ReadYourWrites mode) {
    this.readYourWrites = requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Sets how often each node's reachability, role and lag are checked; default
   * {@value #DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS} ms.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public RoutingDataSourceBuilder healthCheckInterval(Duration interval) {
    this.healthCheckInterval = checkPositive("healthCheckInterval", interval);
    return this;
  }

  /** Same as {@link #healthCheckInterval(Duration)} in milliseconds. */
  public RoutingDataSourceBuilder healthCheckIntervalMillis(long millis) {
    return healthCheckInterval(Duration.ofMillis(millis));
  }

  /**
   * Sets the bound of one health check: its connection's network timeout, its queries' timeout, and
   * the time after which a check that has not answered counts as failed; default
   * {@value #DEFAULT_HEALTH_CHECK_TIMEOUT_MILLIS} ms. A check also fails at once while the previous
   * check of the same node is still stuck.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public RoutingDataSourceBuilder healthCheckTimeout(Duration timeout) {
    this.healthCheckTimeout = checkPositive("healthCheckTimeout", timeout);
    return this;
  }

  private static Duration checkPositive(String what, Duration d) {
    requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + ": " + d + " (expected: > 0)");
    }
    return d;
  }

  /**
   * Sets how many checks in a row a down node must pass to take work again; default
   * {@value #DEFAULT_RISE}.
   *
   * @throws IllegalArgumentException if {@code checks} is not positive
   */
  public RoutingDataSourceBuilder rise(int checks) {
    if (checks < 1) {
      throw new IllegalArgumentException("rise: " + checks + " (expected: >= 1)");
    }
    this.rise = checks;
    return this;
  }

  /**
   * Sets how many checks in a row a node must fail to be taken out; default {@value #DEFAULT_FALL}.
   * A primary that is down takes no writes: they fail at once with an SQLException that says why.
   *
   * @throws IllegalArgumentException if {@code checks} is not positive
   */
  public RoutingDataSourceBuilder fall(int checks) {
    if (checks < 1) {
      throw new IllegalArgumentException("fall: " + checks + " (expected: >= 1)");
    }
    this.fall = checks;
    return this;
  }

  /**
   * Sets the dialect; default detected from the primary's JDBC metadata. The built-in ones are
   * {@link Dialects#postgres()}, {@link Dialects#mariadb()} and {@link Dialects#mysql()}.
   */
  public RoutingDataSourceBuilder dialect(Dialect dialect) {
    this.dialect = requireNonNull(dialect, "dialect");
    return this;
  }

  /**
   * Sets the replicas' passive health and traffic settings: circuit breaker (consecutive failures,
   * failure rate, ejection time and back-off, half-open trials), slow start and panic threshold. Its
   * active-check settings (interval, timeout, jitter, rise, fall) are ignored: those are this
   * builder's ({@link #healthCheckInterval}, {@link #healthCheckTimeout}, {@link #rise}, {@link #fall}),
   * the same for the primary and the replicas. Default: ejected after 3 failed connections in a row
   * for 5 s, growing to 60 s when it repeats.
   */
  public RoutingDataSourceBuilder replicaPoolConfig(EndpointPoolConfig config) {
    this.breakerConfig = requireNonNull(config, "config");
    return this;
  }

  /**
   * Registers a listener before the data source starts, so that it also receives the events of the
   * first checks (one added with {@link RoutingDataSource#addListener} after {@code build()} may miss
   * those: a primary found in recovery, a replica found promoted).
   */
  public RoutingDataSourceBuilder listener(Consumer<? super RoutingEvent> listener) {
    listeners.add(requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Returns the routing data source; its health checks start at once.
   *
   * @throws IllegalStateException if no primary or no replica was given, or a replica has the
   *     primary's id; or, with {@link #node}, fewer than two nodes; or {@link #failover} or
   *     {@link #primaryResolver} set without nodes
   */
  public RoutingDataSource build() {
    if (Boolean.TRUE.equals(nodeStyle)) {
      if (replicas.size() < 2) {
        throw new IllegalStateException("nodes: " + replicas.keySet() + " (expected: at least 2; with one node use its"
            + " DataSource directly)");
      }
      return new RoutingDataSource(new Settings(this));
    }
    if (failover != null || primaryResolver != null) {
      throw new IllegalStateException((failover != null ? "failover: " + failover : "primaryResolver")
          + " (expected: only with nodes given by node(...); with a fixed primary(...) writes always go to it)");
    }
    if (primary == null) {
      throw new IllegalStateException("primary: none (expected: a DataSource for the primary)");
    }
    if (replicas.isEmpty()) {
      throw new IllegalStateException("replicas: none (expected: at least one replica; without replicas use the"
          + " primary DataSource directly)");
    }
    if (replicas.containsKey(primaryId)) {
      throw new IllegalStateException("replica id: '" + primaryId + "' (expected: different from the primary id)");
    }
    return new RoutingDataSource(new Settings(this));
  }
}
