package io.rota.benchmarks;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * An in-memory JDBC "driver" that does nothing but return constants, for {@link JdbcRoutingBenchmark}:
 * the raw side of the comparison should cost next to nothing, so that what remains is the routing
 * layer. Each {@code getConnection()}, {@code prepareStatement} and {@code executeQuery} allocates one
 * small object, as a pool's connection handle and a driver's statement and result set would, and
 * keeps a reference to it (the data source its last connection, a connection its last statement, a
 * statement its last result set), as a pool tracks its handles and a driver its open statements and
 * result sets: otherwise the JIT's escape analysis removes the raw path's objects altogether (it
 * measured 2 ns and 0 B/op), which no real pool or driver allows, while the routing layer's wrappers
 * keep them, and the difference would count the stub's own objects as routing overhead. A data
 * source given a {@link Table} (for {@link ResultSetIterationBenchmark}) answers every query with
 * a {@link StubTableResultSet} over that table's pre-built rows instead of the one-row result. Every
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
    /** The rows every query returns, or null for the one-row {@link StubResultSet}. */
    final Table table;
    /** Connections handed out so far; the benchmarks check where routing sent them. */
    long connections;
    /** The last connection handed out: keeps it on the heap, as a pool's record of its handles does. */
    StubConnection lastConnection;

    StubDataSource(String name) {
      this(name, null);
    }

    StubDataSource(String name, Table table) {
      this.name = name;
      this.table = table;
    }

    @Override
    public Connection getConnection() {
      connections++;
      StubConnection c = new StubConnection(this);
      lastConnection = c;
      return c;
    }

    @Override
    public String toString() {
      return "StubDataSource{" + name + '}';
    }
  }

  /** A connection that records read-only and auto-commit and prepares {@link StubStatement}s. */
  static final class StubConnection extends UnsupportedJdbc.UnsupportedConnection {
    private final StubDataSource source;
    /** The last statement prepared: keeps it on the heap, as a driver's list of open statements does. */
    StubStatement lastStatement;
    private boolean readOnly;
    private boolean autoCommit = true;
    private int networkTimeoutMillis;
    private boolean closed;

    StubConnection(StubDataSource source) {
      this.source = source;
    }

    @Override
    public PreparedStatement prepareStatement(String sql) {
      StubStatement s = new StubStatement(this);
      lastStatement = s;
      return s;
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
    public void commit() {}

    // The pool's defaults, which the routing data source reads once auto-commit is set.

    @Override
    public int getTransactionIsolation() {
      return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public String getCatalog() {
      return null;
    }

    @Override
    public String getSchema() {
      return null;
    }

    @Override
    public int getHoldability() {
      return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public void rollback() {}

    /** Recorded only (a driver would set its socket's timeout); routing sets it on replica connections. */
    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor executor, int milliseconds) {
      networkTimeoutMillis = milliseconds;
    }

    @Override
    public int getNetworkTimeout() {
      return networkTimeoutMillis;
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

  /**
   * A prepared statement whose every query returns one row with the int 1, or the rows of its data
   * source's {@link Table} if it has one.
   */
  static final class StubStatement extends UnsupportedJdbc.UnsupportedPreparedStatement {
    private final StubConnection connection;
    /** The last result set: keeps it on the heap, as a driver's statement does its current result. */
    ResultSet lastResultSet;
    private boolean closed;
    private int fetchSize;

    StubStatement(StubConnection connection) {
      this.connection = connection;
    }

    @Override
    public ResultSet executeQuery() {
      Table table = connection.source.table;
      ResultSet rs = table == null ? new StubResultSet(this) : new StubTableResultSet(this, table);
      lastResultSet = rs;
      return rs;
    }

    @Override
    public void setFetchSize(int rows) {
      fetchSize = rows;
    }

    @Override
    public int getFetchSize() {
      return fetchSize;
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

  /**
   * Rows built once, column by column: column {@code i} (1-based) is one primitive or object array,
   * in the slot {@code i} of the array of its type. Every getter of {@link StubTableResultSet} is
   * then one or two array reads, with no allocation (objects such as strings and timestamps are
   * built here, up front).
   */
  static final class Table {
    final int rows;
    final int columns;
    final long[][] longs;
    final int[][] ints;
    final double[][] doubles;
    final float[][] floats;
    final boolean[][] booleans;
    final Object[][] objects;

    Table(int rows, int columns) {
      this.rows = rows;
      this.columns = columns;
      longs = new long[columns + 1][];
      ints = new int[columns + 1][];
      doubles = new double[columns + 1][];
      floats = new float[columns + 1][];
      booleans = new boolean[columns + 1][];
      objects = new Object[columns + 1][];
    }
  }

  /**
   * A forward-only result set over a {@link Table}: {@code next()} moves a row index, the typed
   * getters read that row of the column's array. A getter of the wrong type for the column fails
   * (an unchecked exception, as everywhere in this stub; the benchmark reads every column with its
   * own type).
   */
  static final class StubTableResultSet extends UnsupportedJdbc.UnsupportedResultSet {
    private final StubStatement statement;
    private final Table table;
    private int row = -1;
    private boolean closed;

    StubTableResultSet(StubStatement statement, Table table) {
      this.statement = statement;
      this.table = table;
    }

    @Override
    public boolean next() {
      if (row < table.rows) {
        row++;
      }
      return row < table.rows;
    }

    @Override
    public long getLong(int columnIndex) {
      long[] c = table.longs[columnIndex];
      if (c == null) {
        throw wrongType(columnIndex, "long");
      }
      return c[row];
    }

    @Override
    public int getInt(int columnIndex) {
      int[] c = table.ints[columnIndex];
      if (c == null) {
        throw wrongType(columnIndex, "int");
      }
      return c[row];
    }

    @Override
    public double getDouble(int columnIndex) {
      double[] c = table.doubles[columnIndex];
      if (c == null) {
        throw wrongType(columnIndex, "double");
      }
      return c[row];
    }

    @Override
    public float getFloat(int columnIndex) {
      float[] c = table.floats[columnIndex];
      if (c == null) {
        throw wrongType(columnIndex, "float");
      }
      return c[row];
    }

    @Override
    public boolean getBoolean(int columnIndex) {
      boolean[] c = table.booleans[columnIndex];
      if (c == null) {
        throw wrongType(columnIndex, "boolean");
      }
      return c[row];
    }

    @Override
    public String getString(int columnIndex) {
      return object(columnIndex, String.class);
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) {
      return object(columnIndex, BigDecimal.class);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) {
      return object(columnIndex, Timestamp.class);
    }

    private <T> T object(int columnIndex, Class<T> type) {
      Object[] c = table.objects[columnIndex];
      if (c == null || !type.isInstance(c[row])) {
        throw wrongType(columnIndex, type.getSimpleName());
      }
      return type.cast(c[row]);
    }

    private static IllegalStateException wrongType(int columnIndex, String type) {
      return new IllegalStateException("column " + columnIndex + " is not a " + type);
    }

    @Override
    public boolean wasNull() {
      return false;
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
