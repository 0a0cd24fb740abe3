package io.rota.jdbc;

import static io.rota.jdbc.ItSupport.await;
import static io.rota.jdbc.ItSupport.awaitReplicasHealthy;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rota.testkit.PgCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meters of {@link RoutingDataSourceMetrics} on a real PostgreSQL primary with two streaming
 * replicas: they move with traffic, with replay paused under writes, and with a replica stopped.
 * Tests leave the cluster as they found it.
 */
class RoutingDataSourceMetricsIT {

  private static PgCluster cluster;

  private RoutingDataSource ds;
  private SimpleMeterRegistry registry;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = PgCluster.start(2);
    try (Connection c = cluster.hikari(0).getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ticks (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
    }
    cluster.awaitReplicaCaughtUp(1, Duration.ofSeconds(10));
    cluster.awaitReplicaCaughtUp(2, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void build() {
    ds = RoutingDataSource.builder()
        .name("shop")
        .primary("primary", cluster.hikari(0))
        .replica("replica-1", cluster.hikari(1), 1)
        .replica("replica-2", cluster.hikari(2), 1)
        .healthCheckIntervalMillis(200)
        .maxReplicationLag(Duration.ofSeconds(1))
        .build();
    registry = new SimpleMeterRegistry();
    RoutingDataSourceMetrics.of(ds).bindTo(registry);
    awaitReplicasHealthy(ds);
  }

  @AfterEach
  void close() {
    ds.close();
  }

  private RequiredSearch node(String name, String node) {
    return registry.get(name).tag("datasource", "shop").tag("node", node);
  }

  private double connections(String node, String kind) {
    return node("rota.jdbc.connections", node).tag("kind", kind).functionCounter().count();
  }

  private double serving(String node) {
    return node("rota.jdbc.replica.serving", node).gauge().value();
  }

  private double lagSeconds(String node) {
    return node("rota.jdbc.replica.lag", node).timeGauge().value(TimeUnit.SECONDS);
  }

  private double replicaState(String node, String state) {
    return registry.get("rota.pool.endpoint.state").tag("pool", "shop-replicas").tag("endpoint", node)
        .tag("state", state).gauge().value();
  }

  private void reads(int n) throws SQLException {
    for (int i = 0; i < n; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        try (Statement st = c.createStatement()) {
          st.executeQuery("SELECT 1").close();
        }
      }
    }
  }

  private void writes(int n) throws SQLException {
    for (int i = 0; i < n; i++) {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO ticks DEFAULT VALUES");
      }
    }
  }

  /** Inserts a row every 20 ms until stopped, so that a paused replica falls behind. */
  private static final class Writer implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger written = new AtomicInteger();
    private final Future<?> running;

