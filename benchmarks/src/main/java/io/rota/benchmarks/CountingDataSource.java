package io.rota.benchmarks;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that passes every call to its target and counts {@code getConnection()} calls (borrows
 * from the pool it stands for), so that {@link JdbcPeersBenchmark} can check which pool each
 * implementation really used. The count is a plain field, so that counting costs next to nothing on
 * the stub: exact when one thread borrows (the benchmarks run one), and it may miss borrows made
 * at the same time by several threads; otherwise as thread-safe as the target.
 */
final class CountingDataSource implements DataSource {

  private final DataSource target;
  private long borrows;

  CountingDataSource(DataSource target) {
    this.target = target;
  }

  /** Connections borrowed through this data source so far. */
  long borrows() {
    return borrows;
  }

  @Override
  public Connection getConnection() throws SQLException {
    borrows++;
    return target.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    borrows++;
    return target.getConnection(username, password);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || target.isWrapperFor(type);
  }
}
