package io.rota.jdbc;

import static java.util.Objects.requireNonNull;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPoolConfig;
import io.rota.jdbc.spi.Dialect;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RoutingDataSource}. Not thread-safe; {@link #build()} copies what it was given.
 */
public final class RoutingDataSourceBuilder {

  /** Default {@link #maxReplicationLag(Duration)}: {@value} seconds. */
  public static final int DEFAULT_MAX_REPLICATION_LAG_SECONDS = 10;
  /** Default {@link #healthCheckInterval(Duration)}: {@value} milliseconds. */
  public static final int DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS = 1000;

  String name = "rota";
  String primaryId = "primary";
  @Nullable DataSource primary;
  final Map<String, DataSource> replicas = new LinkedHashMap<>();
  final Map<String, Integer> weights = new LinkedHashMap<>();
  boolean fallbackToPrimary = true;
  @Nullable Duration maxReplicationLag = Duration.ofSeconds(DEFAULT_MAX_REPLICATION_LAG_SECONDS);
  ReadYourWrites readYourWrites = ReadYourWrites.off();
  @Nullable Duration replicaNetworkTimeout;
  final java.util.List<java.util.function.Consumer<? super RoutingEvent>> listeners = new java.util.ArrayList<>();
  @Nullable Dialect dialect;
  EndpointPoolConfig poolConfig = EndpointPoolConfig.custom()
      .healthCheckInterval(Duration.ofMillis(DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS))
      .healthCheckTimeout(Duration.ofSeconds(2))
      .rise(2)
      .fall(1)
      .consecutiveFailures(3)
      .ejectionTime(Duration.ofSeconds(5))
      .maxEjectionTime(Duration.ofSeconds(60))
      .build();
  private @Nullable Duration healthCheckInterval;

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
   */
  public RoutingDataSourceBuilder primary(String id, DataSource primary) {
    requireNonNull(id, "id");
    requireNonNull(primary, "primary");
    if (id.isBlank()) {
      throw new IllegalArgumentException("primary id: '" + id + "' (expected: a non-blank string)");
    }
    this.primaryId = id;
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
   */
  public RoutingDataSourceBuilder replica(String id, DataSource replica, int weight) {
    requireNonNull(id, "id");
    requireNonNull(replica, "replica");
    if (id.isBlank()) {
      throw new IllegalArgumentException("replica id: '" + id + "' (expected: a non-blank string)");
    }
    if (replicas.containsKey(id)) {
      throw new IllegalArgumentException("replica id: '" + id + "' (expected: unique; it is already used)");
    }
    if (weight < 0 || weight > Endpoint.MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "weight of replica '" + id + "': " + weight + " (expected: 0.." + Endpoint.MAX_WEIGHT + ")");
    }
    replicas.put(id, replica);
    weights.put(id, weight);
    return this;
  }

  /**
   * Sets whether read-only work goes to the primary when no replica is usable; default {@code true}.
   * When {@code false}, such work fails with an {@link java.sql.SQLException} (SQLState 08001) that
   * lists the replicas and their states.
   */
  public RoutingDataSourceBuilder fallbackToPrimary(boolean fallback) {
    this.fallbackToPrimary = fallback;
    return this;
  }

  /**
   * Sets the replication lag past which a replica takes no reads until it catches up; default
   * {@value #DEFAULT_MAX_REPLICATION_LAG_SECONDS} seconds. {@code null} turns the lag check off.
   *
   * @throws IllegalArgumentException if {@code lag} is not positive
   */
  public RoutingDataSourceBuilder maxReplicationLag(@Nullable Duration lag) {
    if (lag != null && (lag.isZero() || lag.isNegative())) {
      throw new IllegalArgumentException("maxReplicationLag: " + lag + " (expected: > 0, or null for no lag check)");
    }
    this.maxReplicationLag = lag;
    return this;
  }

  /**
   * Sets a network timeout for replica connections (JDBC {@code setNetworkTimeout}) where the
   * connection has none of its own; default none. With it, a read on a replica that hangs (a frozen
   * server, a dead network path) fails after this time instead of waiting for TCP, and in auto-commit
   * mode is re-run on another node. Set it above the slowest read you expect.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public RoutingDataSourceBuilder replicaNetworkTimeout(@Nullable Duration timeout) {
    if (timeout != null && (timeout.isZero() || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException("replicaNetworkTimeout: " + timeout
          + " (expected: 1 ms.." + Integer.MAX_VALUE + " ms, or null for none)");
    }
    this.replicaNetworkTimeout = timeout;
    return this;
  }

  /** Sets the read-your-writes mode; default {@link ReadYourWrites#off()}. */
  public RoutingDataSourceBuilder readYourWrites(ReadYourWrites mode) {
    this.readYourWrites = requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Sets how often each node's role, reachability and lag are checked; default
   * {@value #DEFAULT_HEALTH_CHECK_INTERVAL_MILLIS} ms. Overrides the interval of
   * {@link #replicaPoolConfig}.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public RoutingDataSourceBuilder healthCheckInterval(Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("healthCheckInterval: " + interval + " (expected: > 0)");
    }
    this.healthCheckInterval = interval;
    return this;
  }

  /** Same as {@link #healthCheckInterval(Duration)} in milliseconds. */
  public RoutingDataSourceBuilder healthCheckIntervalMillis(long millis) {
    return healthCheckInterval(Duration.ofMillis(millis));
  }

  /**
   * Sets the dialect; default detected from the primary's JDBC metadata (PostgreSQL, MariaDB, MySQL).
   */
  public RoutingDataSourceBuilder dialect(Dialect dialect) {
    this.dialect = requireNonNull(dialect, "dialect");
    return this;
  }

  /**
   * Sets the replica pool's health settings (ejection, active checks, slow start). The default checks
   * every second, takes a replica out at the first failed check and back after two passed ones, and
   * ejects it after 3 failed connections in a row for 5 s (growing to 60 s when it repeats).
   */
  public RoutingDataSourceBuilder replicaPoolConfig(EndpointPoolConfig config) {
    this.poolConfig = requireNonNull(config, "config");
    return this;
  }

  /**
   * Registers a listener before the data source starts, so that it also receives the events of the
   * first checks (one added with {@link RoutingDataSource#addListener} after {@code build()} may miss
   * those: a primary found in recovery, a replica found promoted).
   */
  public RoutingDataSourceBuilder listener(java.util.function.Consumer<? super RoutingEvent> listener) {
    listeners.add(requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Returns the routing data source; its health checks start at once.
   *
   * @throws IllegalStateException if no primary or no replica was given
   */
  public RoutingDataSource build() {
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
    RoutingDataSourceBuilder copy = new RoutingDataSourceBuilder();
    copy.name = name;
    copy.primaryId = primaryId;
    copy.primary = primary;
    copy.replicas.putAll(replicas);
    copy.weights.putAll(weights);
    copy.fallbackToPrimary = fallbackToPrimary;
    copy.maxReplicationLag = maxReplicationLag;
    copy.readYourWrites = readYourWrites;
    copy.replicaNetworkTimeout = replicaNetworkTimeout;
    copy.listeners.addAll(listeners);
    copy.dialect = dialect;
    copy.poolConfig = healthCheckInterval == null ? poolConfig
        : EndpointPoolConfig.from(poolConfig).healthCheckInterval(healthCheckInterval).build();
    return new RoutingDataSource(copy);
  }
}
