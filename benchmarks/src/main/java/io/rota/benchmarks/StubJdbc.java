package io.rota.benchmarks;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * An in-memory JDBC "driver" that does nothing but return constants, for {@link JdbcRoutingBenchmark}:
 * the raw side of the comparison should cost next to nothing, so that what remains is the routing
 * layer. Each {@code getConnection()}, {@code prepareStatement} and {@code executeQuery} allocates one
 * small object, as a pool's connection handle and a driver's statement and result set would. Every
 * method the benchmarks do not call throws {@link UnsupportedOperationException} (see
 * {@link UnsupportedJdbc}). Not thread-safe; the counters are plain fields.
 */
final class StubJdbc {

  private StubJdbc() {}

  /** A database product name no Rota dialect supports, so that routing runs without a dialect. */
  static final String PRODUCT_NAME = "StubDB";

  /** A data source standing for one node's pool. */
  static final class StubDataSource extends UnsupportedJdbc.UnsupportedDataSource {
    final String name;
    /** Connections handed out so far; the benchmarks check where routing sent them. */
    long connections;

    StubDataSource(String name) {
      this.name = name;
    }

    @Override
    public Connection getConnection() {
      connections++;
      return new StubConnection(this);
    }

    @Override
    public String toString() {
      return "StubDataSource{" + name + '}';
    }
  }

  /** A connection that records read-only and auto-commit and prepares {@link StubStatement}s. */
  static final class StubConnection extends UnsupportedJdbc.UnsupportedConnection {
    private final StubDataSource source;
    private boolean readOnly;
    private boolean autoCommit = true;
    private boolean closed;

    StubConnection(StubDataSource source) {
      this.source = source;
    }

    @Override
    public PreparedStatement prepareStatement(String sql) {
      return new StubStatement(this);
    }

    @Override
    public void setReadOnly(boolean readOnly) {
      this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() {
      return readOnly;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) {
      this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() {
      return autoCommit;
    }

    @Override
    public boolean isValid(int timeout) {
      return !closed;
    }

    @Override
    public DatabaseMetaData getMetaData() {
      return new StubMetaData(this);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public String toString() {
      return "StubConnection{" + source.name + '}';
    }
  }

  /** A prepared statement whose every query returns one row with the int 1. */
  static final class StubStatement extends UnsupportedJdbc.UnsupportedPreparedStatement {
    private final StubConnection connection;
    private boolean closed;

    StubStatement(StubConnection connection) {
      this.connection = connection;
    }

    @Override
    public ResultSet executeQuery() {
      return new StubResultSet(this);
    }

    @Override
    public Connection getConnection() {
      return connection;
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }
  }

  /** One row, one column: the int 1. */
  static final class StubResultSet extends UnsupportedJdbc.UnsupportedResultSet {
    private final StubStatement statement;
    private boolean read;
    private boolean closed;

    StubResultSet(StubStatement statement) {
      this.statement = statement;
    }

    @Override
    public boolean next() {
      if (read) {
        return false;
      }
      read = true;
      return true;
    }

    @Override
    public int getInt(int columnIndex) {
      return 1;
    }

    @Override
    public Statement getStatement() {
      return statement;
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }
  }

  /** Metadata naming a product no dialect knows; read by Rota's health checks only. */
  static final class StubMetaData extends UnsupportedJdbc.UnsupportedDatabaseMetaData {
    private final StubConnection connection;

    StubMetaData(StubConnection connection) {
      this.connection = connection;
    }

    @Override
    public String getDatabaseProductName() {
      return PRODUCT_NAME;
    }

    @Override
    public String getDatabaseProductVersion() {
      return "1.0";
    }

    @Override
    public Connection getConnection() {
      return connection;
    }
  }
}
