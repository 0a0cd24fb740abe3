package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions decide, read-only scopes only hint: the JDBC calls in the order Spring's
 * {@code DataSourceTransactionManager} makes them, on a real primary and two streaming replicas.
 */
class RealUseTransactionIT extends RealUseSupport {

  @BeforeEach
  void build() {
    ds = builder("real-use").build();
    ItSupport.awaitReplicasHealthy(ds);
  }

  /** Work inside a read-write transaction that writes rows named {@code name}. */
  private interface TransactionWork {
    void run(Connection c, String name) throws SQLException;
  }

  /**
   * Runs a transaction as Spring does for {@code @Transactional}: auto-commit off, the work, commit;
   * then asserts that the one row the work inserted is committed on the primary.
   */
  private void assertCommittedOnPrimary(String rule, TransactionWork work) throws SQLException {
    String name = unique(rule);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      work.run(c, name);
      c.commit();
    }
    assertThat(countOn(0, name)).as("committed rows on the primary").isEqualTo(1);
  }

  @Test
  void t1_aReadOnlyScopeJoiningARunningReadWriteTransactionRunsOnThePrimaryAndTheInsertIsCommitted() throws SQLException {
    assertCommittedOnPrimary("t1", (c, name) -> {
      insert(c, name);
      // A @Transactional(readOnly = true) / @ReadOnly method joining the outer transaction.
      String inScope = RoutingDataSource.readOnly(() -> nodeOf(c));
      assertThat(inScope).as("node of the SELECT in the joined read-only scope").isEqualTo("primary");
    });
  }

  @Test
  void t2_aTransactionStartedBeforeTheReadOnlyScopeIsEnteredRunsOnThePrimaryAndMayWrite() throws SQLException {
    assertCommittedOnPrimary("t2", (c, name) -> {
      String firstStatementOn = RoutingDataSource.readOnly(() -> {
        String node = nodeOf(c); // the transaction's first statement
        insert(c, name);
        return node;
      });
      assertThat(firstStatementOn).as("node of the transaction's first statement, in the scope").isEqualTo("primary");
    });
  }

  @Test
  void t3_aReadOnlyTransactionRunsOnAReplicaAndSpringsCleanupOrderSendsTheNextWorkToThePrimary() throws SQLException {
    String name = unique("t3");
    try (Connection c = ds.getConnection()) {
      beginReadOnlyTransaction(c);
      assertThat(nodeOf(c)).startsWith("replica-");
      c.commit();
      resetAfterReadOnlyTransaction(c);
      assertThat(nodeOf(c)).isEqualTo("primary");
      insert(c, name);
    }
    assertThat(countOn(0, name)).isEqualTo(1);
  }

  @Test
  void t4_aReadOnlyTransactionThatInsertsGetsTheDatabasesReadOnlyErrorAndTheRowIsNowhere() throws SQLException {
    String name = unique("t4");
    try (Connection c = ds.getConnection()) {
      beginReadOnlyTransaction(c);
      assertThatThrownBy(() -> insert(c, name))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(READ_ONLY_SQL_TRANSACTION));
      c.rollback();
    }
    assertRowNowhere(name);
  }

  @Test
  void t5_setReadOnlyTrueInsideARunningWriteTransactionIsIgnoredTheTransactionStaysOnThePrimaryAndCommits()
      throws SQLException {
    assertCommittedOnPrimary("t5", (c, name) -> {
      insert(c, name);
      c.setReadOnly(true); // Spring: an inner readOnly = true that joins
      assertThat(nodeOf(c)).as("node of the SELECT after setReadOnly(true)").isEqualTo("primary");
    });
  }
}
