package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.StubConnection.Call;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The lazy connection: recorded state, when it binds, and the JDBC connection contract. */
class LazyConnectionTest extends RoutingTestSupport {

  private final Executor executor = Runnable::run;

  // --- Recorded state, replayed on the physical connection.

  @Test
  void stateSettersTakeNoPhysicalConnectionAndTheFirstStatementReplaysThemOnTheReplica() throws SQLException {
    RoutingDataSource ds = routing();

    Connection c = ds.getConnection();
    c.setReadOnly(true);
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    c.setSchema("app");
    c.setCatalog("shop");
    c.setHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT);
    c.setNetworkTimeout(executor, 5_000);

    assertThat(c.isReadOnly()).isTrue();
    assertThat(c.getAutoCommit()).isFalse();
    assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    assertThat(c.getSchema()).isEqualTo("app");
    assertThat(c.getCatalog()).isEqualTo("shop");
    assertThat(c.getHoldability()).isEqualTo(ResultSet.CLOSE_CURSORS_AT_COMMIT);
    assertThat(c.getNetworkTimeout()).isEqualTo(5_000);
    assertThat(primary.workLogins()).isEmpty();
    assertThat(r1.workLogins()).isEmpty();
    assertThat(r2.workLogins()).isEmpty();

    Statement st = c.createStatement();

    assertThat(primary.workLogins()).isEmpty();
    List<StubConnection> bound = allWork();
    assertThat(bound).hasSize(1);
    StubConnection physical = bound.get(0);
    assertThat(physical.node.name).isIn("r1", "r2");
    List<Call> calls = physical.calls().stream().filter(x -> !x.method().startsWith("get")).collect(java.util.stream.Collectors.toList());
    assertThat(calls.subList(0, calls.size() - 1)).containsExactlyInAnyOrder(
        Call.of("setReadOnly", true),
        Call.of("setAutoCommit", false),
        Call.of("setTransactionIsolation", Connection.TRANSACTION_SERIALIZABLE),
        Call.of("setSchema", "app"),
        Call.of("setCatalog", "shop"),
        Call.of("setHoldability", ResultSet.CLOSE_CURSORS_AT_COMMIT),
        Call.of("setNetworkTimeout", executor, 5_000));
    assertThat(calls.get(calls.size() - 1)).isEqualTo(Call.of("createStatement"));
    assertThat(physical.readOnly).isTrue();
    assertThat(physical.autoCommit).isFalse();

