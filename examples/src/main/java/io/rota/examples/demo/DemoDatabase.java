package io.rota.examples.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rota.jdbc.ReadYourWrites;
import io.rota.jdbc.RoutingDataSource;
import io.rota.testkit.Cluster;
import io.rota.testkit.MariaDbCluster;
import io.rota.testkit.PgCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The demo's database: a real cluster (a primary and two replicas on loopback) with one HikariCP
 * pool per node, as an application has, and Rota's {@link RoutingDataSource} over them, configured
 * as a user would for their own servers. Also the faults the schedule needs. Not thread-safe for
 * start and close; faults run on the schedule's thread.
 */
abstract class DemoDatabase implements AutoCloseable {

  /**
   * Node ids, which stay true when a replica is promoted: {@code db-1} starts as the primary, the
   * others as its replicas; the dashboard shows the role each node reports beside it.
   */
  static final List<String> NODES = List.of("db-1", "db-2", "db-3");

  private final Cluster cluster;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private RoutingDataSource routing;
  private volatile int primary; // the node the demo made primary: 0, then the promoted one

  DemoDatabase(Cluster cluster) {
    this.cluster = cluster;
  }

  /** Starts the cluster of {@code database}, telling {@code progress} each step. */
  static DemoDatabase start(DemoOptions.Database database, Consumer<String> progress) {
    return switch (database) {
      case POSTGRES -> new Postgres(PgCluster.start(2, progress));
      case MARIADB -> new MariaDb(MariaDbCluster.start(2, progress));
    };
  }

  /** One line saying what runs. */
  abstract String title();

  /** A SQL expression that names the port of the server evaluating it. */
  abstract String serverPortExpression();

  /** The node id of the server listening on {@code port}, or {@code null}. */
  final String nodeOfPort(int port) {
    for (int i = 0; i < NODES.size(); i++) {
      if (cluster.port(i) == port) {
        return NODES.get(i);
      }
    }
    return null;
  }

  /** The id of the node that is the primary now, as far as the demo made it so (db-1, then the promoted node). */
  final String primaryNode() {
    return NODES.get(primary);
  }

  /** A SQL expression that is true on a read-only server (a replica). */
  abstract String readOnlyExpression();

  /** Stops the primary's server for good (a primary that dies); it stays down to the end of the run. */
  abstract void stopPrimary();

  /**
   * Promotes replica {@code node} to primary, as an operator or HA tool does; returns once it
   * accepts writes. The demo's idea of the primary ({@link #primaryNode()}) follows.
   */
  final void promote(int node) {
    promoteNode(node);
    primary = node;
  }

  abstract void promoteNode(int node);

  /** Makes replica {@code replica} replicate from node {@code source} (a promoted replica). */
  abstract void repoint(int replica, int source);

  /** What the stopped primary would need to follow the {@code promoted} node, in a few words. */
  abstract String rejoinHint(String promoted);

  /** The lag past which a replica takes no reads. */
  abstract Duration lagLimit();

  final String jdbcUrl(int node) {
    return cluster.jdbcUrl(node);
  }

  abstract String username();

  abstract String password();

  /** DDL for the orders table, run once on the primary. */
  abstract String createOrdersTable();

  /** Makes the replica's replay fall behind: PostgreSQL pauses WAL replay, MariaDB delays its SQL thread. */
  abstract void pauseReplay(int replica);

  abstract void resumeReplay(int replica);

  /** Stops a replica's server process (a node that dies). */
  abstract void kill(int replica);

  /** Starts a killed replica again, replicating. */
  abstract void restart(int replica);

  /** SIGSTOP: the node keeps its port and connections and answers nothing (a node that hangs). */
  final void freeze(int node) {
    cluster.freeze(node);
  }

  final void thaw(int node) {
    cluster.thaw(node);
  }

  /** What one would call the fault of {@link #pauseReplay(int)}. */
  abstract String pauseName();

  /**
   * The routing data source over one HikariCP pool per node. What an application writes for its own
   * servers; every setting is explained where a reader would ask why.
   */
  final RoutingDataSource routing(int threads) {
    if (routing != null) {
      return routing;
    }
    routing = RoutingDataSource.builder()
        .name("orders-db")
        // Nodes without fixed roles: Rota probes which one is writable, so writes follow a promoted
        // replica without a configuration change or a restart.
        .node(NODES.get(0), pool(0, threads))
        .node(NODES.get(1), pool(1, threads))
        .node(NODES.get(2), pool(2, threads))
        // Replicas further behind take no reads; PostgreSQL reports lag to the millisecond, MariaDB in
        // whole seconds, hence 1 s and 2 s.
        .maxReplicationLag(lagLimit())
        // A customer reads their own order right after placing it: causal waits for (or routes past)
        // replicas that have not replayed the write's position.
        .readYourWrites(ReadYourWrites.causal())
        // Short intervals, so that the demo's faults show within a second; production: 1 s and 2 s.
        .healthCheckInterval(Duration.ofMillis(500))
        .healthCheckTimeout(Duration.ofMillis(1000))
        // A read on a replica that hangs (SIGSTOP) gives up after this, and is re-run elsewhere once
        // the replica's check has found it down.
        .replicaNetworkTimeout(Duration.ofSeconds(3))
        .build();
    return routing;
  }

