package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The transaction rule and the re-run rule on stub nodes: which node each statement runs on, in the
 * order Spring's transaction manager and Hibernate call a connection. Each rule is tested on both sides.
 */
class TransactionRuleTest extends RoutingTestSupport {

  private static String node(Connection c) throws SQLException {
    return read(c);
  }

  // --- A transaction's kind is fixed when it begins.

  @Test
  void aReadOnlyScopeEnteredInsideAReadWriteTransactionDoesNotMoveItToAReplica() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      write(c);
      String inScope = RoutingDataSource.readOnly(() -> node(c));
      c.commit();
      assertThat(inScope).isEqualTo("primary");
    }
    assertThat(r1.work()).isEmpty();
    assertThat(r2.work()).isEmpty();
  }

  @Test
  void aReadOnlyScopeEnteredAfterSetAutoCommitFalseButBeforeTheFirstStatementStillGoesToThePrimary()
      throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      String first = RoutingDataSource.readOnly(() -> node(c));
      write(c);
      c.commit();
      assertThat(first).isEqualTo("primary");
    }
    assertThat(r1.work()).isEmpty();
    assertThat(r2.work()).isEmpty();
  }

  @Test
  void aTransactionBegunInsideAReadOnlyScopeRunsOnOneReplica() throws SQLException {
    RoutingDataSource ds = routing();
    String first;
    String second;
    try (Connection c = ds.getConnection()) {
      first = RoutingDataSource.readOnly(() -> {
        c.setAutoCommit(false);
        return node(c);
      });
      second = node(c); // scope left, transaction still read-only
      c.commit();
    }
    assertThat(first).isIn("r1", "r2");
    assertThat(second).isEqualTo(first);
    assertThat(primary.work()).isEmpty();
  }

  @Test
  void setReadOnlyTrueInsideATransactionThatRanOnThePrimaryKeepsItThereWithoutError() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      write(c);
      c.setReadOnly(true);
      assertThat(node(c)).isEqualTo("primary");
      c.commit();
      assertThat(c.isReadOnly()).isTrue();
      c.setAutoCommit(true);
      assertThat(node(c)).as("the flag applies from the next work").isIn("r1", "r2");
    }
    assertThat(primary.work()).hasSize(1);
    assertThat(primary.work().get(0).callNames()).doesNotContain("setReadOnly");
  }

  @Test
  void setReadOnlyTrueAfterSetAutoCommitFalseAndBeforeTheFirstStatementMakesAReadOnlyTransaction()
      throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      assertThat(node(c)).isIn("r1", "r2");
      c.commit();
    }
    assertThat(primary.work()).isEmpty();
  }

  @Test
  void setReadOnlyFalseInsideAReplicaTransactionFailsWith25001() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      node(c);
      assertThatThrownBy(() -> c.setReadOnly(false))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("runs on replica")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25001");
      c.rollback();
    }
  }

  // --- The pool's real defaults.

  @Test
  void withAPoolThatHandsOutAutoCommitOffConnectionsTheRoutingConnectionSaysSoBeforeBinding() throws SQLException {
    primary.autoCommitOff();
    r1.autoCommitOff();
    r2.autoCommitOff();
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      assertThat(c.getAutoCommit()).isFalse();
      assertThat(allWork()).isEmpty();
    }
  }

  @Test
  void withAutoCommitOffPoolsTheFirstStatementBeginsTheTransactionAndAScopeLaterIsIgnored() throws SQLException {
    primary.autoCommitOff();
    r1.autoCommitOff();
    r2.autoCommitOff();
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      write(c);
      assertThat(RoutingDataSource.readOnly(() -> node(c))).isEqualTo("primary");
      c.commit();
      // After the commit the next statement begins a new transaction, which a scope now routes.
      assertThat(RoutingDataSource.readOnly(() -> node(c))).isIn("r1", "r2");
      c.commit();
    }
    StubConnection onPrimary = primary.work().get(0);
    assertThat(onPrimary.callNames()).doesNotContain("setAutoCommit").contains("commit");
  }

  @Test
  void withAutoCommitOffPoolsAReadOnlyTransactionIsSetReadOnlyBeforeItsFirstStatement() throws SQLException {
    primary.autoCommitOff();
    r1.autoCommitOff();
    r2.autoCommitOff();
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThat(node(c)).isIn("r1", "r2");
      c.commit();
    }
    StubConnection replica = allWork().get(0);
    assertThat(replica.callNames()).containsSubsequence("setReadOnly", "createStatement", "commit");
  }

  // --- The re-run rule.

  @Test
  void byDefaultAReadIsReRunOnceSoASecondDeadReplicaFailsToTheCaller() throws SQLException {
    RoutingDataSource ds = routing();
    SQLException lost = new SQLException("An I/O error occurred while sending to the backend", "08006");
    r1.failNextExecute(lost);
    r2.failNextExecute(lost);
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThatThrownBy(() -> node(c)).isInstanceOf(SQLException.class).hasMessageContaining("failed");
    }
    assertThat(primary.executions()).isEmpty();
  }

  @Test
  void withMaxRerunsZeroAReadWhoseReplicaDiesFailsToTheCaller() throws SQLException {
    RoutingDataSource ds = build(builder().maxReruns(0));
    SQLException lost = new SQLException("An I/O error occurred while sending to the backend", "08006");
    StubDataSource.failNextExecuteOnAnyOf(lost, r1, r2);
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThatThrownBy(() -> node(c)).isInstanceOf(SQLException.class).hasMessageContaining("failed");
    }
    assertThat(primary.executions()).isEmpty();
  }

  @Test
  void aQueryTimeoutIsTheCallersErrorUnchangedAndNeverReRun() throws SQLException {
    RoutingDataSource ds = routing();
    assertReadFailsOnceWithTheSameErrorAndNoReplicaIsBlamed(ds,
        new SQLException("ERROR: canceling statement due to user request", "57014"));
  }

  /**
   * Fails the next read on a replica with {@code error}: the caller gets that very error, the read ran
   * once, and no replica counts a failure.
   */
  private void assertReadFailsOnceWithTheSameErrorAndNoReplicaIsBlamed(RoutingDataSource ds, SQLException error)
      throws SQLException {
    StubDataSource.failNextExecuteOnAnyOf(error, r1, r2);
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      assertThatThrownBy(() -> node(c)).isSameAs(error);
    }
    assertThat(allWork()).extracting(StubConnection::executions).flatExtracting(l -> l).hasSize(1);
    assertThat(ds.snapshot().replicas()).extracting(RoutingSnapshot.Node::failures).containsOnly(0L);
  }

  @Test
  void aSocketTimeoutOnAReplicaThatIsStillHealthyIsTheCallersErrorAndMarksNothingDown() throws SQLException {
    RoutingDataSource ds = build(builder()
        .healthCheckInterval(java.time.Duration.ofMillis(100)).healthCheckTimeout(java.time.Duration.ofMillis(50)));
    assertReadFailsOnceWithTheSameErrorAndNoReplicaIsBlamed(ds, new SQLException(
        "An I/O error occurred while sending to the backend", "08006", new SocketTimeoutException("Read timed out")));
  }

  @Test
  void aWriteInAReadOnlyScopeThatFailsOnTheReplicaIsNeverReRunOnThePrimary() throws SQLException {
    RoutingDataSource ds = routing();
    SQLException lost = new SQLException("An I/O error occurred while sending to the backend", "08006");
    StubDataSource.failNextExecuteOnAnyOf(lost, r1, r2);
    try (Connection c = ds.getConnection()) {
      assertThatThrownBy(() -> RoutingDataSource.readOnly(() -> {
        write(c);
        return null;
      })).isInstanceOf(SQLException.class);
    }
    assertThat(primary.executions()).isEmpty();
  }

  @Test
  void aReadInsideAReadOnlyTransactionIsNeverReRun() throws SQLException {
    RoutingDataSource ds = routing();
    SQLException lost = new SQLException("An I/O error occurred while sending to the backend", "08006");
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      String first = node(c);
      node(first).failNextExecute(lost);
      assertThatThrownBy(() -> node(c)).isInstanceOf(SQLException.class);
    }
    assertThat(primary.executions()).isEmpty();
  }

  // --- Rollback after the connection failed.

  /** As pgjdbc does after an I/O error: every call on the node's connections fails with 08003. */
  private static void closeConnectionsOf(StubDataSource node) {
    closeConnectionsOf(node, "08003");
  }

  /** Closes the node's connections; their calls then fail with {@code sqlState} (HikariCP's proxy: none). */
  private static void closeConnectionsOf(StubDataSource node, String sqlState) {
    node.allConnections().forEach(sc -> {
      sc.closedSqlState = sqlState;
      sc.closed = true;
    });
  }

  @Test
  void aRollbackAfterTheTransactionsConnectionFailedReturnsNormallySoTheFirstErrorReachesTheCaller()
      throws SQLException {
    RoutingDataSource ds = routing();
    SQLException lost = new SQLException("An I/O error occurred while sending to the backend", "08006");
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      String first = node(c);
      node(first).failNextExecute(lost);
      assertThatThrownBy(() -> node(c)).isInstanceOf(SQLException.class)
          .hasMessageContaining("Replica '" + first + "'").hasMessageContaining("I/O error");
      closeConnectionsOf(node(first));
      c.rollback(); // the transaction died with its connection: nothing to roll back, no second error
      String next = node(c);
      assertThat(next).as("the next transaction runs, on a connection that works").isNotNull();
      c.commit();
    }
  }

  @Test
  void aCommitThatLosesItsReplicaReturnsNormallyForTheReadOnlyTransactionWroteNothing() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      String first = node(c);
      closeConnectionsOf(node(first), null);
      c.commit(); // its reads were returned; there is nothing to lose
      assertThat(node(c)).as("the next transaction runs on a connection that works").isNotNull();
      c.commit();
    }
  }

  @Test
  void aCommitThatLosesThePrimaryFailsNamingItAndTheRollbackAfterItReturnsNormally() throws SQLException {
    RoutingDataSource ds = routing();
    for (String lost : new String[] {"57P01", "08003"}) { // server shut down; connection closed
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        write(c);
        closeConnectionsOf(primary, lost);
        assertThatThrownBy(c::commit).as("a commit's outcome is unknown once its connection is lost (%s)", lost)
            .isInstanceOf(SQLException.class).hasMessageContaining("Primary '");
        c.rollback(); // as Spring does after a failed commit: the first error must stay the caller's
      }
    }
  }

  @Test
  void aRollbackThatLosesItsConnectionReturnsNormallyWhateverItsError() throws SQLException {
    RoutingDataSource ds = routing();
    // pgjdbc's closed connection (08003), and HikariCP's "Connection is closed" with no SQLState
    for (String lost : new String[] {"08003", null}) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        write(c);
        closeConnectionsOf(primary, lost);
        c.rollback(); // the server ends the transaction with the session: nothing was committed
      }
    }
  }

  @Test
  void abortReturnsThePhysicalConnectionToItsPool() throws SQLException {
    RoutingDataSource ds = routing();
    Connection c = ds.getConnection();
    write(c);
    c.abort(Runnable::run);
    StubConnection physical = primary.work().get(0);
    assertThat(physical.callNames()).containsSubsequence("abort", "close");
    assertThat(c.isClosed()).isTrue();
    assertThat(c.isValid(1)).isFalse();
  }

  @Test
  void anUnboundConnectionIsValidOpenAndUnwrapsToItselfWithoutTakingAPhysicalConnection() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
      assertThat(c.isClosed()).isFalse();
      assertThat(c.isWrapperFor(Connection.class)).isTrue();
      assertThat(c.unwrap(Connection.class)).isSameAs(c);
      assertThat(c.isWrapperFor(Statement.class)).isFalse();
      assertThat(allWork()).isEmpty();
    }
  }
}
