package io.rota.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rota.jdbc.ReadOnly;
import io.rota.jdbc.ReadYourWrites;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import io.rota.testkit.ClusterSupport;
import io.rota.testkit.PgCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Read/write splitting with plain JDBC: a real PostgreSQL primary and two streaming replicas, one
 * HikariCP pool per server, and a {@link RoutingDataSource} over them that sends writes to the
 * primary and read-only work to a replica. Run it from the repository root with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.rota.examples.JdbcExample};
 * it starts the servers, prints which server served each call, and stops them.
 *
 * <p>Everything between "your code" and "end of your code" is what you write for your own servers;
 * the rest only starts the servers and reports.
 */
public final class JdbcExample {

  private JdbcExample() {}

  /** An order: its key and what was ordered. */
  public record Order(int id, String item) {}

  /**
   * The application's repository: {@code @ReadOnly} marks the work a replica may serve. Public, as
   * {@link RoutingDataSource#readOnlyProxy} calls its methods from another package.
   */
  public interface OrderRepository {
    /** Returns the ten newest orders, from a replica. */
    @ReadOnly
    List<Order> recent() throws SQLException;

    /** Stores an order, on the primary. */
    void save(Order order) throws SQLException;
  }

  /**
   * The node that served each call, what the read after the write saw, the final snapshot, and the
   * servers' directory (deleted when they stop).
   */
  record Result(String readOnlyMethod, String setReadOnly, String write, String readAfterWrite,
      List<Order> seenAfterWrite, RoutingSnapshot snapshot, Path directory) {}

  /**
   * Runs the example on fresh servers, printing to standard output.
   *
   * @param args ignored
   * @throws Exception if a server does not start or a statement fails
   */
  public static void main(String[] args) throws Exception {
    // Run from the repository root there is no module directory whose target/ would hold the
    // servers' data directories; put them under the temporary directory (unless chosen with -D).
    if (System.getProperty(ClusterSupport.DIRECTORY_PROPERTY) == null) {
      System.setProperty(ClusterSupport.DIRECTORY_PROPERTY,
          Path.of(System.getProperty("java.io.tmpdir"), "rota-examples").toString());
    }
    run(System.out);
  }