    Writer(RoutingDataSource ds) {
      running = thread.submit(() -> {
        while (!stop.get()) {
          try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO ticks DEFAULT VALUES");
          }
          written.incrementAndGet();
          Thread.sleep(20);
        }
        return null;
      });
    }

    int written() {
      return written.get();
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
      stop.set(true);
      try {
        running.get(10, TimeUnit.SECONDS); // a failed write fails the test here
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } finally {
        thread.shutdownNow();
      }
    }
  }

  @Test
  void connectionCountersMoveWithReadsAndWrites() throws SQLException {
    reads(40);
    writes(5);

    assertThat(connections("replica-1", "read") + connections("replica-2", "read")).isEqualTo(40);
    assertThat(connections("replica-1", "read")).isEqualTo(20); // weights 1:1, smoothly interleaved
    assertThat(connections("primary", "write")).isEqualTo(5);
    assertThat(connections("primary", "read")).isZero();
    assertThat(registry.get("rota.jdbc.fallbacks").tag("datasource", "shop").functionCounter().count()).isZero();
    double replicaCalls = registry.get("rota.pool.endpoint.calls").tag("pool", "shop-replicas")
        .tag("outcome", "success").functionCounters().stream().mapToDouble(c -> c.count()).sum();
    assertThat(replicaCalls).as("the replica pool's own meters").isEqualTo(40);
    assertThat(serving("replica-1")).isEqualTo(1);
    assertThat(serving("replica-2")).isEqualTo(1);
    assertThat(lagSeconds("replica-1")).isBetween(0.0, 1.0);

    ds.setReplicaWeight("replica-1", 0);
    ds.setReplicaWeight("replica-2", 0);
    reads(3);
    assertThat(registry.get("rota.jdbc.fallbacks").tag("datasource", "shop").functionCounter().count()).isEqualTo(3);
    assertThat(connections("primary", "read")).isEqualTo(3);
    await("drained replicas shown not serving", () -> serving("replica-1") == 0 && serving("replica-2") == 0);
  }

  @Test
  void aReplicaWhoseReplayIsPausedShowsItsLagGrowAndStopsServingUntilResumed() throws Exception {
    try (Writer writer = new Writer(ds)) {
      cluster.pauseReplay(1);
      try {
        await("replica-1's lag past 1 s", () -> lagSeconds("replica-1") > 1.0);
        assertThat(writer.written()).as("writes while replay is paused").isPositive();
        await("replica-1 not serving", () -> serving("replica-1") == 0);
        assertThat(replicaState("replica-1", "down")).isEqualTo(1);
        double lag = lagSeconds("replica-1");
        await("replica-1's lag growing", () -> lagSeconds("replica-1") > lag + 0.3);
        double before = connections("replica-1", "read");
        reads(10);
        assertThat(connections("replica-1", "read")).as("no reads while lagging").isEqualTo(before);
        assertThat(serving("replica-2")).isEqualTo(1);
        assertThat(registry.get("rota.pool.endpoint.check").tag("pool", "shop-replicas").tag("endpoint", "replica-1")
            .tag("result", "fail").timer().count()).as("failed checks, timed").isPositive();
      } finally {
        cluster.resumeReplay(1);
      }
      await("replica-1 serving again", () -> serving("replica-1") == 1);
      assertThat(lagSeconds("replica-1")).isLessThan(1.0);
      assertThat(replicaState("replica-1", "down")).isZero();
    }
  }

  @Test
  void aStoppedReplicaShowsDownNotServingAndUnknownLag() throws SQLException {
    cluster.stopReplica(2);
    try {
      await("replica-2 down", () -> replicaState("replica-2", "down") == 1);
      await("replica-2 not serving", () -> serving("replica-2") == 0);
      assertThat(lagSeconds("replica-2")).as("unreachable: lag unknown").isNaN();
      assertThat(replicaState("replica-2", "healthy")).isZero();
      reads(10);
      assertThat(serving("replica-1")).isEqualTo(1);
    } finally {
      cluster.startReplica(2);
    }
    await("replica-2 serving again", () -> serving("replica-2") == 1);
    assertThat(lagSeconds("replica-2")).isBetween(0.0, 1.0);
  }

  @Test
  void theMetersOfAReplicaLeaveWithItAndComeBackWithIt() {
    assertThat(nodeMeters("replica-2")).hasSize(4);
    assertThat(endpointMeters("replica-2")).isNotEmpty();

    ds.removeReplica("replica-2");
    await("replica-2's meters removed", () -> nodeMeters("replica-2").isEmpty() && endpointMeters("replica-2").isEmpty());
    assertThat(nodeMeters("replica-1")).hasSize(4);

    ds.addReplica("replica-2", cluster.hikari(2), 1);
    await("replica-2's meters back", () -> nodeMeters("replica-2").size() == 4 && !endpointMeters("replica-2").isEmpty());
    assertThat(connections("replica-2", "read")).isZero();
  }

  /** The jdbc meters of a node: read connections, failures, lag, serving. */
  private List<Meter> nodeMeters(String node) {
    return registry.getMeters().stream().filter(m -> node.equals(m.getId().getTag("node"))).toList();
  }

  /** The replica pool's meters of a node. */
  private List<Meter> endpointMeters(String node) {
    return registry.getMeters().stream().filter(m -> node.equals(m.getId().getTag("endpoint"))).toList();
  }
}
