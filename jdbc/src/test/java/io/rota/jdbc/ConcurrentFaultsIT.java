package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Eight threads through a whole fault scenario: a replica stopped and restarted, then the other one
 * frozen for 4 s and thawed; reads and write transactions must not notice.
 */
class ConcurrentFaultsIT extends RealUseSupport {

  /** Threads that run short write transactions until closed, recording what committed and where it ran. */
  private static final class Writers implements AutoCloseable {
    final Set<String> committed = ConcurrentHashMap.newKeySet();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<String> notOnPrimary = new CopyOnWriteArrayList<>();
    final String prefix = unique("c1") + "-";
    private final AtomicLong next = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;
    private final List<Future<?>> futures = new CopyOnWriteArrayList<>();

    Writers(RoutingDataSource ds, int n) {
      threads = Executors.newFixedThreadPool(n);
      for (int t = 0; t < n; t++) {
        futures.add(threads.submit(() -> {
          while (running.get()) {
            String name = prefix + next.incrementAndGet();
            try (Connection c = ds.getConnection()) {
              c.setAutoCommit(false);
              insert(c, name);
              String node = nodeOf(c);
              c.commit();
              committed.add(name);
              if (!node.equals("primary")) {
                notOnPrimary.add(name + " ran on " + node);
              }
            } catch (SQLException | RuntimeException e) {
              failures.add(e);
            }
          }
        }));
      }
      await(20);
    }

    /** Waits until {@code n} more transactions have committed. */
    void await(int n) {
      int from = committed.size();
      ItSupport.await(n + " more commits", () -> committed.size() >= from + n);
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
      ConcurrentReads.stop(running, futures, threads);
    }
  }

  private static Set<String> namesOnPrimary(String prefix) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Connection c = cluster.adminDataSource(0).getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE starts_with(name, ?)")) {
      ps.setString(1, prefix);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private void awaitState(String id, EndpointState state) {
    ItSupport.await(id + " " + state, () -> replicaState(ds, id) == state);
  }

  @Test
  void c1_sixReadersAndTwoWritersThroughAReplicaStoppedAndAReplicaFrozenLoseNoReadAndNoCommittedWrite()
      throws Exception {
    RoutingDataSourceBuilder b = builder("c1")
        .replicaNetworkTimeout(Duration.ofSeconds(1))
        .healthCheckInterval(Duration.ofMillis(250));
    ds = b.healthCheckTimeout(Duration.ofMillis(500)).rise(2).fall(1).build();
    ItSupport.awaitReplicasHealthy(ds);

    ConcurrentReads reads;
    Writers writes;
    try (ConcurrentReads readers = new ConcurrentReads(ds, 6, "SELECT inet_server_port()", cluster::nodeOfPort);
        Writers writers = new Writers(ds, 2)) {
      reads = readers;
      writes = writers;
      cluster.stopReplica(1);
      awaitState("replica-1", EndpointState.DOWN);
      cluster.startReplica(1);
      awaitState("replica-1", EndpointState.HEALTHY);
      readers.awaitServedMore(1, 20);

      cluster.freeze(2);
      try {
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < end) {
          pause(50);
        }
      } finally {
        cluster.thaw(2);
      }
      awaitState("replica-2", EndpointState.HEALTHY);
      readers.awaitServedMore(2, 20);
      writers.await(20);
    }
    assertThat(reads.failures).as("failed reads").isEmpty();
    assertThat(writes.failures).as("failed writes").isEmpty();
    assertThat(writes.notOnPrimary).as("write transactions not on the primary").isEmpty();
    assertThat(namesOnPrimary(writes.prefix)).as("rows on the primary").containsAll(writes.committed);
  }
}
