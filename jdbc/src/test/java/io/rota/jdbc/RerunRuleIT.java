package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rota.core.EndpointState;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A failed read is re-run elsewhere only when it provably changed nothing and lost its connection
 * before a result, at most {@code maxReruns} times; a query or socket timeout, and a write refused
 * by a replica, are the caller's error. Which nodes ran a statement is watched in
 * {@code pg_stat_activity} by a marker in its SQL.
 */
class RerunRuleIT extends RealUseSupport {

  /** How long the nodes are still watched after the call returned. */
  private static final Duration AFTER = Duration.ofSeconds(1);

  private void build(RoutingDataSourceBuilder builder) {
    ds = builder.build();
    ItSupport.awaitReplicasHealthy(ds);
  }

  /** A statement on a fresh read-only, auto-commit routing connection. */
  private interface ReadOnlyWork {
    void run(Statement st) throws SQLException;
  }

  /** Runs the work on a read-only auto-commit connection and returns what it threw, or null. */
  private Throwable readOnly(ReadOnlyWork work) {
    return catchThrowable(() -> {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        try (Statement st = c.createStatement()) {
          work.run(st);
        }
      }
    });
  }

  /**
   * Asserts that the call failed with an SQLException, ran on exactly one node, a replica, and that
   * replica is still HEALTHY, and what {@code more} checks of the failure; reports every miss at once.
   */
  private static void assertCallersErrorOnOneHealthyReplica(Throwable failure, Set<Integer> ran, RoutingDataSource ds,
      java.util.function.Consumer<SoftAssertions> more) {
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(ran).as("nodes that ran the statement").hasSize(1);
    soft.assertThat(failure).as("what the caller got").isInstanceOf(SQLException.class);
    if (ran.size() == 1) {
      int node = ran.iterator().next();
      soft.assertThat(node).as("the node that ran it (0 = primary)").isPositive();
      if (node > 0) {
        soft.assertThat(ds.snapshot().replica(ItSupport.nodeName(node)).state())
            .as("state of %s afterwards", ItSupport.nodeName(node)).isEqualTo(EndpointState.HEALTHY);
      }
    }
    if (failure != null) {
      more.accept(soft);
    }
    soft.assertAll();
  }

  /** A watch that ends the backend running the marked statement when first seen, noting its node in {@code killed}. */
  private static RealUseSupport.MarkerWatch endingFirstSighting(AtomicInteger killed) {
    return new RealUseSupport.MarkerWatch()
        .onFirstSighting((node, pid) -> {
          killed.set(node);
          cluster.terminateBackend(node, pid);
        })
        .start();
  }

  @Test
  void r1_aQueryTimeoutOnAReplicaIsTheCallersError57014RunOnOneNodeThatStaysHealthy() {
    build(builder("r1"));
    RealUseSupport.MarkerWatch watch = new RealUseSupport.MarkerWatch().start();
    Throwable failure = readOnly(st -> {
      st.setQueryTimeout(1);
      st.executeQuery("SELECT pg_sleep(4)" + watch.comment());
    });
    Set<Integer> ran = watch.nodesAfter(AFTER);
    assertCallersErrorOnOneHealthyReplica(failure, ran, ds,
        soft -> soft.assertThat(sqlState(failure)).as("SQLState").isEqualTo(QUERY_CANCELED));
  }

  @Test
  void r2_aSocketTimeoutOnAReplicaIsTheCallersErrorRunOnOneNodeThatIsNotMarkedDown() {
    build(builder("r2").replicaNetworkTimeout(Duration.ofSeconds(1)));
    RealUseSupport.MarkerWatch watch = new RealUseSupport.MarkerWatch().start();
    Throwable failure = readOnly(st -> st.executeQuery("SELECT pg_sleep(4)" + watch.comment()));
    Set<Integer> ran = watch.nodesAfter(AFTER);
    assertCallersErrorOnOneHealthyReplica(failure, ran, ds,
        soft -> soft.assertThat(causedBy(failure, SocketTimeoutException.class))
            .as("a SocketTimeoutException in the cause chain of %s", failure).isTrue());
  }

  @Test
  void r3_aWriteInAReadOnlyScopeFailsWith25006OnTheReplicaAndIsNotReRunOnThePrimary() throws SQLException {
    build(builder("r3"));
    String name = unique("r3");
    Throwable failure = catchThrowable(() -> RoutingDataSource.readOnly(() -> {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        return st.executeUpdate("INSERT INTO items (name) VALUES ('" + name + "')");
      }
    }));
    assertThat(failure).isInstanceOf(SQLException.class);
    assertThat(sqlState(failure)).isEqualTo(READ_ONLY_SQL_TRANSACTION);
    RoutingSnapshot.Node primary = ds.snapshot().primary();
    assertThat(primary.reads() + primary.writes()).as("connections routed to the primary").isZero();
    assertRowNowhere(name);
  }

  @Test
  void r4_aReadWhoseReplicaConnectionIsKilledUnderItIsReRunOnceElsewhereAndSucceeds() {
    build(builder("r4"));
    AtomicInteger killed = new AtomicInteger(-1);
    RealUseSupport.MarkerWatch watch = endingFirstSighting(killed);
    AtomicInteger servedBy = new AtomicInteger(-1);
    Throwable failure = readOnly(st -> {
      try (ResultSet rs = st.executeQuery("SELECT inet_server_port(), pg_sleep(2)" + watch.comment())) {
        rs.next();
        servedBy.set(cluster.nodeOfPort(rs.getInt(1)));
      }
    });
    Set<Integer> ran = watch.nodesAfter(AFTER);
    assertThat(failure).as("what the caller got").isNull();
    assertThat(killed.get()).as("the node whose backend was ended").isPositive();
    assertThat(servedBy.get()).as("the node that answered").isNotEqualTo(killed.get()).isNotNegative();
    assertThat(ran).as("nodes that ran the read").containsExactlyInAnyOrder(killed.get(), servedBy.get());
  }

  @Test
  void r4_withMaxRerunsZeroAReadWhoseReplicaConnectionIsKilledUnderItFailsToTheCaller() {
    build(builder("r4-no-rerun").maxReruns(0));
    RealUseSupport.MarkerWatch watch = new RealUseSupport.MarkerWatch()
        .onFirstSighting((node, pid) -> cluster.terminateBackend(node, pid))
        .start();
    Throwable failure = readOnly(st -> st.executeQuery("SELECT pg_sleep(2)" + watch.comment()));
    Set<Integer> ran = watch.nodesAfter(AFTER);
    assertThat(failure).as("what the caller got").isInstanceOf(SQLException.class);
    assertThat(ran).as("nodes that ran the read").hasSize(1);
  }

  /** Runs the work in a read-only transaction ({@code setReadOnly(true)}, then {@code setAutoCommit(false)}). */
  private Throwable readOnlyTransaction(ReadOnlyWork work) {
    return catchThrowable(() -> {
      try (Connection c = ds.getConnection()) {
        c.setReadOnly(true);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          work.run(st);
        }
        c.commit();
      }
    });
  }

  @Test
  void r5_theFirstStatementOfAReadOnlyTransactionWhoseReplicaConnectionIsKilledMovesTheWholeTransaction() {
    build(builder("r5"));
    AtomicInteger killed = new AtomicInteger(-1);
    RealUseSupport.MarkerWatch watch = endingFirstSighting(killed);
    AtomicInteger first = new AtomicInteger(-1);
    AtomicInteger second = new AtomicInteger(-1);
    AtomicInteger txids = new AtomicInteger();
    Throwable failure = readOnlyTransaction(st -> {
      try (ResultSet rs = st.executeQuery("SELECT inet_server_port(), txid_current_if_assigned(), pg_sleep(2)"
          + watch.comment())) {
        rs.next();
        first.set(cluster.nodeOfPort(rs.getInt(1)));
      }
      try (ResultSet rs = st.executeQuery("SELECT inet_server_port(), pg_is_in_recovery(),"
          + " current_setting('transaction_read_only')")) {
        rs.next();
        second.set(cluster.nodeOfPort(rs.getInt(1)));
        assertThat(rs.getBoolean(2)).as("the transaction runs on a replica").isTrue();
        assertThat(rs.getString(3)).as("transaction_read_only").isEqualTo("on");
        txids.incrementAndGet();
      }
    });
    Set<Integer> ran = watch.nodesAfter(AFTER);
    assertThat(failure).as("what the caller got").isNull();
    assertThat(killed.get()).as("the node whose backend was ended").isPositive();
    assertThat(first.get()).as("the node that answered the first statement").isNotEqualTo(killed.get()).isPositive();
    assertThat(second.get()).as("the rest of the transaction stays where it moved").isEqualTo(first.get());
    assertThat(ran).as("nodes that ran the first statement").containsExactlyInAnyOrder(killed.get(), first.get());
    assertThat(txids.get()).isEqualTo(1);
  }

  @Test
  void r6_aLaterStatementOfAReadOnlyTransactionIsNeverReRun() {
    build(builder("r6"));
    RealUseSupport.MarkerWatch watch = new RealUseSupport.MarkerWatch()
        .onFirstSighting((node, pid) -> cluster.terminateBackend(node, pid))
        .start();
    AtomicInteger first = new AtomicInteger(-1);
    Throwable failure = readOnlyTransaction(st -> {
      try (ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
        rs.next();
        first.set(cluster.nodeOfPort(rs.getInt(1)));
      }
      st.executeQuery("SELECT pg_sleep(2)" + watch.comment());
    });
    Set<Integer> ran = watch.nodesAfter(AFTER);
    assertThat(failure).as("what the caller got").isInstanceOf(SQLException.class);
    // The ended backend: 57P01 (admin shutdown) when the server says so, else a class 08 connection error.
    assertThat(sqlState(failure)).as("SQLState").matches("57P01|08...");
    assertThat(ran).as("nodes that ran the second statement").containsExactly(first.get());
  }
}
