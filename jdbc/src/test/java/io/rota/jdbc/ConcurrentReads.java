package io.rota.jdbc;

import static io.rota.jdbc.ItSupport.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.sql.DataSource;

/**
 * Threads that run read-only queries until closed, counting reads, failures and which node served.
 * The query's first column, an int, tells the node by {@code nodeOf}; the query should take some
 * milliseconds on the server, so that some reads are in flight when a node fails.
 */
final class ConcurrentReads implements AutoCloseable {

  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger reads = new AtomicInteger();
  private final Map<Integer, AtomicInteger> servedByNode = new ConcurrentHashMap<>();
  private final ExecutorService threads;
  private final List<Future<?>> futures = new ArrayList<>();

  /** Starts {@code n} threads reading through {@code ds} with {@code sql}; returns once reads flow. */
  ConcurrentReads(DataSource ds, int n, String sql, IntUnaryOperator nodeOf) {
    threads = Executors.newFixedThreadPool(n);
    for (int t = 0; t < n; t++) {
      futures.add(threads.submit(() -> {
        while (running.get()) {
          try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
              rs.next();
              int node = nodeOf.applyAsInt(rs.getInt(1));
              servedByNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
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

  /** Waits until the node has served more than {@code n} more reads. */
  void awaitServedMore(int node, int n) {
    int before = servedBy(node);
    await(ItSupport.nodeName(node) + " serving again", () -> servedBy(node) > before + n);
  }

  /** How many reads the node has served. */
  int servedBy(int node) {
    AtomicInteger n = servedByNode.get(node);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    stop(running, futures, threads);
  }

  /** Stops worker threads: clears {@code running}, waits up to 30 s for each, then shuts the pool down. */
  static void stop(AtomicBoolean running, List<Future<?>> futures, ExecutorService threads)
      throws ExecutionException, TimeoutException {
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
