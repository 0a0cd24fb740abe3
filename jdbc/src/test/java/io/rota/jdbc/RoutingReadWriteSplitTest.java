package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which node work goes to: read-only to replicas by weight, the rest to the primary, transactions stay. */
class RoutingReadWriteSplitTest extends RoutingTestSupport {

  @Test
  void readOnlyWorkSpreadsOverTheReplicasByWeight() throws SQLException {
    RoutingDataSource ds = routing();
    int n = 4_000;

    int servedByR1 = 0;
    int servedByR2 = 0;
    for (int i = 0; i < n; i++) {
      String node = readOnlyRead(ds);
      if (node.equals("r1")) {
        servedByR1++;
      } else if (node.equals("r2")) {
        servedByR2++;
      }
    }

    assertThat(servedByR1 + servedByR2).isEqualTo(n);
    assertThat(servedByR1).isCloseTo(3_000, withinPercentage(5));
    assertThat(servedByR2).isCloseTo(1_000, withinPercentage(5));
    assertThat(r1.work()).hasSize(servedByR1).allMatch(c -> c.closed);
    assertThat(r2.work()).hasSize(servedByR2).allMatch(c -> c.closed);
    assertThat(primary.workLogins()).isEmpty();
    assertThat(ds.snapshot().replica("r1").reads()).isEqualTo(servedByR1);
    assertThat(ds.snapshot().replica("r2").reads()).isEqualTo(servedByR2);
    assertThat(ds.snapshot().fallbacks()).isZero();
  }

  @Test
  void workNotMarkedReadOnlyGoesToThePrimary() throws SQLException {
    RoutingDataSource ds = routing();

    for (int i = 0; i < 10; i++) {
      assertThat(plainRead(ds)).isEqualTo("primary");
      autoCommitWrite(ds);
    }

    assertThat(primary.work()).hasSize(20).allMatch(c -> !c.readOnly && c.closed);
    assertThat(r1.workLogins()).isEmpty();
    assertThat(r2.workLogins()).isEmpty();
    assertThat(ds.snapshot().primary().writes()).isEqualTo(20);
  }

