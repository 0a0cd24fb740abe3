package io.rota.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Whose fault an error is: the node's, the statement's or the caller's, or nobody's. */
class SqlErrorsTest {

  private static SQLException state(String sqlState) {
    return new SQLException("x", sqlState);
  }

  @Test
  void connectionErrorsAreTheNodes() {
    assertThat(SqlErrors.isConnectionError(state("08006"))).isTrue();
    assertThat(SqlErrors.isConnectionError(state("57P01"))).as("admin shutdown").isTrue();
    assertThat(SqlErrors.isConnectionError(new SQLException("x", "HY000", new ConnectException("refused")))).isTrue();
    assertThat(SqlErrors.isConnectionError(state("42601"))).as("syntax error").isFalse();
    assertThat(SqlErrors.isConnectionError(state("23505"))).as("unique violation").isFalse();
    assertThat(SqlErrors.isConnectionError(null)).isFalse();
  }

  @Test
  void timeoutsAreTimeoutsAndNotConnectionErrorsEvenWhenTheDriverSays08() {
    SQLException socketTimeout = new SQLException("An I/O error occurred while sending to the backend", "08006",
        new SocketTimeoutException("Read timed out"));
    assertThat(SqlErrors.isTimeout(socketTimeout)).isTrue();
    assertThat(SqlErrors.isConnectionError(socketTimeout)).isFalse();
    assertThat(SqlErrors.isTimeout(state("57014"))).as("PostgreSQL query_canceled").isTrue();
    assertThat(SqlErrors.isTimeout(state("70100"))).as("MySQL family interrupted").isTrue();
    assertThat(SqlErrors.isTimeout(new SQLException("max_statement_time", "HY000", 1969))).isTrue();
    assertThat(SqlErrors.isTimeout(new SQLException("max_execution_time", "HY000", 3024))).isTrue();
    assertThat(SqlErrors.isTimeout(new SQLTimeoutException("timeout"))).isTrue();
    assertThat(SqlErrors.isTimeout(state("08006"))).isFalse();
    assertThat(SqlErrors.isConnectionError(state("70100"))).isFalse();
  }

  @Test
  void anExhaustedPoolIsNotTheNodesFaultButAPoolThatCannotConnectIs() {
    SQLTransientConnectionException exhausted =
        new SQLTransientConnectionException("app - Connection is not available, request timed out after 1000ms");
    assertThat(SqlErrors.isNodeFault(exhausted)).isFalse();
    SQLTransientConnectionException cannotConnect = new SQLTransientConnectionException(
        "app - Connection is not available, request timed out after 1000ms", "08001", state("08001"));
    assertThat(SqlErrors.isNodeFault(cannotConnect)).isTrue();
    assertThat(SqlErrors.isNodeFault(new SQLFeatureNotSupportedException("no"))).isFalse();
    assertThat(SqlErrors.isNodeFault(state("08001"))).isTrue();
    assertThat(SqlErrors.isNodeFault(state("42601"))).isFalse();
  }

  @Test
  void describeGivesTheStateTheFirstLineAndTheCauseAtMost300Characters() {
    assertThat(SqlErrors.describe(new SQLException("Connection refused\n  more detail", "08001")))
        .isEqualTo("SQLState 08001: Connection refused");
    assertThat(SqlErrors.describe(new SQLException("I/O error", "08006", new SocketTimeoutException("Read timed out"))))
        .isEqualTo("SQLState 08006: I/O error (SocketTimeoutException: Read timed out)");
    assertThat(SqlErrors.describe(new SQLException("y".repeat(1000)))).hasSize(300).endsWith("...");
    assertThat(SqlErrors.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
