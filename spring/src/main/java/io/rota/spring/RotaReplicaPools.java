package io.rota.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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

  private final List<String> ids = new ArrayList<>();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<Integer> weights = new ArrayList<>();

  /**
   * Builds a pool per replica. With a Hikari primary, each replica pool hands out connections with the
   * primary pool's auto-commit, isolation, catalog and schema ({@code spring.datasource.hikari.*}):
   * a routing connection shows the application one set of defaults wherever it is routed, and a pool
   * with auto-commit off ({@code auto-commit=false} with Hibernate's
   * {@code provider_disables_autocommit}) must be so on every node.
   */
  RotaReplicaPools(List<RotaJdbcProperties.Replica> replicas, @Nullable HikariConfig primary) {
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
        if (r.getUsername() != null) {
          c.setUsername(r.getUsername());
        }
        if (r.getPassword() != null) {
          c.setPassword(r.getPassword());
        }
        c.setConnectionTimeout(r.getConnectionTimeout().toMillis());
        c.setMaximumPoolSize(r.getMaximumPoolSize());
        c.setMinimumIdle(0);
        // A replica that is down at start-up must not stop the application: the health checks see it.
        c.setInitializationFailTimeout(-1);
        pools.add(new HikariDataSource(c));
        ids.add(r.id());
        weights.add(r.getWeight());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Hands each replica, in configuration order, to {@code consumer}. */
  public void forEach(ReplicaConsumer consumer) {
    for (int i = 0; i < pools.size(); i++) {
      consumer.accept(ids.get(i), pools.get(i), weights.get(i));
    }
  }

  /** The number of replicas. */
  public int size() {
    return pools.size();
  }

  /** Closes every pool. */
  @Override
  public void close() {
    pools.forEach(HikariDataSource::close);
  }

  @Override
  public String toString() {
    return "RotaReplicaPools" + ids;
  }
}
