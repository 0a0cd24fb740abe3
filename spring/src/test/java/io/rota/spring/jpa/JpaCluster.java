package io.rota.spring.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.jdbc.RoutingDataSource;
import io.rota.testkit.PgCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the JPA tests share: the properties that point the application at a {@link PgCluster}
 * (primary + one streaming replica, the least-privilege application user), row counts read on one
 * node past Rota, and the routing data sources to stop before the cluster.
 */
final class JpaCluster {

  /** The replica's node number in the cluster. */
  static final int REPLICA = 1;

  private JpaCluster() {}

  /** The properties a user writes: the primary's URL, the replica's, the credentials. */
  static List<String> properties(PgCluster cluster) {
    return List.of(
        "spring.datasource.url=" + cluster.jdbcUrl(PgCluster.PRIMARY),
        "spring.datasource.username=" + PgCluster.APP_USER,
        "spring.datasource.password=" + PgCluster.APP_PASSWORD,
        "rota.jdbc.replicas[0].url=" + cluster.jdbcUrl(REPLICA),
        "rota.jdbc.replicas[0].username=" + PgCluster.APP_USER,
        "rota.jdbc.replicas[0].password=" + PgCluster.APP_PASSWORD,
        "spring.jpa.hibernate.ddl-auto=update");
  }

  /** Registers {@link #properties} for a {@code @SpringBootTest} (called when its context loads). */
  static void register(DynamicPropertyRegistry registry, PgCluster cluster) {
    for (String p : properties(cluster)) {
      int eq = p.indexOf('=');
      String value = p.substring(eq + 1);
      registry.add(p.substring(0, eq), () -> value);
    }
  }

  /** Rows named {@code name} on one node, counted as the superuser directly on that node. */
  static long countOn(PgCluster cluster, int node, String name) {
    try (Connection c = cluster.adminDataSource(node).getConnection();
        PreparedStatement ps = c.prepareStatement("select count(*) from jpa_note where name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("counting '" + name + "' on node " + node, e);
    }
  }

  /** Polls until {@code condition} holds, failing with {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }

  /** Waits until the starter's routing data source sees the replica healthy (it takes reads). */
  static void awaitReplicaHealthy(RoutingDataSource ds) {
    await("replica-1 healthy in " + ds.name(), Duration.ofSeconds(15), () -> {
      var r = ds.snapshot().replica("replica-1");
      return r != null && r.state() == io.rota.core.EndpointState.HEALTHY;
    });
  }

  /**
   * The routing data sources of the contexts a test class started. Spring closes a test context
   * only after the class's {@code @AfterAll}, where the cluster stops: closing these first stops
   * their health checks, so nothing probes the stopped servers in between (closing again is a no-op).
   */
  static final class Routings implements AutoCloseable {
    private final List<RoutingDataSource> open = new ArrayList<>();

    synchronized void add(RoutingDataSource ds) {
      if (!open.contains(ds)) {
        open.add(ds);
      }
    }

    @Override
    public synchronized void close() {
      open.forEach(RoutingDataSource::close);
      open.clear();
    }
  }

  /** Asserts a port is the primary's. */
  static void assertPrimary(PgCluster cluster, int port, String what) {
    assertThat(cluster.nodeOfPort(port)).as(what + " (0 = primary, 1 = replica)").isEqualTo(PgCluster.PRIMARY);
  }

  /** Asserts a port is the replica's. */
  static void assertReplica(PgCluster cluster, int port, String what) {
    assertThat(cluster.nodeOfPort(port)).as(what + " (0 = primary, 1 = replica)").isEqualTo(REPLICA);
  }
}