  /** A HikariCP pool for one node, configured as teams do, with a short connection timeout. */
  private DataSource pool(int node, int threads) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("orders-" + NODES.get(node));
    config.setJdbcUrl(jdbcUrl(node));
    config.setUsername(username());
    config.setPassword(password());
    config.setMaximumPoolSize(threads + 2);
    config.setMinimumIdle(1);
    // A dead replica costs a read at most this long before the read goes elsewhere (Hikari's 30 s
    // default would stall it).
    config.setConnectionTimeout(1_000);
    config.setValidationTimeout(500);
    // The pool starts even while its node is down; Rota's checks say when it is back.
    config.setInitializationFailTimeout(-1);
    HikariDataSource ds = new HikariDataSource(config);
    pools.add(ds);
    return ds;
  }

  @Override
  public void close() {
    if (routing != null) {
      routing.close();
    }
    for (HikariDataSource pool : pools) {
      pool.close();
    }
    cluster.close();
  }

  private static final class Postgres extends DemoDatabase {
    private final PgCluster cluster;

    Postgres(PgCluster cluster) {
      super(cluster);
      this.cluster = cluster;
    }

    @Override String title() {
      return "PostgreSQL 17 primary + 2 streaming replicas";
    }

    @Override String serverPortExpression() {
      return "inet_server_port()";
    }

    @Override Duration lagLimit() {
      return Duration.ofSeconds(1);
    }

    @Override String username() {
      return PgCluster.APP_USER;
    }

    @Override String password() {
      return PgCluster.APP_PASSWORD;
    }

    @Override String createOrdersTable() {
      return "CREATE TABLE IF NOT EXISTS orders (id BIGSERIAL PRIMARY KEY, customer INT NOT NULL,"
          + " sku TEXT NOT NULL, quantity INT NOT NULL, price NUMERIC(10,2) NOT NULL, written_on INT NOT NULL,"
          + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())";
    }

    @Override void pauseReplay(int replica) {
      cluster.pauseReplay(replica);
    }

    @Override void resumeReplay(int replica) {
      cluster.resumeReplay(replica);
    }

    @Override String pauseName() {
      return "WAL replay paused";
    }

    @Override void kill(int replica) {
      cluster.stopReplica(replica);
    }

    @Override void restart(int replica) {
      cluster.startReplica(replica);
    }

    @Override String readOnlyExpression() {
      return "pg_is_in_recovery()";
    }

    @Override void stopPrimary() {
      cluster.stopPrimary();
    }

    @Override void promoteNode(int node) {
      cluster.promote(node); // pg_promote(), waits until it accepts writes
    }

    @Override void repoint(int replica, int source) {
      cluster.repointReplica(replica, source); // primary_conninfo, reload; follows the new timeline
    }

    @Override String rejoinHint(String promoted) {
      return "PostgreSQL: it would need pg_rewind to follow " + promoted + "'s new timeline";
    }

  }

  private static final class MariaDb extends DemoDatabase {
    private final MariaDbCluster cluster;

    MariaDb(MariaDbCluster cluster) {
      super(cluster);
      this.cluster = cluster;
    }

    @Override String title() {
      return "MariaDB 11.4 primary + 2 GTID replicas";
    }

    @Override String serverPortExpression() {
      return "@@port";
    }

    @Override Duration lagLimit() {
      return Duration.ofSeconds(2);
    }

    @Override String username() {
      return MariaDbCluster.APP_USER;
    }

    @Override String password() {
      return MariaDbCluster.APP_PASSWORD;
    }

    @Override String createOrdersTable() {
      return "CREATE TABLE IF NOT EXISTS orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer INT NOT NULL,"
          + " sku VARCHAR(32) NOT NULL, quantity INT NOT NULL, price DECIMAL(10,2) NOT NULL, written_on INT NOT NULL,"
          + " created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))";
    }

    @Override void pauseReplay(int replica) {
      cluster.setReplicaDelay(replica, 3600); // the SQL thread holds every event back an hour
    }

    @Override void resumeReplay(int replica) {
      cluster.setReplicaDelay(replica, 0);
    }

    @Override String pauseName() {
      return "replication delayed";
    }

    @Override void kill(int replica) {
      cluster.stopReplicaServer(replica);
    }

    @Override void restart(int replica) {
      cluster.startReplicaServer(replica);
    }

    @Override String readOnlyExpression() {
      return "@@read_only = 1";
    }

    @Override void stopPrimary() {
      cluster.stopPrimary();
    }

    @Override void promoteNode(int node) {
      // What an operator's promotion waits for, so that it loses nothing the replica received.
      cluster.awaitReceivedApplied(node, Duration.ofSeconds(10));
      cluster.promote(node); // STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only=0
    }

    @Override void repoint(int replica, int source) {
      cluster.replicateFrom(replica, source); // CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos
    }

    @Override String rejoinHint(String promoted) {
      return "MariaDB: it could follow " + promoted + " with CHANGE MASTER TO ... MASTER_USE_GTID=current_pos";
    }

  }
}
