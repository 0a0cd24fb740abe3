package io.rota.jdbc;

import io.rota.core.EndpointPoolConfig;
import io.rota.jdbc.spi.Dialect;
import io.rota.jdbc.spi.PrimaryResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The effective configuration of a {@link RoutingDataSource}: what its builder was given, defaults
 * filled in, copied so that a reused builder cannot change it. {@link #toString()} shows every
 * setting and no secret (data sources are named by id only). Immutable.
 */
final class Settings {

  final String name;
  final String primaryId;
  /** The primary; with nodes without fixed roles, the first node (for the DataSource methods that delegate). */
  final DataSource primary;
  /** Whether the nodes have no fixed roles ({@code node(...)}): all are in {@link #replicas}. */
  final boolean nodeMode;
  final Failover failover;
  final @Nullable PrimaryResolver primaryResolver;
  final Clock clock;
  final Map<String, DataSource> replicas;
  final Map<String, Integer> weights;
  final boolean fallbackToPrimary;
  /** {@link Duration#ZERO} when the lag check is off. */
  final Duration maxReplicationLag;
  final ReadYourWrites readYourWrites;
  final int replicaNetworkTimeoutMillis;
  final int primaryNetworkTimeoutMillis;
  final Duration healthCheckInterval;
  final Duration healthCheckTimeout;
  final int rise;
  final int fall;
  final int maxReruns;
  final int jitterPercent;
  final List<Consumer<? super RoutingEvent>> listeners;
  final @Nullable Dialect dialect;
  /** The replicas' pool: the builder's breaker settings, this data source's active-check settings. */
  final EndpointPoolConfig replicaPoolConfig;
  /** The primary's pool: active checks only; its breaker never ejects it (no other node could take writes). */
  final EndpointPoolConfig primaryPoolConfig;

  Settings(RoutingDataSourceBuilder b) {
    this.name = b.name;
    this.primaryId = b.primaryId;
    this.nodeMode = b.primary == null;
    this.primary = nodeMode ? b.replicas.values().iterator().next() : Objects.requireNonNull(b.primary, "primary");
    this.failover = b.failover == null ? Failover.AUTOMATIC : b.failover;
    this.primaryResolver = b.primaryResolver;
    this.clock = b.clock;
    this.replicas = Collections.unmodifiableMap(new LinkedHashMap<>(b.replicas));
    this.weights = Map.copyOf(b.weights);
    this.fallbackToPrimary = b.fallbackToPrimary;
    this.maxReplicationLag = b.maxReplicationLag;
    this.readYourWrites = b.readYourWrites;
    this.replicaNetworkTimeoutMillis = (int) b.replicaNetworkTimeout.toMillis();
    this.primaryNetworkTimeoutMillis = (int) b.primaryNetworkTimeout.toMillis();
    this.healthCheckInterval = b.healthCheckInterval;
    this.healthCheckTimeout = b.healthCheckTimeout;
    this.rise = b.rise;
    this.fall = b.fall;
    this.maxReruns = b.maxReruns;
    this.jitterPercent = b.healthCheckJitterPercent;
    this.listeners = List.copyOf(b.listeners);
    this.dialect = b.dialect;
    this.replicaPoolConfig = withChecks(EndpointPoolConfig.from(b.breakerConfig));
    this.primaryPoolConfig = withChecks(EndpointPoolConfig.custom()
        .consecutiveFailures(Integer.MAX_VALUE)
        .failureRateThreshold(100)
        .slowStart(Duration.ZERO));
  }

  private EndpointPoolConfig withChecks(EndpointPoolConfig.Builder b) {
    // The checks' own I/O is bounded by healthCheckTimeout; the pool's timer is a backstop a little
    // later, so that a check that ends by its own timeout reports its own reason.
    return b.healthCheckInterval(healthCheckInterval)
        .healthCheckTimeout(healthCheckTimeout.plus(healthCheckTimeout.dividedBy(2)))
        .healthCheckJitterPercent(jitterPercent)
        .rise(rise)
        .fall(fall)
        .build();
  }

  boolean lagCheck() {
    return !maxReplicationLag.isZero();
  }

  @Override
  public String toString() {
    return "name=" + name
        + (nodeMode ? ", nodes=" + weights(replicas.keySet()) + ", failover=" + failover
            + (primaryResolver == null ? "" : ", primaryResolver=" + primaryResolver.getClass().getName())
            : ", primary=" + primaryId + ", replicas=" + weights(replicas.keySet()))
        + ", fallbackToPrimary=" + fallbackToPrimary
        + ", maxReplicationLag=" + (lagCheck() ? maxReplicationLag : "off")
        + ", readYourWrites=" + readYourWrites
        + ", primaryNetworkTimeout=" + millis(primaryNetworkTimeoutMillis)
        + ", replicaNetworkTimeout=" + millis(replicaNetworkTimeoutMillis)
        + ", healthCheckInterval=" + healthCheckInterval
        + ", healthCheckTimeout=" + healthCheckTimeout
        + ", rise=" + rise
        + ", fall=" + fall
        + ", maxReruns=" + maxReruns
        + ", dialect=" + (dialect == null ? "detect" : dialect.name())
        + ", replicaBreaker=[consecutiveFailures=" + replicaPoolConfig.consecutiveFailures()
        + ", failureRate=" + replicaPoolConfig.failureRateThreshold() + "%"
        + ", ejection=" + replicaPoolConfig.ejectionTime() + ".." + replicaPoolConfig.maxEjectionTime()
        + ", slowStart=" + replicaPoolConfig.slowStart() + "]";
  }

  private String weights(Iterable<String> ids) {
    StringBuilder sb = new StringBuilder("{");
    for (String id : ids) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(id).append('=').append(weights.get(id));
    }
    return sb.append('}').toString();
  }

  private static String millis(int ms) {
    return ms == 0 ? "none" : Duration.ofMillis(ms).toString();
  }
}
