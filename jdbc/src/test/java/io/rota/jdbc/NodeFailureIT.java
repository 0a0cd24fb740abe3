package io.rota.jdbc;

import static io.rota.jdbc.RoutingDataSourceIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes dying under load on a real PostgreSQL cluster, one fresh cluster per test: a replica stopped
 * while 8 threads read, the primary stopped, a replica promoted.
 */
class NodeFailureIT {

  private PgCluster cluster;
  private RoutingDataSource ds;
  private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = PgCluster.start(2);
    ds = RoutingDataSource.builder()
        .name("failures")
        .primary("primary", cluster.hikari(0))
        .replica("replica-1", cluster.hikari(1), 1)
        .replica("replica-2", cluster.hikari(2), 1)
        .healthCheckIntervalMillis(200)
        .replicaPoolConfig(EndpointPoolConfig.custom()
            .consecutiveFailures(2).ejectionTime(Duration.ofMillis(500)).maxEjectionTime(Duration.ofSeconds(2))
            .healthCheckTimeout(Duration.ofSeconds(1)).rise(2).fall(1).build())
        .build();
    ds.addListener(events::add);
    await("replicas healthy", () -> ds.snapshot().replicas().stream()
        .allMatch(n -> n.state() == EndpointState.HEALTHY && n.role() == RoutingSnapshot.Role.REPLICA));
  }

  /** Names the node that answers {@code SELECT inet_server_port()} on the connection. */
  private String servedBy(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
      rs.next();
      int port = rs.getInt(1);
      return port == cluster.port(0) ? "primary" : port == cluster.port(1) ? "replica-1"
          : port == cluster.port(2) ? "replica-2" : "port " + port;
    }
  }

  @AfterEach
  void stop() {
    if (ds != null) {
      ds.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Threads that run read-only queries until stopped, counting reads, failures and who served. */
  private final class Readers implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger reads = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final Map<Integer, AtomicInteger> servedByPort = new ConcurrentHashMap<>();
    final ExecutorService threads;
    final List<Future<?>> futures = new ArrayList<>();

    Readers(int n) {
      threads = Executors.newFixedThreadPool(n);
      for (int t = 0; t < n; t++) {
        futures.add(threads.submit(() -> {
          while (running.get()) {
            try (Connection c = ds.getConnection()) {
              c.setReadOnly(true);
              // Each read takes some milliseconds on the server, so some are in flight at a failure.
              try (Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery("SELECT inet_server_port(), pg_sleep(0.005)")) {
                rs.next();
                servedByPort.computeIfAbsent(rs.getInt(1), k -> new AtomicInteger()).incrementAndGet();
              }
              reads.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
              failures.add(e);
            }
          }
        }));
      }
      await("reads flowing", () -> reads.get() > 200);
    }

    /** Waits until {@code n} more reads have been made. */
    void awaitMore(int n) {
      int from = reads.get();
      await(n + " more reads", () -> reads.get() >= from + n);
    }

    int servedBy(int node) {
      AtomicInteger n = servedByPort.get(cluster.port(node));
      return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
      running.set(false);
      try {
        for (Future<?> f : futures) {
          f.get(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void aReplicaStoppedWhile8ThreadsReadCostsNoFailedReadAndComesBackAfterRestart() throws Exception {
    try (Readers readers = new Readers(8)) {
      cluster.stopReplica(1);
      await("replica-1 taken out", () -> ds.snapshot().replica("replica-1").state() != EndpointState.HEALTHY);
      readers.awaitMore(500);
      assertThat(readers.failures).as("failed reads").isEmpty();
      assertThat(ds.snapshot().replica("replica-1").ejections()).as("ejected by failed connections").isPositive();

      cluster.startReplica(1);
      await("replica-1 healthy again", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
      int before = readers.servedBy(1);
      await("replica-1 serving again", () -> readers.servedBy(1) > before + 20);
    }
    assertThat(ds.snapshot().replica("replica-1").failures()).isPositive();
  }

  @Test
  void aHungReplicaCostsNoFailedReadWithAReplicaNetworkTimeout() throws Exception {
    ds.close();
    ds = RoutingDataSource.builder()
        .name("hung")
        .primary("primary", cluster.hikari(0))
        .replica("replica-1", cluster.hikari(1), 1)
        .replica("replica-2", cluster.hikari(2), 1)
        .healthCheckIntervalMillis(200)
        .replicaNetworkTimeout(Duration.ofSeconds(1))
        .replicaPoolConfig(EndpointPoolConfig.custom()
            .consecutiveFailures(2).ejectionTime(Duration.ofMillis(500)).maxEjectionTime(Duration.ofSeconds(2))
            .healthCheckTimeout(Duration.ofSeconds(1)).rise(2).fall(1).build())
        .build();
    await("replicas healthy", () -> ds.snapshot().replicas().stream()
        .allMatch(n -> n.state() == EndpointState.HEALTHY && n.role() == RoutingSnapshot.Role.REPLICA));
    try (Readers readers = new Readers(8)) {
      cluster.freeze(1); // accepts nothing, answers nothing: reads in flight hang until the timeout
      try {
        await("replica-1 taken out", () -> ds.snapshot().replica("replica-1").state() != EndpointState.HEALTHY);
        readers.awaitMore(500);
        assertThat(readers.failures).as("failed reads").isEmpty();
      } finally {
        cluster.thaw(1);
      }
      await("replica-1 healthy again", () -> ds.snapshot().replica("replica-1").state() == EndpointState.HEALTHY);
      int before = readers.servedBy(1);
      await("replica-1 serving again", () -> readers.servedBy(1) > before + 20);
    }
    assertThat(ds.snapshot().replica("replica-1").failures()).isPositive();
  }

  @Test
  void aStoppedPrimaryFailsWritesFastNamingItWhileReadsGoOnFromReplicas() throws Exception {
    cluster.stopPrimary();
    long start = System.nanoTime();
    assertThatThrownBy(() -> {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE never (id int)");
      }
    }).isInstanceOf(SQLException.class).hasMessageContaining("Primary 'primary' of 'failures'");
    // Hikari's connectionTimeout (2 s) bounds it.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    for (int i = 0; i < 50; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c)).startsWith("replica-");
      }
    }
    assertThat(ds.snapshot().primary().failures()).isPositive();
  }

  @Test
  void aPromotedReplicaIsDetectedReportedAndTakesNoMoreReads() throws Exception {
    cluster.promote(2);
    await("replica-2 seen as promoted", () -> ds.snapshot().replica("replica-2").role() == RoutingSnapshot.Role.PRIMARY
        && ds.snapshot().replica("replica-2").state() == EndpointState.DOWN);
    assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(
        new RoutingEvent.RoleChanged("replica-2", RoutingSnapshot.Role.REPLICA, RoutingSnapshot.Role.PRIMARY)));
    for (int i = 0; i < 100; i++) {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        assertThat(servedBy(c)).isEqualTo("replica-1");
      }
    }
  }

  @Test
  void aPrimaryThatIsInRecoveryIsNeverWrittenTo() throws Exception {
    // Point the "primary" at a replica: the role check refuses writes to it and reports it.
    ds.close();
    events.clear();
    ds = RoutingDataSource.builder()
        .name("wrong")
        .primary("not-really-primary", cluster.hikari(1))
        .replica("replica-2", cluster.hikari(2))
        .healthCheckIntervalMillis(200)
        .build();
    ds.addListener(events::add);
    await("the primary's role checked", () -> ds.snapshot().primary().role() == RoutingSnapshot.Role.REPLICA);
    assertThatThrownBy(() -> {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE never (id int)");
      }
    }).isInstanceOf(SQLException.class)
        .hasMessageContaining("Primary 'not-really-primary' of 'wrong' reports that it is a replica")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    assertThat(ds.snapshot().primary().state()).isEqualTo(EndpointState.DOWN);
    await("the mismatch reported", () -> events.contains(new RoutingEvent.RoleChanged(
        "not-really-primary", RoutingSnapshot.Role.PRIMARY, RoutingSnapshot.Role.REPLICA)));
    // Reads are fine: a node in recovery serves them.
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(servedBy(c)).isIn("replica-1", "replica-2");
    }
  }
}