    st.close();
    c.close();
    assertThat(physical.closed).isTrue();
  }

  @Test
  void theFirstPrepareStatementTakesAPrimaryConnectionAndReplaysTheStateOnIt() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setSchema("billing");
      c.setNetworkTimeout(executor, 1_000);
      assertThat(allWork()).isEmpty();

      PreparedStatement ps = c.prepareStatement("UPDATE t SET x = ? WHERE id = ?");

      assertThat(r1.workLogins()).isEmpty();
      assertThat(r2.workLogins()).isEmpty();
      assertThat(primary.work()).hasSize(1);
      List<Call> calls = primary.work().get(0).calls().stream().filter(x -> !x.method().startsWith("get")).collect(java.util.stream.Collectors.toList());
      assertThat(calls.subList(0, calls.size() - 1)).containsExactlyInAnyOrder(
          Call.of("setAutoCommit", false),
          Call.of("setTransactionIsolation", Connection.TRANSACTION_REPEATABLE_READ),
          Call.of("setSchema", "billing"),
          Call.of("setNetworkTimeout", executor, 1_000));
      assertThat(calls.get(calls.size() - 1)).isEqualTo(Call.of("prepareStatement", "UPDATE t SET x = ? WHERE id = ?"));

      // Once bound, setters go straight through.
      c.setSchema("audit");
      assertThat(primary.work().get(0).calls()).endsWith(Call.of("setSchema", "audit"));
      assertThat(primary.work().get(0).schema).isEqualTo("audit");
      ps.close();
    }
    assertThat(primary.work()).hasSize(1);
    assertThat(primary.work().get(0).closed).isTrue();
  }

  @Test
  void aConnectionClosedWithoutWorkNeverTouchesANode() throws SQLException {
    RoutingDataSource ds = routing();

    Connection c = ds.getConnection();
    c.setReadOnly(true);
    c.setAutoCommit(false);
    c.commit();
    c.rollback();
    c.close();

    assertThat(primary.workLogins()).isEmpty();
    assertThat(r1.workLogins()).isEmpty();
    assertThat(r2.workLogins()).isEmpty();
  }

  // --- Connection contract.

  @Test
  void aClosedConnectionRefusesUseWithSqlState08003() throws SQLException {
    RoutingDataSource ds = routing();
    Connection c = ds.getConnection();
    assertThat(c.isClosed()).isFalse();

    c.close();

    assertThat(c.isClosed()).isTrue();
    assertThat(c.isValid(1)).isFalse();
    assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    assertThatThrownBy(() -> c.prepareStatement(SELECT)).isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    assertThatThrownBy(() -> c.setAutoCommit(false)).isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    assertThatThrownBy(() -> c.setReadOnly(true)).isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    c.close(); // closing twice is a no-op
    assertThat(allWork()).isEmpty();
  }

  @Test
  void closingABoundConnectionReturnsThePhysicalOneAndItsStatementsStopWorking() throws SQLException {
    RoutingDataSource ds = routing();
    Connection c = ds.getConnection();
    Statement st = c.createStatement();
    st.executeUpdate(UPDATE);
    StubConnection physical = primary.work().get(0);

    c.close();

    assertThat(physical.closed).isTrue();
    assertThat(c.isClosed()).isTrue();
    assertThatThrownBy(() -> st.executeUpdate(UPDATE)).isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    assertThat(primary.executions()).hasSize(1);
  }

  @Test
  void closingOrAbortingAReplicaBoundConnectionReportsTheReplicaBackToItsPool() throws SQLException {
    RoutingDataSource ds = routing();

    Connection closed = ds.getConnection();
    closed.setReadOnly(true);
    String first = read(closed);
    assertThat(inFlight(ds, first)).isEqualTo(1);
    closed.close();
    assertThat(inFlight(ds, first)).isZero();

    Connection aborted = ds.getConnection();
    aborted.setReadOnly(true);
    String second = read(aborted);
    aborted.abort(executor);

    assertThat(aborted.isClosed()).isTrue();
    assertThat(node(second).work().get(node(second).work().size() - 1).callNames()).contains("abort");
    assertThat(inFlight(ds, "r1") + inFlight(ds, "r2")).as("calls in flight on the replicas").isZero();
  }

  private static int inFlight(RoutingDataSource ds, String replica) {
    return ds.snapshot().replica(replica).inFlight();
  }

  @Test
  void unwrapToConnectionReturnsTheRoutingConnectionWithoutBinding() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      assertThat(c.unwrap(Connection.class)).isSameAs(c);
      assertThat(c.isWrapperFor(Connection.class)).isTrue();
      assertThat(allWork()).isEmpty();
    }
  }

  @Test
  void statementsReturnTheRoutingConnection() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      Statement st = c.createStatement();
      PreparedStatement ps = c.prepareStatement(SELECT);
      CallableStatement cs = c.prepareCall("{call refresh()}");

      assertThat(st.getConnection()).isSameAs(c);
      assertThat(ps.getConnection()).isSameAs(c);
      assertThat(cs.getConnection()).isSameAs(c);
      assertThat(st.unwrap(Statement.class)).isSameAs(st);
      assertThat(ps).isInstanceOf(PreparedStatement.class);
      assertThat(cs).isInstanceOf(CallableStatement.class);
    }
  }

  @Test
  void resultSetsReturnTheRoutingStatement() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      Statement st = c.createStatement();
      ResultSet rs = st.executeQuery(SELECT);

      assertThat(rs.getStatement()).isSameAs(st);
      assertThat(rs.getStatement().getConnection()).isSameAs(c);
    }
  }

  @Test
  void metadataReturnsTheRoutingConnection() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection c = ds.getConnection()) {
      assertThat(c.getMetaData().getConnection()).isSameAs(c);
    }
  }
}
