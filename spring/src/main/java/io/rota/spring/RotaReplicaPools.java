package io.rota.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The replica connection pools the starter creates from {@code rota.jdbc.replicas}. Deliberately not
 * a {@link javax.sql.DataSource}: only the routing data source uses them. Created and closed by Spring;
 * thread-safe once built (the list never changes).
 */
public final class RotaReplicaPools implements AutoCloseable {

  /** Receives one replica. */
  @FunctionalInterface
  public interface ReplicaConsumer {
    /** Takes a replica's id, pool and weight. */
    void accept(String id, HikariDataSource pool, int weight);
  }

  private record Pool(String id, HikariDataSource dataSource, int weight) {}

  private final List<Pool> pools = new ArrayList<>();

  /**
   * Builds one pool per replica. A replica with no username of its own signs in as the primary does:
   * {@code defaultUsername} and {@code defaultPassword} (those of {@code spring.datasource.*}). With a
   * Hikari primary, each replica pool hands out connections with the primary pool's auto-commit,
   * isolation, catalog and schema ({@code spring.datasource.hikari.*}): a routing connection shows the
   * application one set of defaults wherever it is routed, and a pool with auto-commit off
   * ({@code auto-commit=false} with Hibernate's {@code provider_disables_autocommit}) must be so on
   * every node. {@code rota.jdbc.replicas[i].hikari.*} still wins.
   */
  RotaReplicaPools(List<RotaJdbcProperties.Replica> replicas, @Nullable HikariConfig primary,
      @Nullable String defaultUsername, @Nullable String defaultPassword) {
    try {
      for (RotaJdbcProperties.Replica r : replicas) {
        HikariConfig c = new HikariConfig();
        if (primary != null) {
          c.setAutoCommit(primary.isAutoCommit());
          c.setTransactionIsolation(primary.getTransactionIsolation());
          c.setCatalog(primary.getCatalog());
          c.setSchema(primary.getSchema());
        }
        c.setPoolName("rota-" + r.id());
        c.setJdbcUrl(r.getUrl());
        boolean own = r.getUsername() != null;
        String username = own ? r.getUsername() : defaultUsername;
        String password = own ? r.getPassword() : defaultPassword;
        if (username != null) {
          c.setUsername(username);
        }
        if (password != null) {
          c.setPassword(password);
        }
        c.setConnectionTimeout(r.getConnectionTimeout().toMillis());
        c.setMaximumPoolSize(r.getMaximumPoolSize());
        c.setMinimumIdle(0);
        // A replica that is down at start-up must not stop the application: the health checks see it.
        c.setInitializationFailTimeout(-1);
        applyHikariSettings(c, r);
        pools.add(new Pool(r.id(), new HikariDataSource(c), r.getWeight()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Applies {@code rota.jdbc.replicas[i].hikari.*} as Boot applies {@code spring.datasource.hikari.*}:
   * relaxed names, bound to HikariConfig's setters, last (so they win over the defaults above). A name
   * HikariCP has no setting for, or a value it cannot take, fails start-up naming the property.
   */
  private static void applyHikariSettings(HikariConfig c, RotaJdbcProperties.Replica r) {
    if (r.getHikari().isEmpty()) {
      return;
    }
    Map<String, String> prefixed = new LinkedHashMap<>();
    r.getHikari().forEach((k, v) -> prefixed.put("hikari." + k, v));
    String property = "rota.jdbc.replicas[" + r.index() + "].hikari";
    try {
      new Binder(new MapConfigurationPropertySource(prefixed))
          .bind("hikari", Bindable.ofInstance(c), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
    } catch (BindException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(property + ": " + cause.getMessage().replace("hikari.", property + ".")
          + " (expected: HikariCP settings named as under spring.datasource.hikari.*, e.g. idle-timeout=600000)", e);
    }
  }

  /** Hands each replica, in configuration order, to {@code consumer}. */
  public void forEach(ReplicaConsumer consumer) {
    for (Pool p : pools) {
      consumer.accept(p.id(), p.dataSource(), p.weight());
    }
  }

  /** The number of replicas. */
  public int size() {
    return pools.size();
  }

  /** Closes every pool. */
  @Override
  public void close() {
    pools.forEach(p -> p.dataSource().close());
  }

  @Override
  public String toString() {
    return "RotaReplicaPools" + pools.stream().map(Pool::id).toList();
  }
}
