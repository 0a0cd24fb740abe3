package io.rota.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * Write and read load from several threads on a routing data source, for the failover tests: each
 * thread in turn commits a transaction that inserts one row {@code (writer, seq)} into
 * {@code failover_rows} and asks which node it ran on, then runs a read-only query. Every commit
 * (with its node), every failed write and every failed read is recorded with when it happened.
 * Thread-safe.
 */
final class FailoverLoad implements AutoCloseable {

  /** A committed write: the row it inserted and the node that committed it. */
  record Commit(int writer, int seq, String node, long atNanos) {}

  /**
   * A failed write or read: when it began, when it failed, its message, and for a write the row it
   * tried to insert (a write whose commit failed may still have committed: its outcome is unknown).
   */
  record Failure(long startedNanos, long atNanos, String message, int writer, int seq) {
    String row() {
      return writer + "/" + seq;
    }
  }

  final List<Commit> commits = new CopyOnWriteArrayList<>();
  final List<Failure> writeFailures = new CopyOnWriteArrayList<>();
  final List<Failure> readFailures = new CopyOnWriteArrayList<>();
  final AtomicInteger reads = new AtomicInteger();
  private final DataSource ds;
  private final String whoSql;
  private final IntFunction<String> nodeOf;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * Starts {@code threadCount} threads.
   *
   * @param whoSql a query whose first column is an int naming the node (a port, a server id)
   * @param nodeOf the node name of that int
   */
  FailoverLoad(DataSource ds, int threadCount, String whoSql, IntFunction<String> nodeOf) {
    this.ds = ds;
    this.whoSql = whoSql;
    this.nodeOf = nodeOf;
    for (int i = 0; i < threadCount; i++) {
      int writer = i;
      Thread t = new Thread(() -> run(writer), "failover-load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Creates the table the load writes to. */
  static void createTable(DataSource primary, String ddl) throws SQLException {
    try (Connection c = primary.getConnection(); Statement s = c.createStatement()) {
      s.execute(ddl);
    }
  }

  private void run(int writer) {
    int seq = 0;
    while (running) {
      seq++;
      long started = System.nanoTime();
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO failover_rows (writer, seq) VALUES (?, ?)")) {
          ps.setInt(1, writer);
          ps.setInt(2, seq);
          ps.executeUpdate();
        }
        String node = who(c);
        c.commit();
        commits.add(new Commit(writer, seq, node, System.nanoTime()));
      } catch (SQLException e) {
        writeFailures.add(new Failure(started, System.nanoTime(), e.getMessage(), writer, seq));
        pause(20); // a refused write returns at once: do not spin
      }
      long readStarted = System.nanoTime();
      try {
        RoutingDataSource.readOnly(() -> {
          try (Connection c = ds.getConnection()) {
            who(c);
          }
          return null;
        });
        reads.incrementAndGet();
      } catch (SQLException e) {
        readFailures.add(new Failure(readStarted, System.nanoTime(), e.getMessage(), -1, -1));
      }
      pause(5);
    }
  }

  private String who(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(whoSql)) {
      rs.next();
      return nodeOf.apply(rs.getInt(1));
    }
  }

  private static void pause(long millis) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** Commits on {@code node} after {@code sinceNanos}. */
  long commitsOn(String node, long sinceNanos) {
    return commits.stream().filter(c -> c.node().equals(node) && c.atNanos() - sinceNanos > 0).count();
  }

  /** The first commit on {@code node} after {@code sinceNanos}, or -1. */
  long firstCommitOn(String node, long sinceNanos) {
    return commits.stream().filter(c -> c.node().equals(node) && c.atNanos() - sinceNanos > 0)
        .mapToLong(Commit::atNanos).min().orElse(-1);
  }

  /** Stops the threads and waits for them. */
  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while stopping the load", e);
      }
    }
  }
}
