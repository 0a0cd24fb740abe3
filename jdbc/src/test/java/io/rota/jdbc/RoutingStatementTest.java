package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.Delegation.Invocation;
import io.rota.jdbc.StatementHost.Kind;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The statement wrappers: execute calls through the host, recording and replay, close. */
class RoutingStatementTest {

  private static final String SQL = "SELECT * FROM t WHERE a = ? AND b = ?";

  /** A host that runs each execute call on the statement's physical statement and logs it. */
  static final class FakeHost implements StatementHost {
    record Run(RoutingStatement statement, Kind kind, @Nullable String sql) {}

    final Connection connection = Delegation.stub(Connection.class);
    final List<Run> runs = new ArrayList<>();
    final List<RoutingStatement> closed = new ArrayList<>();
    @Nullable SQLException failNext;

    @Override
    public Connection connection() {
      return connection;
    }

    @Override
    public <T> T execute(RoutingStatement statement, Kind kind, @Nullable String sql, Execution<T> call)
        throws SQLException {
      runs.add(new Run(statement, kind, sql));
      SQLException failure = failNext;
      if (failure != null) {
        failNext = null;
        throw failure;
      }
      return call.run(statement.physical());
    }

    @Override
    public void statementClosed(RoutingStatement statement) {
      closed.add(statement);
    }
  }

  private final FakeHost host = new FakeHost();
  private final List<Invocation> first = new ArrayList<>();
  private final List<Invocation> second = new ArrayList<>();

  private RoutingPreparedStatement prepared() {
    return new RoutingPreparedStatement(host, (c, sql) -> c.prepareStatement(sql), SQL,
        Delegation.recorder(PreparedStatement.class, first), "binding-1");
  }

  private RoutingCallableStatement callable() {
    return new RoutingCallableStatement(host, (c, sql) -> c.prepareCall(sql), SQL,
        Delegation.recorder(CallableStatement.class, first), "binding-1");
  }

