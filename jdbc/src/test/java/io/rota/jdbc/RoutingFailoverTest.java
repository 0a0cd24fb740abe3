package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointState;
import io.rota.jdbc.StubStatement.Execution;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replicas that cannot be reached, die under a read, or fail a statement. */
class RoutingFailoverTest extends RoutingTestSupport {

  private static final String QUERY = "SELECT name FROM users WHERE id = ? AND kind = ?";

  private static SQLException connectionLost() {
    return new SQLException("An I/O error occurred while sending to the backend", "08006");
  }

  // --- Replicas that cannot be reached.

  @Test
  void aPrimaryUnreachableFromTheStartIsReportedDownAfterItsFirstCheck() {
    primary.refuseConnections();
    RoutingDataSource ds = builder().build();
    built.add(ds);

    await(() -> ds.snapshot().primary().state() == EndpointState.DOWN, "the primary reported down");
    assertThat(ds.snapshot().primary().role()).isEqualTo(RoutingSnapshot.Role.UNKNOWN);
    primary.acceptConnections();
    await(() -> ds.snapshot().primary().state() == EndpointState.HEALTHY, "the primary back");
  }

  @Test
  void aReplicaThatRefusesAConnectionIsSkippedForTheNextReplica() throws SQLException {
    RoutingDataSource ds = routing();
    StubDataSource.refuseNextConnectionOnAnyOf(r1, r2); // whichever the balancer asks first

    String servedBy = readOnlyRead(ds);

    assertThat(servedBy).isIn("r1", "r2");
    StubDataSource refused = otherReplica(servedBy);
    assertThat(refused.workLogins()).extracting(StubDataSource.Login::refused).containsExactly(true);
    assertThat(refused.work()).isEmpty();
    assertThat(node(servedBy).work()).hasSize(1);
    assertThat(primary.workLogins()).isEmpty();
    assertThat(ds.snapshot().fallbacks()).isZero();
    assertThat(ds.snapshot().replica(refused.name).failures()).isEqualTo(1);
  }

  @Test
  void whenEveryReplicaRefusesConnectionsReadOnlyWorkFallsBackToThePrimary() throws SQLException {
    RoutingDataSource ds = routing();
    r1.refuseConnections();
    r2.refuseConnections();

    String servedBy = readOnlyRead(ds);

    assertThat(servedBy).isEqualTo("primary");
    assertThat(r1.workLogins()).extracting(StubDataSource.Login::refused).containsExactly(true);
    assertThat(r2.workLogins()).extracting(StubDataSource.Login::refused).containsExactly(true);
    assertThat(primary.work()).hasSize(1);
    assertThat(primary.work().get(0).readOnly).as("fallback connection is read-only").isTrue();
    RoutingSnapshot snapshot = ds.snapshot();
    assertThat(snapshot.fallbacks()).isEqualTo(1);
    assertThat(snapshot.primary().reads()).isEqualTo(1);
    assertThat(snapshot.primary().writes()).isZero();
  }

  @Test
  void withoutFallbackToPrimaryReadOnlyWorkFailsWith08001ListingTheReplicas() throws SQLException {
    RoutingDataSource ds = build(builder().fallbackToPrimary(false));
    r1.refuseConnections();
    r2.refuseConnections();

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);

