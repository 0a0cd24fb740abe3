package io.rota.benchmarks;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.RowIdLifetime;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * JDBC interfaces with every abstract method throwing {@link UnsupportedOperationException}: the
 * bases of the stub driver in {@link StubJdbc}, which overrides only what the benchmarks call.
 *
 * <p>Generated once by reflection over the JDK 17 interfaces (one line per abstract method, default
 * methods left to the interface; no {@code throws} clauses, since nothing here throws a checked
 * exception). Plain classes rather than {@code java.lang.reflect.Proxy}, so that a stub call is a
 * virtual call and nothing more.
 */
final class UnsupportedJdbc {

  private UnsupportedJdbc() {}

  static UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException("stub JDBC: " + method);
  }

  /** Every abstract method of {@link DataSource} throws. */
  abstract static class UnsupportedDataSource implements DataSource {
    @Override public Connection getConnection() { throw unsupported("getConnection"); }
    @Override public Connection getConnection(String a0, String a1) { throw unsupported("getConnection"); }
    @Override public PrintWriter getLogWriter() { throw unsupported("getLogWriter"); }
    @Override public int getLoginTimeout() { throw unsupported("getLoginTimeout"); }
    @Override public Logger getParentLogger() { throw unsupported("getParentLogger"); }
    @Override public boolean isWrapperFor(Class<?> a0) { throw unsupported("isWrapperFor"); }
    @Override public void setLogWriter(PrintWriter a0) { throw unsupported("setLogWriter"); }
    @Override public void setLoginTimeout(int a0) { throw unsupported("setLoginTimeout"); }
    @Override public <T> T unwrap(Class<T> a0) { throw unsupported("unwrap"); }
  }

  /** Every abstract method of {@link Connection} throws. */
  abstract static class UnsupportedConnection implements Connection {
    @Override public void abort(Executor a0) { throw unsupported("abort"); }
    @Override public void clearWarnings() { throw unsupported("clearWarnings"); }
    @Override public void close() { throw unsupported("close"); }
    @Override public void commit() { throw unsupported("commit"); }
    @Override public Array createArrayOf(String a0, Object[] a1) { throw unsupported("createArrayOf"); }
    @Override public Blob createBlob() { throw unsupported("createBlob"); }
    @Override public Clob createClob() { throw unsupported("createClob"); }
    @Override public NClob createNClob() { throw unsupported("createNClob"); }
    @Override public SQLXML createSQLXML() { throw unsupported("createSQLXML"); }
    @Override public Statement createStatement() { throw unsupported("createStatement"); }
    @Override public Statement createStatement(int a0, int a1, int a2) { throw unsupported("createStatement"); }
    @Override public Statement createStatement(int a0, int a1) { throw unsupported("createStatement"); }
    @Override public Struct createStruct(String a0, Object[] a1) { throw unsupported("createStruct"); }
    @Override public boolean getAutoCommit() { throw unsupported("getAutoCommit"); }
    @Override public String getCatalog() { throw unsupported("getCatalog"); }
    @Override public Properties getClientInfo() { throw unsupported("getClientInfo"); }
    @Override public String getClientInfo(String a0) { throw unsupported("getClientInfo"); }
    @Override public int getHoldability() { throw unsupported("getHoldability"); }
    @Override public DatabaseMetaData getMetaData() { throw unsupported("getMetaData"); }
    @Override public int getNetworkTimeout() { throw unsupported("getNetworkTimeout"); }
    @Override public String getSchema() { throw unsupported("getSchema"); }
    @Override public int getTransactionIsolation() { throw unsupported("getTransactionIsolation"); }
    @Override public Map<String, Class<?>> getTypeMap() { throw unsupported("getTypeMap"); }
    @Override public SQLWarning getWarnings() { throw unsupported("getWarnings"); }
    @Override public boolean isClosed() { throw unsupported("isClosed"); }
    @Override public boolean isReadOnly() { throw unsupported("isReadOnly"); }
    @Override public boolean isValid(int a0) { throw unsupported("isValid"); }
    @Override public boolean isWrapperFor(Class<?> a0) { throw unsupported("isWrapperFor"); }
    @Override public String nativeSQL(String a0) { throw unsupported("nativeSQL"); }
    @Override public CallableStatement prepareCall(String a0, int a1, int a2, int a3) { throw unsupported("prepareCall"); }
    @Override public CallableStatement prepareCall(String a0, int a1, int a2) { throw unsupported("prepareCall"); }
    @Override public CallableStatement prepareCall(String a0) { throw unsupported("prepareCall"); }
    @Override public PreparedStatement prepareStatement(String a0, int[] a1) { throw unsupported("prepareStatement"); }
    @Override public PreparedStatement prepareStatement(String a0, String[] a1) { throw unsupported("prepareStatement"); }
    @Override public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) { throw unsupported("prepareStatement"); }
    @Override public PreparedStatement prepareStatement(String a0, int a1, int a2) { throw unsupported("prepareStatement"); }
    @Override public PreparedStatement prepareStatement(String a0, int a1) { throw unsupported("prepareStatement"); }
    @Override public PreparedStatement prepareStatement(String a0) { throw unsupported("prepareStatement"); }
    @Override public void releaseSavepoint(Savepoint a0) { throw unsupported("releaseSavepoint"); }
    @Override public void rollback() { throw unsupported("rollback"); }
    @Override public void rollback(Savepoint a0) { throw unsupported("rollback"); }
    @Override public void setAutoCommit(boolean a0) { throw unsupported("setAutoCommit"); }
    @Override public void setCatalog(String a0) { throw unsupported("setCatalog"); }
    @Override public void setClientInfo(String a0, String a1) { throw unsupported("setClientInfo"); }
    @Override public void setClientInfo(Properties a0) { throw unsupported("setClientInfo"); }
    @Override public void setHoldability(int a0) { throw unsupported("setHoldability"); }
    @Override public void setNetworkTimeout(Executor a0, int a1) { throw unsupported("setNetworkTimeout"); }
    @Override public void setReadOnly(boolean a0) { throw unsupported("setReadOnly"); }
    @Override public Savepoint setSavepoint() { throw unsupported("setSavepoint"); }
    @Override public Savepoint setSavepoint(String a0) { throw unsupported("setSavepoint"); }
    @Override public void setSchema(String a0) { throw unsupported("setSchema"); }
    @Override public void setTransactionIsolation(int a0) { throw unsupported("setTransactionIsolation"); }
    @Override public void setTypeMap(Map<String, Class<?>> a0) { throw unsupported("setTypeMap"); }
    @Override public <T> T unwrap(Class<T> a0) { throw unsupported("unwrap"); }
  }

  /** Every abstract method of {@link PreparedStatement} throws. */
  abstract static class UnsupportedPreparedStatement implements PreparedStatement {
    @Override public void addBatch() { throw unsupported("addBatch"); }
    @Override public void addBatch(String a0) { throw unsupported("addBatch"); }
    @Override public void cancel() { throw unsupported("cancel"); }
    @Override public void clearBatch() { throw unsupported("clearBatch"); }
    @Override public void clearParameters() { throw unsupported("clearParameters"); }
    @Override public void clearWarnings() { throw unsupported("clearWarnings"); }
    @Override public void closeOnCompletion() { throw unsupported("closeOnCompletion"); }
    @Override public void close() { throw unsupported("close"); }
    @Override public int[] executeBatch() { throw unsupported("executeBatch"); }
    @Override public ResultSet executeQuery() { throw unsupported("executeQuery"); }
    @Override public ResultSet executeQuery(String a0) { throw unsupported("executeQuery"); }
    @Override public int executeUpdate() { throw unsupported("executeUpdate"); }
    @Override public int executeUpdate(String a0, int[] a1) { throw unsupported("executeUpdate"); }
    @Override public int executeUpdate(String a0, String[] a1) { throw unsupported("executeUpdate"); }
    @Override public int executeUpdate(String a0, int a1) { throw unsupported("executeUpdate"); }
    @Override public int executeUpdate(String a0) { throw unsupported("executeUpdate"); }
    @Override public boolean execute() { throw unsupported("execute"); }
    @Override public boolean execute(String a0, int[] a1) { throw unsupported("execute"); }
    @Override public boolean execute(String a0, String[] a1) { throw unsupported("execute"); }
    @Override public boolean execute(String a0, int a1) { throw unsupported("execute"); }
    @Override public boolean execute(String a0) { throw unsupported("execute"); }
    @Override public Connection getConnection() { throw unsupported("getConnection"); }
    @Override public int getFetchDirection() { throw unsupported("getFetchDirection"); }
    @Override public int getFetchSize() { throw unsupported("getFetchSize"); }
    @Override public ResultSet getGeneratedKeys() { throw unsupported("getGeneratedKeys"); }
    @Override public int getMaxFieldSize() { throw unsupported("getMaxFieldSize"); }
    @Override public int getMaxRows() { throw unsupported("getMaxRows"); }
    @Override public ResultSetMetaData getMetaData() { throw unsupported("getMetaData"); }
    @Override public boolean getMoreResults() { throw unsupported("getMoreResults"); }
    @Override public boolean getMoreResults(int a0) { throw unsupported("getMoreResults"); }
    @Override public ParameterMetaData getParameterMetaData() { throw unsupported("getParameterMetaData"); }
    @Override public int getQueryTimeout() { throw unsupported("getQueryTimeout"); }
    @Override public int getResultSetConcurrency() { throw unsupported("getResultSetConcurrency"); }
    @Override public int getResultSetHoldability() { throw unsupported("getResultSetHoldability"); }
    @Override public int getResultSetType() { throw unsupported("getResultSetType"); }
    @Override public ResultSet getResultSet() { throw unsupported("getResultSet"); }
    @Override public int getUpdateCount() { throw unsupported("getUpdateCount"); }
    @Override public SQLWarning getWarnings() { throw unsupported("getWarnings"); }
    @Override public boolean isCloseOnCompletion() { throw unsupported("isCloseOnCompletion"); }
    @Override public boolean isClosed() { throw unsupported("isClosed"); }
    @Override public boolean isPoolable() { throw unsupported("isPoolable"); }
    @Override public boolean isWrapperFor(Class<?> a0) { throw unsupported("isWrapperFor"); }
    @Override public void setArray(int a0, Array a1) { throw unsupported("setArray"); }
    @Override public void setAsciiStream(int a0, InputStream a1, int a2) { throw unsupported("setAsciiStream"); }
    @Override public void setAsciiStream(int a0, InputStream a1, long a2) { throw unsupported("setAsciiStream"); }
    @Override public void setAsciiStream(int a0, InputStream a1) { throw unsupported("setAsciiStream"); }
    @Override public void setBigDecimal(int a0, BigDecimal a1) { throw unsupported("setBigDecimal"); }
    @Override public void setBinaryStream(int a0, InputStream a1, int a2) { throw unsupported("setBinaryStream"); }
    @Override public void setBinaryStream(int a0, InputStream a1, long a2) { throw unsupported("setBinaryStream"); }
    @Override public void setBinaryStream(int a0, InputStream a1) { throw unsupported("setBinaryStream"); }
    @Override public void setBlob(int a0, InputStream a1, long a2) { throw unsupported("setBlob"); }
    @Override public void setBlob(int a0, InputStream a1) { throw unsupported("setBlob"); }
    @Override public void setBlob(int a0, Blob a1) { throw unsupported("setBlob"); }
    @Override public void setBoolean(int a0, boolean a1) { throw unsupported("setBoolean"); }
    @Override public void setByte(int a0, byte a1) { throw unsupported("setByte"); }
    @Override public void setBytes(int a0, byte[] a1) { throw unsupported("setBytes"); }
    @Override public void setCharacterStream(int a0, Reader a1, int a2) { throw unsupported("setCharacterStream"); }
    @Override public void setCharacterStream(int a0, Reader a1, long a2) { throw unsupported("setCharacterStream"); }
    @Override public void setCharacterStream(int a0, Reader a1) { throw unsupported("setCharacterStream"); }
    @Override public void setClob(int a0, Reader a1, long a2) { throw unsupported("setClob"); }
    @Override public void setClob(int a0, Reader a1) { throw unsupported("setClob"); }
    @Override public void setClob(int a0, Clob a1) { throw unsupported("setClob"); }
    @Override public void setCursorName(String a0) { throw unsupported("setCursorName"); }
    @Override public void setDate(int a0, Date a1, Calendar a2) { throw unsupported("setDate"); }
    @Override public void setDate(int a0, Date a1) { throw unsupported("setDate"); }
    @Override public void setDouble(int a0, double a1) { throw unsupported("setDouble"); }
    @Override public void setEscapeProcessing(boolean a0) { throw unsupported("setEscapeProcessing"); }
    @Override public void setFetchDirection(int a0) { throw unsupported("setFetchDirection"); }
    @Override public void setFetchSize(int a0) { throw unsupported("setFetchSize"); }
    @Override public void setFloat(int a0, float a1) { throw unsupported("setFloat"); }
    @Override public void setInt(int a0, int a1) { throw unsupported("setInt"); }
    @Override public void setLong(int a0, long a1) { throw unsupported("setLong"); }
    @Override public void setMaxFieldSize(int a0) { throw unsupported("setMaxFieldSize"); }
    @Override public void setMaxRows(int a0) { throw unsupported("setMaxRows"); }
    @Override public void setNCharacterStream(int a0, Reader a1, long a2) { throw unsupported("setNCharacterStream"); }
    @Override public void setNCharacterStream(int a0, Reader a1) { throw unsupported("setNCharacterStream"); }
    @Override public void setNClob(int a0, Reader a1, long a2) { throw unsupported("setNClob"); }
    @Override public void setNClob(int a0, Reader a1) { throw unsupported("setNClob"); }
    @Override public void setNClob(int a0, NClob a1) { throw unsupported("setNClob"); }
    @Override public void setNString(int a0, String a1) { throw unsupported("setNString"); }
    @Override public void setNull(int a0, int a1, String a2) { throw unsupported("setNull"); }
    @Override public void setNull(int a0, int a1) { throw unsupported("setNull"); }
    @Override public void setObject(int a0, Object a1, int a2, int a3) { throw unsupported("setObject"); }
    @Override public void setObject(int a0, Object a1, int a2) { throw unsupported("setObject"); }
    @Override public void setObject(int a0, Object a1) { throw unsupported("setObject"); }
    @Override public void setPoolable(boolean a0) { throw unsupported("setPoolable"); }
    @Override public void setQueryTimeout(int a0) { throw unsupported("setQueryTimeout"); }
    @Override public void setRef(int a0, Ref a1) { throw unsupported("setRef"); }
    @Override public void setRowId(int a0, RowId a1) { throw unsupported("setRowId"); }
    @Override public void setSQLXML(int a0, SQLXML a1) { throw unsupported("setSQLXML"); }
    @Override public void setShort(int a0, short a1) { throw unsupported("setShort"); }
    @Override public void setString(int a0, String a1) { throw unsupported("setString"); }
    @Override public void setTime(int a0, Time a1, Calendar a2) { throw unsupported("setTime"); }
    @Override public void setTime(int a0, Time a1) { throw unsupported("setTime"); }
    @Override public void setTimestamp(int a0, Timestamp a1, Calendar a2) { throw unsupported("setTimestamp"); }
    @Override public void setTimestamp(int a0, Timestamp a1) { throw unsupported("setTimestamp"); }
    @Override public void setURL(int a0, URL a1) { throw unsupported("setURL"); }
    @Override @Deprecated public void setUnicodeStream(int a0, InputStream a1, int a2) { throw unsupported("setUnicodeStream"); }
    @Override public <T> T unwrap(Class<T> a0) { throw unsupported("unwrap"); }
  }

  /** Every abstract method of {@link ResultSet} throws. */
  abstract static class UnsupportedResultSet implements ResultSet {
    @Override public boolean absolute(int a0) { throw unsupported("absolute"); }
    @Override public void afterLast() { throw unsupported("afterLast"); }
    @Override public void beforeFirst() { throw unsupported("beforeFirst"); }
    @Override public void cancelRowUpdates() { throw unsupported("cancelRowUpdates"); }
    @Override public void clearWarnings() { throw unsupported("clearWarnings"); }
    @Override public void close() { throw unsupported("close"); }
    @Override public void deleteRow() { throw unsupported("deleteRow"); }
    @Override public int findColumn(String a0) { throw unsupported("findColumn"); }
    @Override public boolean first() { throw unsupported("first"); }
    @Override public Array getArray(String a0) { throw unsupported("getArray"); }
    @Override public Array getArray(int a0) { throw unsupported("getArray"); }
    @Override public InputStream getAsciiStream(String a0) { throw unsupported("getAsciiStream"); }
    @Override public InputStream getAsciiStream(int a0) { throw unsupported("getAsciiStream"); }
    @Override @Deprecated public BigDecimal getBigDecimal(String a0, int a1) { throw unsupported("getBigDecimal"); }
    @Override public BigDecimal getBigDecimal(String a0) { throw unsupported("getBigDecimal"); }
    @Override @Deprecated public BigDecimal getBigDecimal(int a0, int a1) { throw unsupported("getBigDecimal"); }
    @Override public BigDecimal getBigDecimal(int a0) { throw unsupported("getBigDecimal"); }
    @Override public InputStream getBinaryStream(String a0) { throw unsupported("getBinaryStream"); }
    @Override public InputStream getBinaryStream(int a0) { throw unsupported("getBinaryStream"); }
    @Override public Blob getBlob(String a0) { throw unsupported("getBlob"); }
    @Override public Blob getBlob(int a0) { throw unsupported("getBlob"); }
    @Override public boolean getBoolean(String a0) { throw unsupported("getBoolean"); }
    @Override public boolean getBoolean(int a0) { throw unsupported("getBoolean"); }
    @Override public byte getByte(String a0) { throw unsupported("getByte"); }
    @Override public byte getByte(int a0) { throw unsupported("getByte"); }
    @Override public byte[] getBytes(String a0) { throw unsupported("getBytes"); }
    @Override public byte[] getBytes(int a0) { throw unsupported("getBytes"); }
    @Override public Reader getCharacterStream(String a0) { throw unsupported("getCharacterStream"); }
    @Override public Reader getCharacterStream(int a0) { throw unsupported("getCharacterStream"); }
    @Override public Clob getClob(String a0) { throw unsupported("getClob"); }
    @Override public Clob getClob(int a0) { throw unsupported("getClob"); }
    @Override public int getConcurrency() { throw unsupported("getConcurrency"); }
    @Override public String getCursorName() { throw unsupported("getCursorName"); }
    @Override public Date getDate(String a0, Calendar a1) { throw unsupported("getDate"); }
    @Override public Date getDate(String a0) { throw unsupported("getDate"); }
    @Override public Date getDate(int a0, Calendar a1) { throw unsupported("getDate"); }
    @Override public Date getDate(int a0) { throw unsupported("getDate"); }
    @Override public double getDouble(String a0) { throw unsupported("getDouble"); }
    @Override public double getDouble(int a0) { throw unsupported("getDouble"); }
    @Override public int getFetchDirection() { throw unsupported("getFetchDirection"); }
    @Override public int getFetchSize() { throw unsupported("getFetchSize"); }
    @Override public float getFloat(String a0) { throw unsupported("getFloat"); }
    @Override public float getFloat(int a0) { throw unsupported("getFloat"); }
    @Override public int getHoldability() { throw unsupported("getHoldability"); }
    @Override public int getInt(String a0) { throw unsupported("getInt"); }
    @Override public int getInt(int a0) { throw unsupported("getInt"); }
    @Override public long getLong(String a0) { throw unsupported("getLong"); }
    @Override public long getLong(int a0) { throw unsupported("getLong"); }
    @Override public ResultSetMetaData getMetaData() { throw unsupported("getMetaData"); }
    @Override public Reader getNCharacterStream(String a0) { throw unsupported("getNCharacterStream"); }
    @Override public Reader getNCharacterStream(int a0) { throw unsupported("getNCharacterStream"); }
    @Override public NClob getNClob(String a0) { throw unsupported("getNClob"); }
    @Override public NClob getNClob(int a0) { throw unsupported("getNClob"); }
    @Override public String getNString(String a0) { throw unsupported("getNString"); }
    @Override public String getNString(int a0) { throw unsupported("getNString"); }
    @Override public <T> T getObject(String a0, Class<T> a1) { throw unsupported("getObject"); }
    @Override public Object getObject(String a0, Map<String, Class<?>> a1) { throw unsupported("getObject"); }
    @Override public Object getObject(String a0) { throw unsupported("getObject"); }
    @Override public <T> T getObject(int a0, Class<T> a1) { throw unsupported("getObject"); }
    @Override public Object getObject(int a0, Map<String, Class<?>> a1) { throw unsupported("getObject"); }
    @Override public Object getObject(int a0) { throw unsupported("getObject"); }
    @Override public Ref getRef(String a0) { throw unsupported("getRef"); }
    @Override public Ref getRef(int a0) { throw unsupported("getRef"); }
    @Override public RowId getRowId(String a0) { throw unsupported("getRowId"); }
    @Override public RowId getRowId(int a0) { throw unsupported("getRowId"); }
    @Override public int getRow() { throw unsupported("getRow"); }
    @Override public SQLXML getSQLXML(String a0) { throw unsupported("getSQLXML"); }
    @Override public SQLXML getSQLXML(int a0) { throw unsupported("getSQLXML"); }
    @Override public short getShort(String a0) { throw unsupported("getShort"); }
    @Override public short getShort(int a0) { throw unsupported("getShort"); }
    @Override public Statement getStatement() { throw unsupported("getStatement"); }
    @Override public String getString(String a0) { throw unsupported("getString"); }
    @Override public String getString(int a0) { throw unsupported("getString"); }
    @Override public Time getTime(String a0, Calendar a1) { throw unsupported("getTime"); }
    @Override public Time getTime(String a0) { throw unsupported("getTime"); }
    @Override public Time getTime(int a0, Calendar a1) { throw unsupported("getTime"); }
    @Override public Time getTime(int a0) { throw unsupported("getTime"); }
    @Override public Timestamp getTimestamp(String a0, Calendar a1) { throw unsupported("getTimestamp"); }
    @Override public Timestamp getTimestamp(String a0) { throw unsupported("getTimestamp"); }
    @Override public Timestamp getTimestamp(int a0, Calendar a1) { throw unsupported("getTimestamp"); }
    @Override public Timestamp getTimestamp(int a0) { throw unsupported("getTimestamp"); }
    @Override public int getType() { throw unsupported("getType"); }
    @Override public URL getURL(String a0) { throw unsupported("getURL"); }
    @Override public URL getURL(int a0) { throw unsupported("getURL"); }
    @Override @Deprecated public InputStream getUnicodeStream(String a0) { throw unsupported("getUnicodeStream"); }
    @Override @Deprecated public InputStream getUnicodeStream(int a0) { throw unsupported("getUnicodeStream"); }
    @Override public SQLWarning getWarnings() { throw unsupported("getWarnings"); }
    @Override public void insertRow() { throw unsupported("insertRow"); }
    @Override public boolean isAfterLast() { throw unsupported("isAfterLast"); }
    @Override public boolean isBeforeFirst() { throw unsupported("isBeforeFirst"); }
    @Override public boolean isClosed() { throw unsupported("isClosed"); }
    @Override public boolean isFirst() { throw unsupported("isFirst"); }
    @Override public boolean isLast() { throw unsupported("isLast"); }
    @Override public boolean isWrapperFor(Class<?> a0) { throw unsupported("isWrapperFor"); }
    @Override public boolean last() { throw unsupported("last"); }
    @Override public void moveToCurrentRow() { throw unsupported("moveToCurrentRow"); }
    @Override public void moveToInsertRow() { throw unsupported("moveToInsertRow"); }
    @Override public boolean next() { throw unsupported("next"); }
    @Override public boolean previous() { throw unsupported("previous"); }
    @Override public void refreshRow() { throw unsupported("refreshRow"); }
    @Override public boolean relative(int a0) { throw unsupported("relative"); }
    @Override public boolean rowDeleted() { throw unsupported("rowDeleted"); }
    @Override public boolean rowInserted() { throw unsupported("rowInserted"); }
    @Override public boolean rowUpdated() { throw unsupported("rowUpdated"); }
    @Override public void setFetchDirection(int a0) { throw unsupported("setFetchDirection"); }
    @Override public void setFetchSize(int a0) { throw unsupported("setFetchSize"); }
    @Override public <T> T unwrap(Class<T> a0) { throw unsupported("unwrap"); }
    @Override public void updateArray(String a0, Array a1) { throw unsupported("updateArray"); }
    @Override public void updateArray(int a0, Array a1) { throw unsupported("updateArray"); }
    @Override public void updateAsciiStream(String a0, InputStream a1, int a2) { throw unsupported("updateAsciiStream"); }
    @Override public void updateAsciiStream(String a0, InputStream a1, long a2) { throw unsupported("updateAsciiStream"); }
    @Override public void updateAsciiStream(String a0, InputStream a1) { throw unsupported("updateAsciiStream"); }
    @Override public void updateAsciiStream(int a0, InputStream a1, int a2) { throw unsupported("updateAsciiStream"); }
    @Override public void updateAsciiStream(int a0, InputStream a1, long a2) { throw unsupported("updateAsciiStream"); }
    @Override public void updateAsciiStream(int a0, InputStream a1) { throw unsupported("updateAsciiStream"); }
    @Override public void updateBigDecimal(String a0, BigDecimal a1) { throw unsupported("updateBigDecimal"); }
    @Override public void updateBigDecimal(int a0, BigDecimal a1) { throw unsupported("updateBigDecimal"); }
    @Override public void updateBinaryStream(String a0, InputStream a1, int a2) { throw unsupported("updateBinaryStream"); }
    @Override public void updateBinaryStream(String a0, InputStream a1, long a2) { throw unsupported("updateBinaryStream"); }
    @Override public void updateBinaryStream(String a0, InputStream a1) { throw unsupported("updateBinaryStream"); }
    @Override public void updateBinaryStream(int a0, InputStream a1, int a2) { throw unsupported("updateBinaryStream"); }
    @Override public void updateBinaryStream(int a0, InputStream a1, long a2) { throw unsupported("updateBinaryStream"); }
    @Override public void updateBinaryStream(int a0, InputStream a1) { throw unsupported("updateBinaryStream"); }
    @Override public void updateBlob(String a0, InputStream a1, long a2) { throw unsupported("updateBlob"); }
    @Override public void updateBlob(String a0, InputStream a1) { throw unsupported("updateBlob"); }
    @Override public void updateBlob(String a0, Blob a1) { throw unsupported("updateBlob"); }
    @Override public void updateBlob(int a0, InputStream a1, long a2) { throw unsupported("updateBlob"); }
    @Override public void updateBlob(int a0, InputStream a1) { throw unsupported("updateBlob"); }
    @Override public void updateBlob(int a0, Blob a1) { throw unsupported("updateBlob"); }
    @Override public void updateBoolean(String a0, boolean a1) { throw unsupported("updateBoolean"); }
    @Override public void updateBoolean(int a0, boolean a1) { throw unsupported("updateBoolean"); }
    @Override public void updateByte(String a0, byte a1) { throw unsupported("updateByte"); }
    @Override public void updateByte(int a0, byte a1) { throw unsupported("updateByte"); }
    @Override public void updateBytes(String a0, byte[] a1) { throw unsupported("updateBytes"); }
    @Override public void updateBytes(int a0, byte[] a1) { throw unsupported("updateBytes"); }
    @Override public void updateCharacterStream(String a0, Reader a1, int a2) { throw unsupported("updateCharacterStream"); }
    @Override public void updateCharacterStream(String a0, Reader a1, long a2) { throw unsupported("updateCharacterStream"); }
    @Override public void updateCharacterStream(String a0, Reader a1) { throw unsupported("updateCharacterStream"); }
    @Override public void updateCharacterStream(int a0, Reader a1, int a2) { throw unsupported("updateCharacterStream"); }
    @Override public void updateCharacterStream(int a0, Reader a1, long a2) { throw unsupported("updateCharacterStream"); }
    @Override public void updateCharacterStream(int a0, Reader a1) { throw unsupported("updateCharacterStream"); }
    @Override public void updateClob(String a0, Reader a1, long a2) { throw unsupported("updateClob"); }
    @Override public void updateClob(String a0, Reader a1) { throw unsupported("updateClob"); }
    @Override public void updateClob(String a0, Clob a1) { throw unsupported("updateClob"); }
    @Override public void updateClob(int a0, Reader a1, long a2) { throw unsupported("updateClob"); }
    @Override public void updateClob(int a0, Reader a1) { throw unsupported("updateClob"); }
    @Override public void updateClob(int a0, Clob a1) { throw unsupported("updateClob"); }
    @Override public void updateDate(String a0, Date a1) { throw unsupported("updateDate"); }
    @Override public void updateDate(int a0, Date a1) { throw unsupported("updateDate"); }
    @Override public void updateDouble(String a0, double a1) { throw unsupported("updateDouble"); }
    @Override public void updateDouble(int a0, double a1) { throw unsupported("updateDouble"); }
    @Override public void updateFloat(String a0, float a1) { throw unsupported("updateFloat"); }
    @Override public void updateFloat(int a0, float a1) { throw unsupported("updateFloat"); }
    @Override public void updateInt(String a0, int a1) { throw unsupported("updateInt"); }
    @Override public void updateInt(int a0, int a1) { throw unsupported("updateInt"); }
    @Override public void updateLong(String a0, long a1) { throw unsupported("updateLong"); }
    @Override public void updateLong(int a0, long a1) { throw unsupported("updateLong"); }
    @Override public void updateNCharacterStream(String a0, Reader a1, long a2) { throw unsupported("updateNCharacterStream"); }
    @Override public void updateNCharacterStream(String a0, Reader a1) { throw unsupported("updateNCharacterStream"); }
    @Override public void updateNCharacterStream(int a0, Reader a1, long a2) { throw unsupported("updateNCharacterStream"); }
    @Override public void updateNCharacterStream(int a0, Reader a1) { throw unsupported("updateNCharacterStream"); }
    @Override public void updateNClob(String a0, Reader a1, long a2) { throw unsupported("updateNClob"); }
    @Override public void updateNClob(String a0, Reader a1) { throw unsupported("updateNClob"); }
    @Override public void updateNClob(String a0, NClob a1) { throw unsupported("updateNClob"); }
    @Override public void updateNClob(int a0, Reader a1, long a2) { throw unsupported("updateNClob"); }
    @Override public void updateNClob(int a0, Reader a1) { throw unsupported("updateNClob"); }
    @Override public void updateNClob(int a0, NClob a1) { throw unsupported("updateNClob"); }
    @Override public void updateNString(String a0, String a1) { throw unsupported("updateNString"); }
    @Override public void updateNString(int a0, String a1) { throw unsupported("updateNString"); }
    @Override public void updateNull(String a0) { throw unsupported("updateNull"); }
    @Override public void updateNull(int a0) { throw unsupported("updateNull"); }
    @Override public void updateObject(String a0, Object a1, int a2) { throw unsupported("updateObject"); }
    @Override public void updateObject(String a0, Object a1) { throw unsupported("updateObject"); }
    @Override public void updateObject(int a0, Object a1, int a2) { throw unsupported("updateObject"); }
    @Override public void updateObject(int a0, Object a1) { throw unsupported("updateObject"); }
    @Override public void updateRef(String a0, Ref a1) { throw unsupported("updateRef"); }
    @Override public void updateRef(int a0, Ref a1) { throw unsupported("updateRef"); }
    @Override public void updateRowId(String a0, RowId a1) { throw unsupported("updateRowId"); }
    @Override public void updateRowId(int a0, RowId a1) { throw unsupported("updateRowId"); }
    @Override public void updateRow() { throw unsupported("updateRow"); }
    @Override public void updateSQLXML(String a0, SQLXML a1) { throw unsupported("updateSQLXML"); }
    @Override public void updateSQLXML(int a0, SQLXML a1) { throw unsupported("updateSQLXML"); }
    @Override public void updateShort(String a0, short a1) { throw unsupported("updateShort"); }
    @Override public void updateShort(int a0, short a1) { throw unsupported("updateShort"); }
    @Override public void updateString(String a0, String a1) { throw unsupported("updateString"); }
    @Override public void updateString(int a0, String a1) { throw unsupported("updateString"); }
    @Override public void updateTime(String a0, Time a1) { throw unsupported("updateTime"); }
    @Override public void updateTime(int a0, Time a1) { throw unsupported("updateTime"); }
    @Override public void updateTimestamp(String a0, Timestamp a1) { throw unsupported("updateTimestamp"); }
    @Override public void updateTimestamp(int a0, Timestamp a1) { throw unsupported("updateTimestamp"); }
    @Override public boolean wasNull() { throw unsupported("wasNull"); }
  }

  /** Every abstract method of {@link DatabaseMetaData} throws. */
  abstract static class UnsupportedDatabaseMetaData implements DatabaseMetaData {
    @Override public boolean allProceduresAreCallable() { throw unsupported("allProceduresAreCallable"); }
    @Override public boolean allTablesAreSelectable() { throw unsupported("allTablesAreSelectable"); }
    @Override public boolean autoCommitFailureClosesAllResultSets() { throw unsupported("autoCommitFailureClosesAllResultSets"); }
    @Override public boolean dataDefinitionCausesTransactionCommit() { throw unsupported("dataDefinitionCausesTransactionCommit"); }
    @Override public boolean dataDefinitionIgnoredInTransactions() { throw unsupported("dataDefinitionIgnoredInTransactions"); }
    @Override public boolean deletesAreDetected(int a0) { throw unsupported("deletesAreDetected"); }
    @Override public boolean doesMaxRowSizeIncludeBlobs() { throw unsupported("doesMaxRowSizeIncludeBlobs"); }
    @Override public boolean generatedKeyAlwaysReturned() { throw unsupported("generatedKeyAlwaysReturned"); }
    @Override public ResultSet getAttributes(String a0, String a1, String a2, String a3) { throw unsupported("getAttributes"); }
    @Override public ResultSet getBestRowIdentifier(String a0, String a1, String a2, int a3, boolean a4) { throw unsupported("getBestRowIdentifier"); }
    @Override public String getCatalogSeparator() { throw unsupported("getCatalogSeparator"); }
    @Override public String getCatalogTerm() { throw unsupported("getCatalogTerm"); }
    @Override public ResultSet getCatalogs() { throw unsupported("getCatalogs"); }
    @Override public ResultSet getClientInfoProperties() { throw unsupported("getClientInfoProperties"); }
    @Override public ResultSet getColumnPrivileges(String a0, String a1, String a2, String a3) { throw unsupported("getColumnPrivileges"); }
    @Override public ResultSet getColumns(String a0, String a1, String a2, String a3) { throw unsupported("getColumns"); }
    @Override public Connection getConnection() { throw unsupported("getConnection"); }
    @Override public ResultSet getCrossReference(String a0, String a1, String a2, String a3, String a4, String a5) { throw unsupported("getCrossReference"); }
    @Override public int getDatabaseMajorVersion() { throw unsupported("getDatabaseMajorVersion"); }
    @Override public int getDatabaseMinorVersion() { throw unsupported("getDatabaseMinorVersion"); }
    @Override public String getDatabaseProductName() { throw unsupported("getDatabaseProductName"); }
    @Override public String getDatabaseProductVersion() { throw unsupported("getDatabaseProductVersion"); }
    @Override public int getDefaultTransactionIsolation() { throw unsupported("getDefaultTransactionIsolation"); }
    @Override public int getDriverMajorVersion() { throw unsupported("getDriverMajorVersion"); }
    @Override public int getDriverMinorVersion() { throw unsupported("getDriverMinorVersion"); }
    @Override public String getDriverName() { throw unsupported("getDriverName"); }
    @Override public String getDriverVersion() { throw unsupported("getDriverVersion"); }
    @Override public ResultSet getExportedKeys(String a0, String a1, String a2) { throw unsupported("getExportedKeys"); }
    @Override public String getExtraNameCharacters() { throw unsupported("getExtraNameCharacters"); }
    @Override public ResultSet getFunctionColumns(String a0, String a1, String a2, String a3) { throw unsupported("getFunctionColumns"); }
    @Override public ResultSet getFunctions(String a0, String a1, String a2) { throw unsupported("getFunctions"); }
    @Override public String getIdentifierQuoteString() { throw unsupported("getIdentifierQuoteString"); }
    @Override public ResultSet getImportedKeys(String a0, String a1, String a2) { throw unsupported("getImportedKeys"); }
    @Override public ResultSet getIndexInfo(String a0, String a1, String a2, boolean a3, boolean a4) { throw unsupported("getIndexInfo"); }
    @Override public int getJDBCMajorVersion() { throw unsupported("getJDBCMajorVersion"); }
    @Override public int getJDBCMinorVersion() { throw unsupported("getJDBCMinorVersion"); }
    @Override public int getMaxBinaryLiteralLength() { throw unsupported("getMaxBinaryLiteralLength"); }
    @Override public int getMaxCatalogNameLength() { throw unsupported("getMaxCatalogNameLength"); }
    @Override public int getMaxCharLiteralLength() { throw unsupported("getMaxCharLiteralLength"); }
    @Override public int getMaxColumnNameLength() { throw unsupported("getMaxColumnNameLength"); }
    @Override public int getMaxColumnsInGroupBy() { throw unsupported("getMaxColumnsInGroupBy"); }
    @Override public int getMaxColumnsInIndex() { throw unsupported("getMaxColumnsInIndex"); }
    @Override public int getMaxColumnsInOrderBy() { throw unsupported("getMaxColumnsInOrderBy"); }
    @Override public int getMaxColumnsInSelect() { throw unsupported("getMaxColumnsInSelect"); }
    @Override public int getMaxColumnsInTable() { throw unsupported("getMaxColumnsInTable"); }
    @Override public int getMaxConnections() { throw unsupported("getMaxConnections"); }
    @Override public int getMaxCursorNameLength() { throw unsupported("getMaxCursorNameLength"); }
    @Override public int getMaxIndexLength() { throw unsupported("getMaxIndexLength"); }
    @Override public int getMaxProcedureNameLength() { throw unsupported("getMaxProcedureNameLength"); }
    @Override public int getMaxRowSize() { throw unsupported("getMaxRowSize"); }
    @Override public int getMaxSchemaNameLength() { throw unsupported("getMaxSchemaNameLength"); }
    @Override public int getMaxStatementLength() { throw unsupported("getMaxStatementLength"); }
    @Override public int getMaxStatements() { throw unsupported("getMaxStatements"); }
    @Override public int getMaxTableNameLength() { throw unsupported("getMaxTableNameLength"); }
    @Override public int getMaxTablesInSelect() { throw unsupported("getMaxTablesInSelect"); }
    @Override public int getMaxUserNameLength() { throw unsupported("getMaxUserNameLength"); }
    @Override public String getNumericFunctions() { throw unsupported("getNumericFunctions"); }
    @Override public ResultSet getPrimaryKeys(String a0, String a1, String a2) { throw unsupported("getPrimaryKeys"); }
    @Override public ResultSet getProcedureColumns(String a0, String a1, String a2, String a3) { throw unsupported("getProcedureColumns"); }
    @Override public String getProcedureTerm() { throw unsupported("getProcedureTerm"); }
    @Override public ResultSet getProcedures(String a0, String a1, String a2) { throw unsupported("getProcedures"); }
    @Override public ResultSet getPseudoColumns(String a0, String a1, String a2, String a3) { throw unsupported("getPseudoColumns"); }
    @Override public int getResultSetHoldability() { throw unsupported("getResultSetHoldability"); }
    @Override public RowIdLifetime getRowIdLifetime() { throw unsupported("getRowIdLifetime"); }
    @Override public String getSQLKeywords() { throw unsupported("getSQLKeywords"); }
    @Override public int getSQLStateType() { throw unsupported("getSQLStateType"); }
    @Override public String getSchemaTerm() { throw unsupported("getSchemaTerm"); }
    @Override public ResultSet getSchemas() { throw unsupported("getSchemas"); }
    @Override public ResultSet getSchemas(String a0, String a1) { throw unsupported("getSchemas"); }
    @Override public String getSearchStringEscape() { throw unsupported("getSearchStringEscape"); }
    @Override public String getStringFunctions() { throw unsupported("getStringFunctions"); }
    @Override public ResultSet getSuperTables(String a0, String a1, String a2) { throw unsupported("getSuperTables"); }
    @Override public ResultSet getSuperTypes(String a0, String a1, String a2) { throw unsupported("getSuperTypes"); }
    @Override public String getSystemFunctions() { throw unsupported("getSystemFunctions"); }
    @Override public ResultSet getTablePrivileges(String a0, String a1, String a2) { throw unsupported("getTablePrivileges"); }
    @Override public ResultSet getTableTypes() { throw unsupported("getTableTypes"); }
    @Override public ResultSet getTables(String a0, String a1, String a2, String[] a3) { throw unsupported("getTables"); }
    @Override public String getTimeDateFunctions() { throw unsupported("getTimeDateFunctions"); }
    @Override public ResultSet getTypeInfo() { throw unsupported("getTypeInfo"); }
    @Override public ResultSet getUDTs(String a0, String a1, String a2, int[] a3) { throw unsupported("getUDTs"); }
    @Override public String getURL() { throw unsupported("getURL"); }
    @Override public String getUserName() { throw unsupported("getUserName"); }
    @Override public ResultSet getVersionColumns(String a0, String a1, String a2) { throw unsupported("getVersionColumns"); }
    @Override public boolean insertsAreDetected(int a0) { throw unsupported("insertsAreDetected"); }
    @Override public boolean isCatalogAtStart() { throw unsupported("isCatalogAtStart"); }
    @Override public boolean isReadOnly() { throw unsupported("isReadOnly"); }
    @Override public boolean isWrapperFor(Class<?> a0) { throw unsupported("isWrapperFor"); }
    @Override public boolean locatorsUpdateCopy() { throw unsupported("locatorsUpdateCopy"); }
    @Override public boolean nullPlusNonNullIsNull() { throw unsupported("nullPlusNonNullIsNull"); }
    @Override public boolean nullsAreSortedAtEnd() { throw unsupported("nullsAreSortedAtEnd"); }
    @Override public boolean nullsAreSortedAtStart() { throw unsupported("nullsAreSortedAtStart"); }
    @Override public boolean nullsAreSortedHigh() { throw unsupported("nullsAreSortedHigh"); }
    @Override public boolean nullsAreSortedLow() { throw unsupported("nullsAreSortedLow"); }
    @Override public boolean othersDeletesAreVisible(int a0) { throw unsupported("othersDeletesAreVisible"); }
    @Override public boolean othersInsertsAreVisible(int a0) { throw unsupported("othersInsertsAreVisible"); }
    @Override public boolean othersUpdatesAreVisible(int a0) { throw unsupported("othersUpdatesAreVisible"); }
    @Override public boolean ownDeletesAreVisible(int a0) { throw unsupported("ownDeletesAreVisible"); }
    @Override public boolean ownInsertsAreVisible(int a0) { throw unsupported("ownInsertsAreVisible"); }
    @Override public boolean ownUpdatesAreVisible(int a0) { throw unsupported("ownUpdatesAreVisible"); }
    @Override public boolean storesLowerCaseIdentifiers() { throw unsupported("storesLowerCaseIdentifiers"); }
    @Override public boolean storesLowerCaseQuotedIdentifiers() { throw unsupported("storesLowerCaseQuotedIdentifiers"); }
    @Override public boolean storesMixedCaseIdentifiers() { throw unsupported("storesMixedCaseIdentifiers"); }
    @Override public boolean storesMixedCaseQuotedIdentifiers() { throw unsupported("storesMixedCaseQuotedIdentifiers"); }
    @Override public boolean storesUpperCaseIdentifiers() { throw unsupported("storesUpperCaseIdentifiers"); }
    @Override public boolean storesUpperCaseQuotedIdentifiers() { throw unsupported("storesUpperCaseQuotedIdentifiers"); }
    @Override public boolean supportsANSI92EntryLevelSQL() { throw unsupported("supportsANSI92EntryLevelSQL"); }
    @Override public boolean supportsANSI92FullSQL() { throw unsupported("supportsANSI92FullSQL"); }
    @Override public boolean supportsANSI92IntermediateSQL() { throw unsupported("supportsANSI92IntermediateSQL"); }
    @Override public boolean supportsAlterTableWithAddColumn() { throw unsupported("supportsAlterTableWithAddColumn"); }
    @Override public boolean supportsAlterTableWithDropColumn() { throw unsupported("supportsAlterTableWithDropColumn"); }
    @Override public boolean supportsBatchUpdates() { throw unsupported("supportsBatchUpdates"); }
    @Override public boolean supportsCatalogsInDataManipulation() { throw unsupported("supportsCatalogsInDataManipulation"); }
    @Override public boolean supportsCatalogsInIndexDefinitions() { throw unsupported("supportsCatalogsInIndexDefinitions"); }
    @Override public boolean supportsCatalogsInPrivilegeDefinitions() { throw unsupported("supportsCatalogsInPrivilegeDefinitions"); }
    @Override public boolean supportsCatalogsInProcedureCalls() { throw unsupported("supportsCatalogsInProcedureCalls"); }
    @Override public boolean supportsCatalogsInTableDefinitions() { throw unsupported("supportsCatalogsInTableDefinitions"); }
    @Override public boolean supportsColumnAliasing() { throw unsupported("supportsColumnAliasing"); }
    @Override public boolean supportsConvert() { throw unsupported("supportsConvert"); }
    @Override public boolean supportsConvert(int a0, int a1) { throw unsupported("supportsConvert"); }
    @Override public boolean supportsCoreSQLGrammar() { throw unsupported("supportsCoreSQLGrammar"); }
    @Override public boolean supportsCorrelatedSubqueries() { throw unsupported("supportsCorrelatedSubqueries"); }
    @Override public boolean supportsDataDefinitionAndDataManipulationTransactions() { throw unsupported("supportsDataDefinitionAndDataManipulationTransactions"); }
    @Override public boolean supportsDataManipulationTransactionsOnly() { throw unsupported("supportsDataManipulationTransactionsOnly"); }
    @Override public boolean supportsDifferentTableCorrelationNames() { throw unsupported("supportsDifferentTableCorrelationNames"); }
    @Override public boolean supportsExpressionsInOrderBy() { throw unsupported("supportsExpressionsInOrderBy"); }
    @Override public boolean supportsExtendedSQLGrammar() { throw unsupported("supportsExtendedSQLGrammar"); }
    @Override public boolean supportsFullOuterJoins() { throw unsupported("supportsFullOuterJoins"); }
    @Override public boolean supportsGetGeneratedKeys() { throw unsupported("supportsGetGeneratedKeys"); }
    @Override public boolean supportsGroupByBeyondSelect() { throw unsupported("supportsGroupByBeyondSelect"); }
    @Override public boolean supportsGroupByUnrelated() { throw unsupported("supportsGroupByUnrelated"); }
    @Override public boolean supportsGroupBy() { throw unsupported("supportsGroupBy"); }
    @Override public boolean supportsIntegrityEnhancementFacility() { throw unsupported("supportsIntegrityEnhancementFacility"); }
    @Override public boolean supportsLikeEscapeClause() { throw unsupported("supportsLikeEscapeClause"); }
    @Override public boolean supportsLimitedOuterJoins() { throw unsupported("supportsLimitedOuterJoins"); }
    @Override public boolean supportsMinimumSQLGrammar() { throw unsupported("supportsMinimumSQLGrammar"); }
    @Override public boolean supportsMixedCaseIdentifiers() { throw unsupported("supportsMixedCaseIdentifiers"); }
    @Override public boolean supportsMixedCaseQuotedIdentifiers() { throw unsupported("supportsMixedCaseQuotedIdentifiers"); }
    @Override public boolean supportsMultipleOpenResults() { throw unsupported("supportsMultipleOpenResults"); }
    @Override public boolean supportsMultipleResultSets() { throw unsupported("supportsMultipleResultSets"); }
    @Override public boolean supportsMultipleTransactions() { throw unsupported("supportsMultipleTransactions"); }
    @Override public boolean supportsNamedParameters() { throw unsupported("supportsNamedParameters"); }
    @Override public boolean supportsNonNullableColumns() { throw unsupported("supportsNonNullableColumns"); }
    @Override public boolean supportsOpenCursorsAcrossCommit() { throw unsupported("supportsOpenCursorsAcrossCommit"); }
    @Override public boolean supportsOpenCursorsAcrossRollback() { throw unsupported("supportsOpenCursorsAcrossRollback"); }
    @Override public boolean supportsOpenStatementsAcrossCommit() { throw unsupported("supportsOpenStatementsAcrossCommit"); }
    @Override public boolean supportsOpenStatementsAcrossRollback() { throw unsupported("supportsOpenStatementsAcrossRollback"); }
    @Override public boolean supportsOrderByUnrelated() { throw unsupported("supportsOrderByUnrelated"); }
    @Override public boolean supportsOuterJoins() { throw unsupported("supportsOuterJoins"); }
    @Override public boolean supportsPositionedDelete() { throw unsupported("supportsPositionedDelete"); }
    @Override public boolean supportsPositionedUpdate() { throw unsupported("supportsPositionedUpdate"); }
    @Override public boolean supportsResultSetConcurrency(int a0, int a1) { throw unsupported("supportsResultSetConcurrency"); }
    @Override public boolean supportsResultSetHoldability(int a0) { throw unsupported("supportsResultSetHoldability"); }
    @Override public boolean supportsResultSetType(int a0) { throw unsupported("supportsResultSetType"); }
    @Override public boolean supportsSavepoints() { throw unsupported("supportsSavepoints"); }
    @Override public boolean supportsSchemasInDataManipulation() { throw unsupported("supportsSchemasInDataManipulation"); }
    @Override public boolean supportsSchemasInIndexDefinitions() { throw unsupported("supportsSchemasInIndexDefinitions"); }
    @Override public boolean supportsSchemasInPrivilegeDefinitions() { throw unsupported("supportsSchemasInPrivilegeDefinitions"); }
    @Override public boolean supportsSchemasInProcedureCalls() { throw unsupported("supportsSchemasInProcedureCalls"); }
    @Override public boolean supportsSchemasInTableDefinitions() { throw unsupported("supportsSchemasInTableDefinitions"); }
    @Override public boolean supportsSelectForUpdate() { throw unsupported("supportsSelectForUpdate"); }
    @Override public boolean supportsStatementPooling() { throw unsupported("supportsStatementPooling"); }
    @Override public boolean supportsStoredFunctionsUsingCallSyntax() { throw unsupported("supportsStoredFunctionsUsingCallSyntax"); }
    @Override public boolean supportsStoredProcedures() { throw unsupported("supportsStoredProcedures"); }
    @Override public boolean supportsSubqueriesInComparisons() { throw unsupported("supportsSubqueriesInComparisons"); }
    @Override public boolean supportsSubqueriesInExists() { throw unsupported("supportsSubqueriesInExists"); }
    @Override public boolean supportsSubqueriesInIns() { throw unsupported("supportsSubqueriesInIns"); }
    @Override public boolean supportsSubqueriesInQuantifieds() { throw unsupported("supportsSubqueriesInQuantifieds"); }
    @Override public boolean supportsTableCorrelationNames() { throw unsupported("supportsTableCorrelationNames"); }
    @Override public boolean supportsTransactionIsolationLevel(int a0) { throw unsupported("supportsTransactionIsolationLevel"); }
    @Override public boolean supportsTransactions() { throw unsupported("supportsTransactions"); }
    @Override public boolean supportsUnionAll() { throw unsupported("supportsUnionAll"); }
    @Override public boolean supportsUnion() { throw unsupported("supportsUnion"); }
    @Override public <T> T unwrap(Class<T> a0) { throw unsupported("unwrap"); }
    @Override public boolean updatesAreDetected(int a0) { throw unsupported("updatesAreDetected"); }
    @Override public boolean usesLocalFilePerTable() { throw unsupported("usesLocalFilePerTable"); }
    @Override public boolean usesLocalFiles() { throw unsupported("usesLocalFiles"); }
  }
}
