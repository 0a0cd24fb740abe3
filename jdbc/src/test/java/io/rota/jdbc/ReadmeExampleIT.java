package io.rota.jdbc;

import io.rota.testkit.PgCluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's JDBC example, on a real PostgreSQL primary with two streaming replicas: the builder
 * lines verbatim, and an {@code OrderRepository} whose {@code @ReadOnly} method reads from a replica
 * and sees the order the same thread just saved (causal read-your-writes).
 */
class ReadmeExampleIT {

  record Order(int id, String item) {}

  /** The README's repository interface. */
  interface OrderRepository {
    @ReadOnly
    List<Order> recent() throws SQLException;

    void save(Order o) throws SQLException;
  }

  /** A plain JDBC implementation that also records which node served each call. */
  static final class JdbcOrderRepository implements OrderRepository {
    private final DataSource ds;
    final List<Boolean> servedByReplica = new ArrayList<>();

    JdbcOrderRepository(DataSource ds) {
      this.ds = ds;
    }

    @Override
    public List<Order> recent() throws SQLException {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, item, pg_is_in_recovery() FROM orders ORDER BY id")) {
        List<Order> out = new ArrayList<>();
        boolean replica = false;
        while (rs.next()) {
          out.add(new Order(rs.getInt(1), rs.getString(2)));
          replica = rs.getBoolean(3);
        }
        servedByReplica.add(replica);
        return out;
      }
    }

    @Override
    public void save(Order o) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, item) VALUES (?, ?)")) {
        ps.setInt(1, o.id());
        ps.setString(2, o.item());
        ps.executeUpdate();
      }
    }
  }

  private PgCluster cluster;
  private RoutingDataSource ds;

  @BeforeEach
  void start() throws SQLException {
    cluster = PgCluster.start(2);
    try (Connection c = cluster.primaryDataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
    }
    cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
    cluster.awaitReplicaCaughtUp(2, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    if (ds != null) {
      ds.close();
    }
    cluster.close();
  }

  @Test
  void theReadmeExampleReadsItsOwnWritesFromReplicas() throws SQLException {
    HikariDataSource primaryPool = cluster.hikari(0);
    HikariDataSource replicaPool2 = cluster.hikari(1);
    HikariDataSource replicaPool3 = cluster.hikari(2);
    // --- README ---
    ds = RoutingDataSource.builder()
        .primary("pg-1", primaryPool)                  // your HikariDataSource per node
        .replica("pg-2", replicaPool2, 3)              // weights: 3:1
        .replica("pg-3", replicaPool3, 1)
        .maxReplicationLag(Duration.ofSeconds(5))      // lagging replicas take no reads
        .readYourWrites(ReadYourWrites.causal())       // a context reads its own writes
        .build();

    JdbcOrderRepository impl = new JdbcOrderRepository(ds);
    OrderRepository repo = RoutingDataSource.readOnlyProxy(OrderRepository.class, impl);
    // --- end README ---
    ItSupport.awaitReplicasHealthy(ds);

    repo.save(new Order(1, "book"));
    assertThat(repo.recent()).as("a read right after the write sees it").containsExactly(new Order(1, "book"));

    cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
    cluster.awaitReplicaCaughtUp(2, Duration.ofSeconds(10));
    for (int i = 0; i < 20; i++) {
      assertThat(repo.recent()).containsExactly(new Order(1, "book"));
    }
    assertThat(impl.servedByReplica.subList(1, 21)).as("@ReadOnly reads go to replicas once they have the write")
        .containsOnly(true);
    assertThat(ds.snapshot().primary().writes()).isEqualTo(1);
  }
}