  /** Starts a primary and two replicas, runs the calls, prints to {@code out}, stops the servers. */
  static Result run(PrintStream out) throws SQLException, InterruptedException {
    try (PgCluster cluster = PgCluster.start(2)) {
      // Your migration tool's job, straight on the primary; then let the replicas replay it.
      try (Connection c = cluster.primaryDataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
      }
      cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
      cluster.awaitReplicaCaughtUp(2, Duration.ofSeconds(10));
      // inet_server_port() names the server that ran a statement: each listens on its own port.
      Map<Integer, String> nodeOfPort = Map.of(
          cluster.port(0), "primary", cluster.port(1), "replica-1", cluster.port(2), "replica-2");

      // ---- your code: one pool per server, the routing data source over them ----
      try (HikariDataSource primary = pool("primary", cluster.jdbcUrl(0));
          HikariDataSource replica1 = pool("replica-1", cluster.jdbcUrl(1));
          HikariDataSource replica2 = pool("replica-2", cluster.jdbcUrl(2));
          RoutingDataSource ds = RoutingDataSource.builder()
              .primary("primary", primary)
              .replica("replica-1", replica1)              // equal weights; a third argument sets one
              .replica("replica-2", replica2)
              .maxReplicationLag(Duration.ofSeconds(5))    // a replica further behind takes no reads
              .readYourWrites(ReadYourWrites.causal())     // this thread's reads see its own writes
              .build()) {
        JdbcOrderRepository jdbc = new JdbcOrderRepository(ds, nodeOfPort);
        // The proxy runs every @ReadOnly method in a read-only scope (no Spring needed).
        OrderRepository orders = RoutingDataSource.readOnlyProxy(OrderRepository.class, jdbc);
        // ---- end of your code ----
        awaitFirstChecks(ds); // so that the snapshot below shows what the checks found

        int before = orders.recent().size();
        String readOnlyMethod = jdbc.lastNode;
        out.printf("@ReadOnly recent():        %-9s (%d orders)%n", readOnlyMethod, before);

        String setReadOnly;
        try (Connection c = ds.getConnection()) {
          c.setReadOnly(true); // what Spring's @Transactional(readOnly = true) calls
          setReadOnly = servedBy(c, nodeOfPort);
        }
        out.printf("setReadOnly(true) query:   %s%n", setReadOnly);

        orders.save(new Order(1, "book"));
        String write = jdbc.lastNode;
        out.printf("save(1, book):             %s%n", write);

        // Causal: a replica serves this read only once it has replayed the write; else the primary.
        List<Order> after = orders.recent();
        String readAfterWrite = jdbc.lastNode;
        out.printf("recent() right after:      %-9s (sees %s)%n", readAfterWrite, after);

        RoutingSnapshot snapshot = ds.snapshot();
        out.printf("snapshot of '%s' (%s), %d reads kept on the primary by read-your-writes:%n",
            snapshot.name(), snapshot.dialect(), snapshot.readYourWritesOnPrimary());
        List<RoutingSnapshot.Node> nodes = new ArrayList<>(List.of(snapshot.primary()));
        nodes.addAll(snapshot.replicas());
        for (RoutingSnapshot.Node n : nodes) {
          out.printf("  %-9s %-7s %-7s reads=%d writes=%d lag=%s%n",
              n.id(), n.role(), n.state(), n.reads(), n.writes(), n.lag());
        }
        return new Result(readOnlyMethod, setReadOnly, write, readAfterWrite, after, snapshot, cluster.directory());
      }
    }
  }

  /** One HikariCP pool for one server; Rota takes the pools you already have as they are. */
  private static HikariDataSource pool(String name, String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(PgCluster.APP_USER);
    config.setPassword(PgCluster.APP_PASSWORD);
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  /** Plain JDBC against the routing data source; it never says which node to use. */
  static final class JdbcOrderRepository implements OrderRepository {
    private final DataSource ds;
    private final Map<Integer, String> nodeOfPort;
    /** The node that served the last call: for the printout only, not something you need. */
    volatile String lastNode = "none";

    JdbcOrderRepository(DataSource ds, Map<Integer, String> nodeOfPort) {
      this.ds = ds;
      this.nodeOfPort = nodeOfPort;
    }

    @Override
    public List<Order> recent() throws SQLException {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, item FROM orders ORDER BY id DESC LIMIT 10")) {
        List<Order> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Order(rs.getInt(1), rs.getString(2)));
        }
        lastNode = servedBy(c, nodeOfPort);
        return out;
      }
    }

    @Override
    public void save(Order order) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, item) VALUES (?, ?)")) {
        ps.setInt(1, order.id());
        ps.setString(2, order.item());
        ps.executeUpdate();
        lastNode = servedBy(c, nodeOfPort);
      }
    }
  }

  /**
   * Names the server behind {@code c}. In auto-commit mode each statement routes on its own, but
   * one of the same kind (read-only or not) stays on the server the previous one used.
   */
  static String servedBy(Connection c, Map<Integer, String> nodeOfPort) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
      rs.next();
      return nodeOfPort.getOrDefault(rs.getInt(1), "port " + rs.getInt(1));
    }
  }

  /** Waits, for at most 10 s, until every node has been checked once and found in its role. */
  private static void awaitFirstChecks(RoutingDataSource ds) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    RoutingSnapshot s;
    while ((s = ds.snapshot()).primary().role() != RoutingSnapshot.Role.PRIMARY
        || !s.replicas().stream().allMatch(n -> n.role() == RoutingSnapshot.Role.REPLICA && n.reason() == null)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("nodes not all checked and usable within 10 s: " + s);
      }
      Thread.sleep(20);
    }
  }
}