      assertThatThrownBy(c::createStatement)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("fallbackToPrimary is off")
          .hasMessageContaining("r1")
          .hasMessageContaining("r2")
          .hasCauseInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }
    assertThat(primary.workLogins()).isEmpty();
    assertThat(ds.snapshot().fallbacks()).isZero();
  }

  @Test
  void aRefusingReplicaWithAHighWeightIsSkippedForTheOtherReplicaRatherThanThePrimary() throws SQLException {
    // The balancer starts at a random point of its period; with 10,000:1 the light replica is among
    // the first picks with a chance of 1 in 2,000, so this shows the behaviour nearly every run.
    StubDataSource heavy = new StubDataSource("heavy");
    StubDataSource light = new StubDataSource("light");
    RoutingDataSource ds = build(RoutingDataSource.builder()
        .primary("primary", primary)
        .replica("heavy", heavy, 10_000)
        .replica("light", light, 1));
    heavy.refuseConnections();

    String servedBy = readOnlyRead(ds);

    assertThat(servedBy).as("the class documentation: tries the next replica, then the primary").isEqualTo("light");
    assertThat(ds.snapshot().fallbacks()).isZero();
  }

  @Test
  void aReplicaMarkedDownByItsHealthCheckTakesNoReadsUntilItPassesAgain() throws SQLException {
    RoutingDataSource ds = build(builder().healthCheckIntervalMillis(10));

    r1.markDown();
    await(() -> ds.snapshot().replica("r1").state() == EndpointState.DOWN, "r1 down");
    for (int i = 0; i < 20; i++) {
      assertThat(readOnlyRead(ds)).isEqualTo("r2");
    }
    assertThat(r1.workLogins()).isEmpty();

    r1.markUp();
    await(() -> ds.snapshot().replica("r1").state() == EndpointState.HEALTHY, "r1 healthy again");
    int r1Before = r1.work().size();
    for (int i = 0; i < 20; i++) {
      readOnlyRead(ds);
    }
    assertThat(r1.work().size() - r1Before).isGreaterThan(0);
  }

  // --- A replica that dies under a read.

  @Test
  void anAutoCommitReadWhoseReplicaDiesIsReRunOnAnotherNodeWithTheSameParameters() throws SQLException {
    RoutingDataSource ds = routing();
    StubDataSource.failNextExecuteOnAnyOf(connectionLost(), r1, r2);

    String servedBy;
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(QUERY)) {
        ps.setFetchSize(50);
        ps.setInt(1, 42);
        ps.setString(2, "admin");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          servedBy = rs.getString(1);
        }
      }
    }

    assertThat(servedBy).isIn("r1", "r2");
    StubDataSource died = otherReplica(servedBy);
    Map<Object, Object> params = Map.of(1, 42, 2, "admin");
    assertThat(died.executions()).containsExactly(new Execution(died.name, "executeQuery", QUERY, params, true));
    assertThat(node(servedBy).executions())
        .containsExactly(new Execution(servedBy, "executeQuery", QUERY, params, false));
    StubConnection rerun = node(servedBy).work().get(0);
    assertThat(rerun.calls()).contains(StubConnection.Call.of("prepareStatement", QUERY));
    assertThat(rerun.statements().get(0).callsOf("setFetchSize")).containsExactly(List.of(50));
    assertThat(died.work().get(0).closed).as("the dead replica's connection is given back").isTrue();
    assertThat(ds.snapshot().replica(died.name).failures()).isEqualTo(1);
    assertThat(primary.workLogins()).isEmpty();
  }

  @Test
  void anAutoCommitReadWhoseEveryReplicaDiesIsReRunOnThePrimaryWhenTwoReRunsAreAllowed() throws SQLException {
    RoutingDataSource ds = build(builder().maxReruns(2));
    r1.failNextExecute(connectionLost());
    r2.failNextExecute(connectionLost());

    String servedBy;
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(QUERY)) {
        ps.setInt(1, 7);
        ps.setString(2, "guest");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          servedBy = rs.getString(1);
        }
      }
    }

    assertThat(servedBy).isEqualTo("primary");
    assertThat(primary.executions())
        .containsExactly(new Execution("primary", "executeQuery", QUERY, Map.of(1, 7, 2, "guest"), false));
    assertThat(r1.executions()).extracting(Execution::failed).containsExactly(true);
    assertThat(r2.executions()).extracting(Execution::failed).containsExactly(true);
    assertThat(ds.snapshot().fallbacks()).isEqualTo(1);
  }

  @Test
  void aStatementCreatedBeforeAReRunRunsOnTheNewReplicaWithoutBlamingIt() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      PreparedStatement first = c.prepareStatement(QUERY);
      PreparedStatement second = c.prepareStatement(QUERY);
      StubDataSource original = allWork().get(0).node;
      original.failNextExecute(connectionLost());

      first.setInt(1, 1);
      first.setString(2, "a");
      second.setInt(1, 2);
      second.setString(2, "b");
      String firstOn = servedBy(first);
      String secondOn = servedBy(second);

      assertThat(firstOn).isEqualTo(otherReplica(original.name).name);
      assertThat(secondOn).as("the connection's node now").isEqualTo(firstOn);
      assertThat(ds.snapshot().replica(firstOn).failures()).as("the healthy replica is not blamed").isZero();
      assertThat(ds.snapshot().fallbacks()).isZero();
      assertThat(primary.workLogins()).isEmpty();
    }
  }

  private static String servedBy(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aConnectionErrorInsideAReplicaTransactionCountsAgainstTheReplica() throws SQLException {
    RoutingDataSource ds = routing();
    String replica;

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      replica = read(c);
      node(replica).failNextExecute(connectionLost());
      assertThatThrownBy(() -> read(c)).isInstanceOf(SQLException.class);
    }

    assertThat(ds.snapshot().replica(replica).failures()).isEqualTo(1);
  }

  @Test
  void theFirstReadOfAReadOnlyTransactionWhoseReplicaDiesMovesTheWholeTransactionToTheOtherReplica()
      throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(QUERY)) {
        ps.setInt(1, 42);
        ps.setString(2, "admin");
        StubDataSource.failNextExecuteOnAnyOf(connectionLost(), r1, r2);

        ps.executeQuery().close(); // nothing of the transaction had run: it begins again elsewhere
        ps.executeQuery().close(); // and goes on there
      }
      c.commit();
    }

    List<Execution> executions = new java.util.ArrayList<>(r1.executions());
    executions.addAll(r2.executions());
    assertThat(executions).hasSize(3);
    assertThat(executions.stream().filter(Execution::failed)).hasSize(1);
    StubDataSource failed = r1.executions().stream().anyMatch(Execution::failed) ? r1 : r2;
    StubDataSource moved = failed == r1 ? r2 : r1;
    assertThat(moved.executions()).hasSize(2).noneMatch(Execution::failed);
    assertThat(primary.workLogins()).isEmpty();
  }

  @Test
  void aReplicaConnectionThatFailsBeforeAnyWorkRanIsSwappedForAnotherReplica() throws SQLException {
    RoutingDataSource ds = routing();
    StubDataSource.failNextSetAutoCommitOnAnyOf(connectionLost(), r1, r2);

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(QUERY)) {
        ps.setInt(1, 42);
        ps.setString(2, "admin");
        ps.executeQuery().close();
      }
      c.commit();
    }

    List<Execution> executions = new java.util.ArrayList<>(r1.executions());
    executions.addAll(r2.executions());
    assertThat(executions).hasSize(1).noneMatch(Execution::failed);
    assertThat(primary.workLogins()).isEmpty();
    assertThat(r1.workLogins().size() + r2.workLogins().size()).as("replica connections taken").isEqualTo(2);
  }

  @Test
  void whenEveryReplicaFailsBeforeWorkRanTheReadFailsClearlyAndNeverReachesThePrimary() throws SQLException {
    RoutingDataSource ds = build(builder().fallbackToPrimary(false));
    // Every replica connection handed out fails while being prepared.
    r1.failEverySetAutoCommit(connectionLost());
    r2.failEverySetAutoCommit(connectionLost());

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT 1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(e.getMessage()).contains("r1").contains("r2"));
    }
    assertThat(primary.workLogins()).isEmpty();
  }

  @Test
  void aReadFailingWithAStatementErrorIsNeverReRun() throws SQLException {
    RoutingDataSource ds = routing();
    StubDataSource.failNextExecuteOnAnyOf(
        new SQLException("relation \"users\" does not exist", "42P01"), r1, r2);

    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(QUERY)) {
        ps.setInt(1, 42);
        ps.setString(2, "admin");

        assertThatThrownBy(ps::executeQuery)
            .isInstanceOf(SQLException.class)
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
      }
    }

    List<StubConnection> work = allWork();
    assertThat(work).hasSize(1);
    assertThat(work.get(0).executions()).hasSize(1).allMatch(Execution::failed);
    assertThat(ds.snapshot().replica(work.get(0).node.name).failures()).isZero();
  }

  @Test
  void aWriteWhoseConnectionDiesIsNeverReRun() throws SQLException {
    RoutingDataSource ds = routing();
    primary.failNextExecute(connectionLost());

    try (Connection c = ds.getConnection()) {
      assertThatThrownBy(() -> write(c))
          .isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
    }

    assertThat(primary.executions()).hasSize(1);
    assertThat(primary.workLogins()).hasSize(1);
    assertThat(r1.workLogins()).isEmpty();
    assertThat(r2.workLogins()).isEmpty();
  }
}