  /** A physical connection whose prepareStatement and prepareCall answer {@code statement}. */
  private static Connection connectionMaking(Statement statement, List<String> calls) {
    return (Connection) Proxy.newProxyInstance(RoutingStatementTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          calls.add(m.getName() + "(" + a[0] + ")");
          return statement;
        });
  }

  // --- Delegation.

  @Test
  void everyMethodReachesThePhysicalStatementWithTheSameArgumentsAndReturnsItsAnswer() throws Exception {
    Set<String> own = Set.of("getConnection()", "close()", "isClosed()", "unwrap(Class)", "isWrapperFor(Class)");

    Delegation.assertDelegates(CallableStatement.class, callable(), first, own);
  }

  @Test
  void executeCallsGoThroughTheHostWithTheirKindAndSql() throws SQLException {
    RoutingStatement plain = new RoutingStatement(host, (c, sql) -> c.createStatement(), null,
        Delegation.recorder(Statement.class, first), "binding-1");
    RoutingPreparedStatement ps = prepared();

    ResultSet rs = plain.executeQuery("SELECT 1");
    plain.executeUpdate("UPDATE t SET a = 1", Statement.RETURN_GENERATED_KEYS);
    plain.execute("CALL p()", new String[] {"id"});
    plain.executeLargeUpdate("DELETE FROM t", new int[] {1});
    plain.executeBatch();
    ps.executeQuery();
    ps.executeUpdate();
    ps.execute();
    ps.executeLargeUpdate();
    ps.executeLargeBatch();

    assertThat(host.runs).extracting(FakeHost.Run::statement).containsOnly(plain, ps).hasSize(10);
    assertThat(host.runs).extracting(FakeHost.Run::kind).containsExactly(Kind.QUERY, Kind.UPDATE, Kind.EXECUTE,
        Kind.UPDATE, Kind.BATCH, Kind.QUERY, Kind.UPDATE, Kind.EXECUTE, Kind.UPDATE, Kind.BATCH);
    assertThat(host.runs).extracting(FakeHost.Run::sql).containsExactly("SELECT 1", "UPDATE t SET a = 1",
        "CALL p()", "DELETE FROM t", null, SQL, SQL, SQL, SQL, SQL);
    assertThat(rs).isInstanceOf(RoutingResultSet.class);
    assertThat(rs.getStatement()).isSameAs(plain);
  }

  @Test
  void everyExecuteMethodGoesThroughTheHost() throws Exception {
    RoutingCallableStatement cs = callable();
    int executes = 0;
    for (Method m : WrapperGenerator.interfaceMethods(CallableStatement.class)) {
      if (m.getName().startsWith("execute")) {
        m.invoke(cs, Delegation.arguments(m));
        executes++;
      }
    }

    assertThat(executes).isEqualTo(19); // 15 of Statement, 4 of PreparedStatement
    assertThat(host.runs).hasSize(executes);
  }

  @Test
  void resultSetsOfTheStatementReturnTheRoutingStatement() throws SQLException {
    RoutingPreparedStatement ps = prepared();

    assertThat(ps.getResultSet().getStatement()).isSameAs(ps);
    assertThat(ps.getGeneratedKeys().getStatement()).isSameAs(ps);
    assertThat(ps.executeQuery().getStatement()).isSameAs(ps);
  }

  @Test
  void getConnectionReturnsTheRoutingConnectionAndThrowsOnceClosed() throws SQLException {
    RoutingPreparedStatement ps = prepared();

    assertThat(ps.getConnection()).isSameAs(host.connection);
    ps.close();
    assertThatThrownBy(ps::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
  }

  @Test
  void unwrapAnswersTheWrapperItselfFirstThenAsksThePhysicalStatement() throws SQLException {
    RoutingPreparedStatement ps = prepared();

    assertThat(ps.unwrap(PreparedStatement.class)).isSameAs(ps);
    assertThat(ps.unwrap(RoutingStatement.class)).isSameAs(ps);
    assertThat(ps.isWrapperFor(Statement.class)).isTrue();
    assertThat(first).isEmpty();
    ps.unwrap(Runnable.class);
    assertThat(first).containsExactly(Invocation.of("unwrap(Class)", Runnable.class));
    assertThat(ps).hasToString("RoutingStatement{PreparedStatementStub}");
  }

  // --- Close.

  @Test
  void closeClosesThePhysicalStatementAndTellsTheHostOnce() throws SQLException {
    RoutingPreparedStatement ps = prepared();

    ps.close();
    ps.close();

    assertThat(host.closed).containsExactly(ps);
    assertThat(first).containsExactly(Invocation.of("close()"));
    assertThat(ps.isClosed()).isTrue();
  }

  @Test
  void isClosedAsksThePhysicalStatementWhileOpen() throws SQLException {
    RoutingPreparedStatement ps = prepared();

    assertThat(ps.isClosed()).isTrue(); // what the stub answers
    assertThat(first).containsExactly(Invocation.of("isClosed()"));
  }

  // --- Recording and replay.

  @Test
  void recreateReplaysTheSettingsThenTheLatestParametersOnTheNewStatement() throws SQLException {
    RoutingPreparedStatement ps = prepared();
    PreparedStatement next = Delegation.recorder(PreparedStatement.class, second);
    List<String> made = new ArrayList<>();

    ps.setFetchSize(50);
    ps.setInt(2, 1);
    ps.setString(1, "a");
    ps.setMaxRows(10);
    ps.setInt(2, 7);
    ps.setFetchSize(100);
    ps.setObject(3, "x", Types.VARCHAR);
    ps.closeOnCompletion();
    ps.recreate(connectionMaking(next, made), "binding-2");

    assertThat(first).last().isEqualTo(Invocation.of("close()"));
    assertThat(made).containsExactly("prepareStatement(" + SQL + ")");
    assertThat(second).containsExactly(
        Invocation.of("setMaxRows(int)", 10),
        Invocation.of("setFetchSize(int)", 100),
        Invocation.of("closeOnCompletion()"),
        Invocation.of("setString(int,String)", 1, "a"),
        Invocation.of("setInt(int,int)", 2, 7),
        Invocation.of("setObject(int,Object,int)", 3, "x", Types.VARCHAR));
    assertThat(ps.physical()).isSameAs(next);
    assertThat(ps.boundTo()).isEqualTo("binding-2");
  }

  @Test
  void clearParametersDropsTheParametersButNotTheSettingsNorTheOutRegistrations() throws SQLException {
    RoutingCallableStatement cs = callable();
    CallableStatement next = Delegation.recorder(CallableStatement.class, second);

    cs.setQueryTimeout(5);
    cs.registerOutParameter(1, Types.INTEGER);
    cs.registerOutParameter("total", JDBCType.BIGINT);
    cs.setInt(2, 3);
    cs.setString("name", "a");
    cs.clearParameters();
    cs.setString("name", "b");
    cs.setLong(2, 4L);
    cs.recreate(connectionMaking(next, new ArrayList<>()), "binding-2");

    assertThat(second).containsExactly(
        Invocation.of("setQueryTimeout(int)", 5),
        Invocation.of("registerOutParameter(int,int)", 1, Types.INTEGER),
        Invocation.of("registerOutParameter(String,SQLType)", "total", JDBCType.BIGINT),
        Invocation.of("setLong(int,long)", 2, 4L),
        Invocation.of("setString(String,String)", "name", "b"));
  }

  @Test
  void aCallTheDriverRejectedIsNotReplayed() throws SQLException {
    PreparedStatement rejecting = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
          throw new SQLException("no parameter " + (a == null ? "" : a[0]));
        });
    RoutingPreparedStatement ps = new RoutingPreparedStatement(host, (c, sql) -> c.prepareStatement(sql), SQL,
        rejecting, "binding-1");

    assertThatThrownBy(() -> ps.setInt(9, 1)).hasMessage("no parameter 9");
    ps.recreate(connectionMaking(Delegation.recorder(PreparedStatement.class, second), new ArrayList<>()), "b");

    assertThat(second).isEmpty();
  }

  @Test
  void aReplayThatFailsClosesTheNewStatementAndKeepsTheOldBinding() throws SQLException {
    RoutingPreparedStatement ps = prepared();
    PreparedStatement failing = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
          second.add(Invocation.of(m.getName()));
          if (m.getName().equals("close")) {
            return null;
          }
          throw new SQLException("gone", "08006");
        });
    ps.setInt(1, 1);

    assertThatThrownBy(() -> ps.recreate(connectionMaking(failing, new ArrayList<>()), "binding-2"))
        .hasMessage("gone");
    assertThat(second).containsExactly(Invocation.of("setInt"), Invocation.of("close"));
    assertThat(ps.boundTo()).isEqualTo("binding-1");
  }

  @Test
  void aStreamParameterCannotBeReplayedUntilClearParameters() throws SQLException {
    RoutingPreparedStatement ps = prepared();
    assertThat(ps.canReplay()).isTrue();

    ps.setBinaryStream(1, new ByteArrayInputStream(new byte[1]));

    assertThat(ps.canReplay()).isFalse();
    assertThatThrownBy(() -> ps.recreate(connectionMaking(ps, new ArrayList<>()), "binding-2"))
        .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("stream");
    assertThat(ps.boundTo()).isEqualTo("binding-1");
    assertThat(first).doesNotContain(Invocation.of("close()"));

    ps.clearParameters();

    assertThat(ps.canReplay()).isTrue();
  }

  @Test
  void setObjectWithAReaderCannotBeReplayedButWithAPlainValueCan() throws SQLException {
    RoutingPreparedStatement ps = prepared();

    ps.setObject(1, 42);
    assertThat(ps.canReplay()).isTrue();
    ps.setObject(2, new StringReader("text"), Types.CLOB);
    assertThat(ps.canReplay()).isFalse();
  }

  @Test
  void aPendingBatchCannotBeReplayedUntilExecutedOrCleared() throws SQLException {
    RoutingPreparedStatement ps = prepared();

    ps.addBatch();
    assertThat(ps.canReplay()).isFalse();
    ps.executeBatch();
    assertThat(ps.canReplay()).isTrue();

    ps.addBatch("INSERT INTO t VALUES (1)");
    assertThat(ps.canReplay()).isFalse();
    ps.clearBatch();
    assertThat(ps.canReplay()).isTrue();

    ps.addBatch();
    host.failNext = new SQLException("batch failed");
    assertThatThrownBy(ps::executeBatch).hasMessage("batch failed");
    assertThat(ps.canReplay()).isTrue();
  }

  // --- The rules that moved from StatementProxy.

  @Test
  void looksReadOnlySkipsCommentsAndParentheses() {
    assertThat(RoutingStatement.looksReadOnly(" -- c\n/* d */ (SELECT 1)")).isTrue();
    assertThat(RoutingStatement.looksReadOnly("show tables")).isTrue();
    assertThat(RoutingStatement.looksReadOnly("INSERT INTO t VALUES (1) RETURNING id")).isFalse();
    assertThat(RoutingStatement.looksReadOnly(null)).isFalse();
  }

  @Test
  void looksReadOnlyMatchesKeywordsInAnyAsciiCaseOnly() {
    assertThat(RoutingStatement.looksReadOnly("SeLeCt 1")).isTrue();
    assertThat(RoutingStatement.looksReadOnly("EXPLAIN ANALYZE SELECT 1")).isTrue();
    assertThat(RoutingStatement.looksReadOnly("Values (1)")).isTrue();
    assertThat(RoutingStatement.looksReadOnly("TABLE t")).isTrue();
    assertThat(RoutingStatement.looksReadOnly("  select")).isTrue(); // the keyword ends the text
    assertThat(RoutingStatement.looksReadOnly("sel")).isFalse(); // shorter than the keyword
    assertThat(RoutingStatement.looksReadOnly("  ")).isFalse();
    assertThat(RoutingStatement.looksReadOnly("UPDATE t SET a = 1")).isFalse();
    // Non-ASCII letters that upper-case to ASCII ones are not keyword letters (as with toLowerCase).
    assertThat(RoutingStatement.looksReadOnly("\u017Felect 1")).isFalse();
    assertThat(RoutingStatement.looksReadOnly("EXPLA\u0130N SELECT 1")).isFalse();
  }

  @Test
  void isSettingTellsStatementSettingsFromParameters() {
    assertThat(RoutingStatement.isSetting("setFetchSize")).isTrue();
    assertThat(RoutingStatement.isSetting("setLargeMaxRows")).isTrue();
    assertThat(RoutingStatement.isSetting("setInt")).isFalse();
  }
}
