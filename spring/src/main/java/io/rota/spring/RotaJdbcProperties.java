package io.rota.spring;

import io.rota.spring.internal.Masking;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code rota.jdbc}: the replicas the starter pools and routes reads to, and the
 * routing settings of {@link io.rota.jdbc.RoutingDataSourceBuilder}. A setting left unset keeps the
 * builder's default. {@link #validate()} checks everything at start-up and names the property and what
 * is allowed. Passwords never appear in {@link #toString()}.
 *
 * <p>Not thread-safe: Spring binds it once at start-up; read it only after that.
 */
@ConfigurationProperties("rota.jdbc")
public class RotaJdbcProperties {

  /** Whether the starter wraps the primary DataSource in a RoutingDataSource. */
  private boolean enabled = true;

  /** The replicas, in order; reads spread over them in proportion to their weights. */
  private List<Replica> replicas = new ArrayList<>();

  /** Whether read-only work goes to the primary when no replica is usable. */
  private boolean fallbackToPrimary = true;

  /** Replication lag past which a replica takes no reads until it catches up; unset: the builder's 10 s. */
  private @Nullable Duration maxReplicationLag;

  /** Read-your-writes mode: off, window or causal. */
  private String readYourWrites = "off";

  /** How long a write is remembered in mode {@code window}. */
  private Duration readYourWritesWindow = Duration.ofSeconds(5);

  /** How often each node is checked; unset: the builder's default. */
  private @Nullable Duration healthCheckInterval;

  /** Consecutive good checks before a node takes reads again; unset: the builder's default. */
  private @Nullable Integer rise;

  /** Consecutive failed checks before a node takes no reads; unset: the builder's default. */
  private @Nullable Integer fall;

  /** Creates the settings with their defaults. */
  public RotaJdbcProperties() {}

  /** Whether the starter is on; default {@code true}. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the starter is on. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The replicas (a live list). */
  public List<Replica> getReplicas() {
    return replicas;
  }

  /** Sets the replicas. */
  public void setReplicas(List<Replica> replicas) {
    this.replicas = replicas;
  }

  /** Whether reads fall back to the primary; default {@code true}. */
  public boolean isFallbackToPrimary() {
    return fallbackToPrimary;
  }

  /** Sets whether reads fall back to the primary. */
  public void setFallbackToPrimary(boolean fallbackToPrimary) {
    this.fallbackToPrimary = fallbackToPrimary;
  }

  /** The maximum replication lag, or {@code null} for the builder's default. */
  public @Nullable Duration getMaxReplicationLag() {
    return maxReplicationLag;
  }

  /** Sets the maximum replication lag. */
  public void setMaxReplicationLag(@Nullable Duration maxReplicationLag) {
    this.maxReplicationLag = maxReplicationLag;
  }

  /** The read-your-writes mode as written: {@code off}, {@code window} or {@code causal}. */
  public String getReadYourWrites() {
    return readYourWrites;
  }

  /** Sets the read-your-writes mode. */
  public void setReadYourWrites(String readYourWrites) {
    this.readYourWrites = readYourWrites;
  }

  /** The read-your-writes window of mode {@code window}; default 5 s. */
  public Duration getReadYourWritesWindow() {
    return readYourWritesWindow;
  }

  /** Sets the read-your-writes window. */
  public void setReadYourWritesWindow(Duration readYourWritesWindow) {
    this.readYourWritesWindow = readYourWritesWindow;
  }

  /** The health-check interval, or {@code null} for the builder's default. */
  public @Nullable Duration getHealthCheckInterval() {
    return healthCheckInterval;
  }

  /** Sets the health-check interval. */
  public void setHealthCheckInterval(@Nullable Duration healthCheckInterval) {
    this.healthCheckInterval = healthCheckInterval;
  }

  /** Good checks to rise, or {@code null} for the builder's default. */
  public @Nullable Integer getRise() {
    return rise;
  }

  /** Sets the good checks to rise. */
  public void setRise(@Nullable Integer rise) {
    this.rise = rise;
  }

  /** Failed checks to fall, or {@code null} for the builder's default. */
  public @Nullable Integer getFall() {
    return fall;
  }

  /** Sets the failed checks to fall. */
  public void setFall(@Nullable Integer fall) {
    this.fall = fall;
  }

  /**
   * Checks every setting; the message names the property, the bad value and what is allowed.
   *
   * @throws IllegalArgumentException on the first bad setting
   */
  public void validate() {
    mode();
    positive("rota.jdbc.max-replication-lag", maxReplicationLag);
    positive("rota.jdbc.health-check-interval", healthCheckInterval);
    positive("rota.jdbc.read-your-writes-window", readYourWritesWindow);
    atLeastOne("rota.jdbc.rise", rise);
    atLeastOne("rota.jdbc.fall", fall);
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("rota.jdbc.replicas: none (expected: at least one replica, "
          + "rota.jdbc.replicas[0].url=...; or rota.jdbc.enabled=false)");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < replicas.size(); i++) {
      Replica r = replicas.get(i);
      r.index(i);
      String p = "rota.jdbc.replicas[" + i + "]";
      if (r.url == null || r.url.isBlank()) {
        throw new IllegalArgumentException(p + ".url: '" + r.url + "' (expected: a JDBC URL)");
      }
      String id = r.id();
      if (ids.contains(id)) {
        throw new IllegalArgumentException(p + ".id: '" + id + "' (expected: unique; it is already used)");
      }
      ids.add(id);
      if (r.weight < 0 || r.weight > io.rota.core.Endpoint.MAX_WEIGHT) {
        throw new IllegalArgumentException(
            p + ".weight: " + r.weight + " (expected: 0.." + io.rota.core.Endpoint.MAX_WEIGHT + ")");
      }
      positive(p + ".connection-timeout", r.connectionTimeout);
      if (r.maximumPoolSize < 1) {
        throw new IllegalArgumentException(p + ".maximum-pool-size: " + r.maximumPoolSize + " (expected: >= 1)");
      }
      for (String key : r.hikari.keySet()) {
        String k = key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        if (OWN_SETTINGS.contains(k)) {
          throw new IllegalArgumentException(p + ".hikari." + key + " (expected: not here; use " + p
              + ".url, .username, .password or .id)");
        }
      }
    }
  }

  /** HikariCP settings a replica has its own properties for (normalized names). */
  private static final List<String> OWN_SETTINGS = List.of("jdbcurl", "url", "username", "password", "poolname");

  /** The read-your-writes mode, parsed. */
  io.rota.jdbc.ReadYourWrites mode() {
    String m = readYourWrites == null ? "" : readYourWrites.trim().toLowerCase(Locale.ROOT);
    switch (m) {
      case "off":
        return io.rota.jdbc.ReadYourWrites.off();
      case "window":
        positive("rota.jdbc.read-your-writes-window", readYourWritesWindow);
        return io.rota.jdbc.ReadYourWrites.window(readYourWritesWindow);
      case "causal":
        return io.rota.jdbc.ReadYourWrites.causal();
      default:
        throw new IllegalArgumentException(
            "rota.jdbc.read-your-writes: '" + readYourWrites + "' (expected: off, window or causal)");
    }
  }

  private static void positive(String property, @Nullable Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      throw new IllegalArgumentException(property + ": " + d + " (expected: > 0)");
    }
  }

  private static void atLeastOne(String property, @Nullable Integer n) {
    if (n != null && n < 1) {
      throw new IllegalArgumentException(property + ": " + n + " (expected: >= 1)");
    }
  }

  @Override
  public String toString() {
    return "RotaJdbcProperties{enabled=" + enabled + ", replicas=" + replicas + ", fallbackToPrimary="
        + fallbackToPrimary + ", maxReplicationLag=" + maxReplicationLag + ", readYourWrites=" + readYourWrites
        + ", healthCheckInterval=" + healthCheckInterval + ", rise=" + rise + ", fall=" + fall + "}";
  }

  /**
   * One replica: where it is, how to log in, its weight and its pool's settings (short defaults: a
   * replica that does not answer should cost a read little). Not thread-safe; bound once.
   */
  public static class Replica {

    /** The replica's id in routing events and snapshots; default {@code replica-N} (1-based). */
    private @Nullable String id;

    /** The replica's JDBC URL. */
    private @Nullable String url;

    /** The user name; when unset, the replica signs in with {@code spring.datasource.username} and {@code spring.datasource.password}. */
    private @Nullable String username;

    /** The password; never logged. */
    private @Nullable String password;

    /** The replica's weight. */
    private int weight = 1;

    /** How long a read waits for a connection from the replica's pool. */
    private Duration connectionTimeout = Duration.ofSeconds(1);

    /** The most connections the replica's pool holds. */
    private int maximumPoolSize = 10;

    /**
     * Further HikariCP settings of the replica's pool, named and written as under
     * {@code spring.datasource.hikari.*} (e.g. {@code idle-timeout=600000},
     * {@code data-source-properties.ssl=true}); the URL, credentials and pool name have their own settings.
     */
    private Map<String, String> hikari = new LinkedHashMap<>();

    private int index;

    /** Creates a replica entry with its defaults. */
    public Replica() {}

    /** The id; {@code replica-N} when unset. */
    public String id() {
      return id != null && !id.isBlank() ? id : "replica-" + (index + 1);
    }

    void index(int i) {
      this.index = i;
    }

    int index() {
      return index;
    }

    /** The configured id, or {@code null}. */
    public @Nullable String getId() {
      return id;
    }

    /** Sets the id. */
    public void setId(@Nullable String id) {
      this.id = id;
    }

    /** The JDBC URL. */
    public @Nullable String getUrl() {
      return url;
    }

    /** Sets the JDBC URL. */
    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    /** The user name. */
    public @Nullable String getUsername() {
      return username;
    }

    /** Sets the user name. */
    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    /** The password. */
    public @Nullable String getPassword() {
      return password;
    }

    /** Sets the password. */
    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /** The weight; default 1. */
    public int getWeight() {
      return weight;
    }

    /** Sets the weight. */
    public void setWeight(int weight) {
      this.weight = weight;
    }

    /** The pool's connection timeout; default 1 s. */
    public Duration getConnectionTimeout() {
      return connectionTimeout;
    }

    /** Sets the pool's connection timeout. */
    public void setConnectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
    }

    /** The pool's maximum size; default 10. */
    public int getMaximumPoolSize() {
      return maximumPoolSize;
    }

    /** Sets the pool's maximum size. */
    public void setMaximumPoolSize(int maximumPoolSize) {
      this.maximumPoolSize = maximumPoolSize;
    }

    /** The further HikariCP settings, by name. */
    public Map<String, String> getHikari() {
      return hikari;
    }

    /** Sets the further HikariCP settings. */
    public void setHikari(Map<String, String> hikari) {
      this.hikari = hikari;
    }

    @Override
    public String toString() {
      return "Replica{id=" + id() + ", url=" + (url == null ? null : Masking.mask(url)) + ", username=" + username
          + ", password=" + (password == null ? "none" : "****") + ", weight=" + weight + "}";
    }
  }
}
