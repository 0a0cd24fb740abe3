package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Health checks that cannot hang: a node that is stopped (refuses connections) or frozen with
 * SIGSTOP (accepts TCP, answers nothing) is marked DOWN within a bound, with the reason, by a bounded
 * number of probe threads, while work goes on elsewhere.
 */
class BlackHoleIT extends RealUseSupport {

  private static final Duration DOWN_WITHIN = Duration.ofSeconds(5);
  private static final int NODES = 3;

  private final ExecutorService caller = Executors.newCachedThreadPool();

  @AfterEach
  void stopCaller() {
    caller.shutdownNow();
  }

  /** Probes every 500 ms, each bounded to 500 ms, one failure takes a node out. */
  private static RoutingDataSourceBuilder quickProbes(RoutingDataSourceBuilder builder) {
    return builder.healthCheckInterval(Duration.ofMillis(500)).healthCheckTimeout(Duration.ofMillis(500)).fall(1);
  }

  private void build(RoutingDataSourceBuilder builder) {
    ds = quickProbes(builder).build();
    ItSupport.awaitReplicasHealthy(ds);
  }

  private void awaitReplicaDown(String id) {
    awaitWithin(DOWN_WITHIN, id + " DOWN", () -> replicaState(ds, id) == EndpointState.DOWN);
  }

  private void awaitReplicaHealthy(String id) {
    ItSupport.await(id + " HEALTHY again", () -> replicaState(ds, id) == EndpointState.HEALTHY);
  }

  private static String reason(RoutingSnapshot.Node node) {
    return node.reason();
  }

  @Test
  void h1_aFrozenReplicaIsMarkedDownWithAReasonWithin5sReadsGoOnAndProbeThreadsStayBounded() throws Exception {
    build(builder("h1"));
    try (ConcurrentReads readers = new ConcurrentReads(ds, 2, "SELECT inet_server_port()", cluster::nodeOfPort)) {
      long frozenAt = System.nanoTime();
      cluster.freeze(1);
      int fewestThreads = Integer.MAX_VALUE;
      int mostThreads = 0;
      try {
        awaitReplicaDown("replica-1");
        assertThat(reason(ds.snapshot().replica("replica-1"))).as("reason of replica-1").isNotBlank();
        long end = frozenAt + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
          int n = healthThreads();
          fewestThreads = Math.min(fewestThreads, n);
          mostThreads = Math.max(mostThreads, n);
          pause(50);
        }
        readers.awaitMore(100); // reads flow while replica-1 is still frozen
      } finally {
        cluster.thaw(1);
      }
      assertThat(mostThreads).as("most live %s* threads while frozen", HEALTH_THREAD_PREFIX)
          .isBetween(1, NODES + 1);
      assertThat(fewestThreads).as("fewest live %s* threads while frozen", HEALTH_THREAD_PREFIX).isPositive();
      awaitReplicaHealthy("replica-1");
      assertThat(readers.failures).as("failed reads").isEmpty();
    }
  }

  @Test
  void h2_aFrozenPrimaryIsMarkedDownWithAReasonReadsFlowFromReplicasAndAWriteFailsWithin5sNamingIt() throws Exception {
    HikariDataSource primary = cluster.hikari(0, config -> config.setConnectionTimeout(30_000));
    build(RoutingDataSource.builder().name("h2")
        .primary("pg-main", primary)
        .replica("replica-1", cluster.hikari(1))
        .replica("replica-2", cluster.hikari(2))
        .primaryNetworkTimeout(Duration.ofSeconds(2)));
    tryWrite(); // the primary pool holds a connection that is about to hang
    cluster.freeze(0);
    try {
      awaitWithin(DOWN_WITHIN, "the primary DOWN", () -> ds.snapshot().primary().state() == EndpointState.DOWN);
      assertThat(reason(ds.snapshot().primary())).as("reason of the primary").isNotBlank();

      Future<?> reads = caller.submit(() -> {
        for (int i = 0; i < 50; i++) {
          assertThat(ItSupport.readOnlyRead(ds, RealUseSupport::nodeOf)).startsWith("replica-");
        }
        return null;
      });
      reads.get(10, TimeUnit.SECONDS);

      long start = System.nanoTime();
      Future<Throwable> write = caller.submit(() -> {
        try {
          tryWrite();
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      Throwable failure;
      try {
        failure = write.get(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("a write to the frozen primary was still running after 15 s");
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(failure).as("what the write got").isInstanceOf(SQLException.class).hasMessageContaining("pg-main");
      assertThat(took).as("time to the write's failure").isLessThan(Duration.ofSeconds(5));
    } finally {
      cluster.thaw(0);
    }
    ItSupport.await("writes work again", () -> {
      try {
        tryWrite();
        return true;
      } catch (SQLException e) {
        return false;
      }
    });
  }

  private void tryWrite() throws SQLException {
    try (Connection c = ds.getConnection()) {
      insert(c, unique("h2"));
    }
  }

  /**
   * Takes replica {@code i} out with {@code fault}, asserts it is DOWN within 5 s with a reason that
   * contains one of {@code causes}, undoes the fault and waits until it is HEALTHY again, with no reason.
   */
  private void assertDownWithReason(int i, IntConsumer fault, IntConsumer undo, String... causes) {
    String id = ItSupport.nodeName(i);
    fault.accept(i);
    try {
      awaitReplicaDown(id);
      assertThat(reason(ds.snapshot().replica(id))).as("reason of %s", id).containsAnyOf(causes);
    } finally {
      undo.accept(i);
    }
    awaitReplicaHealthy(id);
    assertThat(reason(ds.snapshot().replica(id))).as("reason of %s once HEALTHY again", id).isNull();
  }

  @Test
  void h3_aStoppedReplicaIsMarkedDownWithAReasonThatSaysItsConnectionWasRefusedOrClosed() {
    build(builder("h3-stopped"));
    // A shutdown first ends the pooled connections ("closed", "terminating"), then refuses new ones;
    // a check that meanwhile waits for its pool to connect times out there, and says so.
    assertDownWithReason(1, cluster::stopReplica, cluster::startReplica, "refused", "closed",
        "terminating", "timed out after PT0.75S while taking a connection from its pool");
  }

  @Test
  void h3_aFrozenReplicaIsMarkedDownWithAReasonThatSaysItTimedOut() {
    build(builder("h3-frozen"));
    assertDownWithReason(2, cluster::freeze, cluster::thaw, "timed out");
  }
}
