package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.jdbc.Delegation.Invocation;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The result set and metadata wrappers: plain delegation, but for whom they belong to. */
class RoutingResultSetTest {

  private static final Set<String> OWN = Set.of("getStatement()", "getConnection()", "unwrap(Class)",
      "isWrapperFor(Class)");

  private final List<Invocation> log = new ArrayList<>();
  private final ResultSet driver = Delegation.recorder(ResultSet.class, log);
  private final Statement owner = Delegation.stub(Statement.class);
  private final RoutingResultSet rs = new RoutingResultSet(driver, owner);

  @Test
  void everyMethodReachesTheDriversResultSetWithTheSameArgumentsAndReturnsItsAnswer() throws Exception {
    Delegation.assertDelegates(ResultSet.class, rs, log, OWN);
  }

  @Test
  void getStatementReturnsTheRoutingStatementNotTheDrivers() {
    assertThat(rs.getStatement()).isSameAs(owner);
    assertThat(log).isEmpty();
  }

  @Test
  void unwrapAnswersTheWrapperItselfFirstThenAsksTheDriver() throws SQLException {
    assertThat(rs.unwrap(ResultSet.class)).isSameAs(rs);
    assertThat(rs.unwrap(RoutingResultSet.class)).isSameAs(rs);
    assertThat(rs.isWrapperFor(Wrapper.class)).isTrue();
    assertThat(log).isEmpty();

    rs.unwrap(Runnable.class);
    rs.isWrapperFor(Runnable.class);

    assertThat(log).containsExactly(Invocation.of("unwrap(Class)", Runnable.class),
        Invocation.of("isWrapperFor(Class)", Runnable.class));
  }

  @Test
  void toStringNamesTheDriversResultSet() {
    assertThat(rs).hasToString("RoutingResultSet{ResultSetStub}");
  }

  @Test
  void everyMetadataMethodReachesTheDriversMetadataAndGetConnectionReturnsTheRoutingConnection()
      throws Exception {
    List<Invocation> calls = new ArrayList<>();
    Connection routing = Delegation.stub(Connection.class);
    RoutingDatabaseMetaData metaData = new RoutingDatabaseMetaData(
        Delegation.recorder(DatabaseMetaData.class, calls), routing);

    Delegation.assertDelegates(DatabaseMetaData.class, metaData, calls, OWN);
    calls.clear();
    assertThat(metaData.getConnection()).isSameAs(routing);
    assertThat(metaData.unwrap(DatabaseMetaData.class)).isSameAs(metaData);
    assertThat(metaData.isWrapperFor(RoutingDatabaseMetaData.class)).isTrue();
    assertThat(calls).isEmpty();
    assertThat(metaData).hasToString("RoutingDatabaseMetaData{DatabaseMetaDataStub}");
  }
}