  @Test
  void aTransactionThatStartsWithASelectWithoutSetReadOnlyRunsWhollyOnThePrimary() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      assertThat(read(c)).isEqualTo("primary");
      try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM accounts WHERE id = ? FOR UPDATE")) {
        ps.setInt(1, 7);
        ps.executeQuery().close();
      }
      write(c);
      c.commit();
    }

    assertThat(primary.work()).hasSize(1);
    StubConnection physical = primary.work().get(0);
    assertThat(physical.executions()).hasSize(3);
    assertThat(physical.callNames()).contains("commit");
    assertThat(r1.workLogins()).isEmpty();
    assertThat(r2.workLogins()).isEmpty();
  }

  @Test
  void aReadOnlyTransactionRunsWhollyOnOneReplica() throws SQLException {
    RoutingDataSource ds = routing();

    List<String> servedBy = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      // Four statements: were they balanced one by one, weights 3:1 would send one to each replica.
      for (int i = 0; i < 4; i++) {
        servedBy.add(read(c));
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
        ps.setLong(1, 1L);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          servedBy.add(rs.getString(1));
        }
      }
      c.commit();
    }

    assertThat(servedBy).hasSize(5).containsOnly(servedBy.get(0));
    assertThat(servedBy.get(0)).isIn("r1", "r2");
    List<StubConnection> work = allWork();
    assertThat(work).hasSize(1);
    StubConnection physical = work.get(0);
    assertThat(physical.executions()).hasSize(5);
    assertThat(physical.readOnly).isTrue();
    assertThat(physical.callNames()).contains("commit");
    assertThat(physical.closed).isTrue();
  }

  /**
   * Spring's DataSourceTransactionManager for {@code @Transactional(readOnly = true)}: read-only and
   * auto-commit off before the first statement, commit, then the reset (the brief's order, and the
   * order Spring itself uses: auto-commit first, then read-only), and later a write on the same
   * connection.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void afterASpringReadOnlyTransactionAWriteOnTheSameConnectionGoesToThePrimary(boolean readOnlyResetFirst)
      throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      String replica = read(c);
      c.commit();
      if (readOnlyResetFirst) {
        c.setReadOnly(false);
        c.setAutoCommit(true);
      } else {
        c.setAutoCommit(true);
        c.setReadOnly(false);
      }

      assertThat(replica).isIn("r1", "r2");
      StubConnection replicaConnection = node(replica).work().get(0);
      assertThat(replicaConnection.closed).as("replica connection returned").isTrue();
      assertThat(replicaConnection.callNames()).contains("commit");

      write(c);

      assertThat(primary.work()).hasSize(1);
      StubConnection primaryConnection = primary.work().get(0);
      assertThat(primaryConnection.executions()).extracting(StubStatement.Execution::sql).containsExactly(UPDATE);
      assertThat(primaryConnection.readOnly).isFalse();
      assertThat(primaryConnection.autoCommit).isTrue();
      assertThat(node(replica).executions()).extracting(StubStatement.Execution::sql).containsExactly(SELECT);
    }
    assertThat(primary.work().get(0).closed).isTrue();
  }

  @Test
  void setReadOnlyFalseInsideAReplicaTransactionFailsWith25001NamingTheReplica() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      String replica = read(c);

      assertThatThrownBy(() -> c.setReadOnly(false))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("'" + replica + "'")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25001");

      // The transaction is still usable, on the same replica, and still read-only.
      assertThat(c.isReadOnly()).isTrue();
      assertThat(read(c)).isEqualTo(replica);
      c.commit();

      // Outside the transaction the change is allowed and routes the next work again.
      c.setReadOnly(false);
      write(c);
      c.commit();

      assertThat(node(replica).work()).hasSize(1);
      assertThat(node(replica).work().get(0).closed).isTrue();
      assertThat(node(replica).work().get(0).readOnly).isTrue();
      assertThat(primary.executions()).extracting(StubStatement.Execution::sql).containsExactly(UPDATE);
    }
  }

  @Test
  void changingReadOnlyInAutoCommitModeRoutesTheNextWorkAgain() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      String first = read(c);
      c.setReadOnly(false);
      String second = read(c);
      write(c);
      c.setReadOnly(true);
      String third = read(c);

      assertThat(first).isIn("r1", "r2");
      assertThat(second).isEqualTo("primary");
      assertThat(third).isIn("r1", "r2");
      assertThat(primary.work()).hasSize(1);
      assertThat(primary.work().get(0).closed).as("primary connection returned on the switch back").isTrue();
      assertThat(primary.executions()).extracting(StubStatement.Execution::sql).containsExactly(SELECT, UPDATE);
      assertThat(r1.work().size() + r2.work().size()).isEqualTo(2);
      assertThat(node(first).work().get(0).closed).isTrue();
    }
  }

  @Test
  void setReadOnlyToTheSameValueKeepsTheBinding() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      String first = read(c);
      c.setReadOnly(true);
      String second = read(c);

      assertThat(second).isEqualTo(first);
      assertThat(allWork()).hasSize(1);
    }
  }

  @Test
  void aReplicaWithWeightZeroTakesNoReads() throws SQLException {
    StubDataSource drained = new StubDataSource("r3");
    RoutingDataSource ds = build(builder().replica("r3", drained, 0));

    for (int i = 0; i < 40; i++) {
      assertThat(readOnlyRead(ds)).isIn("r1", "r2");
    }
    assertThat(drained.workLogins()).isEmpty();
  }

  @Test
  void aStatementReadsTheNodeOfItsConnection() throws SQLException {
    // Sanity check of the stubs the other tests rely on.
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(SELECT)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("primary");
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
