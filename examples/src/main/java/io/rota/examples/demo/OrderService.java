package io.rota.examples.demo;

import io.rota.jdbc.ReadOnly;
import io.rota.jdbc.RoutingDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The demo's order service: plain JDBC over Rota's {@link RoutingDataSource}, written the way an
 * application is. Writes are transactions; reads go through a {@link ReadOnly @ReadOnly} interface
 * ({@link Queries}, auto-commit statements) or a {@code setReadOnly(true)} transaction, which is what
 * Spring's {@code @Transactional(readOnly = true)} does. Every statement also asks the server for its
 * port, so the demo counts where work really ran. Thread-safe.
 *
 * <p>{@link Queries} and the types it returns are public: the {@code @ReadOnly} proxy is a JDK proxy,
 * which can only call an interface, and return types, that it can access.
 */
final class OrderService {

  /** An order as read back, with the node that served the read. */
  public record Order(long id, int customer, String sku, String servedBy) {}

  /** A customer's orders, summed up, with the node that served the read. */
  public record CustomerOrders(int customer, long count, BigDecimal total, String servedBy) {}

  /**
   * What placing an order did: the new id, the node the transaction ran on, and whether that node
   * said it was read-only (a replica) when it ran it.
   */
  public record Placed(long id, String writtenOn, boolean onReadOnlyNode) {}

  /** Every order id a node has, and the node that said so. */
  record Stored(java.util.Set<Long> ids, String node) {}

  /**
   * The read side, marked {@code @ReadOnly}: through {@link RoutingDataSource#readOnlyProxy} each call
   * runs in a read-only scope, so its auto-commit statements go to a replica.
   */
  public interface Queries {
    /** The customer's orders, summed up. */
    @ReadOnly
    CustomerOrders ordersOf(int customer) throws SQLException;

    /** One order; its {@code id} is -1 if the node that served the read has not got it. */
    @ReadOnly
    Order find(long id) throws SQLException;
  }

  private final DataSource ds;
  private final DemoDatabase db;
  private final Queries queries;

  OrderService(DataSource ds, DemoDatabase db) {
    this.ds = ds;
    this.db = db;
    this.queries = RoutingDataSource.readOnlyProxy(Queries.class, new JdbcQueries());
  }

  /** The read side, through the {@code @ReadOnly} proxy. */
  Queries queries() {
    return queries;
  }

  /** Creates the table, on the primary (DDL is a write). */
  void createSchema() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(db.createOrdersTable());
    }
  }

  /** Places an order in a read-write transaction: on the primary. */
  Placed place(int customer, String sku, int quantity, BigDecimal price) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        long id;
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO orders (customer, sku, quantity, price, written_on) VALUES (?, ?, ?, ?, "
                + db.serverPortExpression() + ")", Statement.RETURN_GENERATED_KEYS)) {
          ps.setInt(1, customer);
          ps.setString(2, sku);
          ps.setInt(3, quantity);
          ps.setBigDecimal(4, price);
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
        }
        String node;
        boolean readOnlyNode;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT " + db.serverPortExpression() + ", " + db.readOnlyExpression())) {
          rs.next();
          node = nodeOf(rs.getInt(1));
          readOnlyNode = rs.getBoolean(2);
        }
        c.commit();
        return new Placed(id, node, readOnlyNode);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
  }

  /**
   * Looks an order up in a read-only transaction ({@code setReadOnly(true)}, then
   * {@code setAutoCommit(false)}): on a replica. Rota never re-runs a statement inside a
   * transaction, so the application runs the whole transaction again once when its connection
   * failed (a replica that died under it), as applications do with a retry around a transaction.
   */
  Order lookUp(long id, Tally tally) throws SQLException {
    try {
      return lookUpOnce(id);
    } catch (SQLException e) {
      if (!isConnectionFailure(e)) {
        throw e;
      }
      tally.appRetries.increment();
      return lookUpOnce(id);
    }
  }

  /** The order; its {@code id} is -1 if the node that served the read has not got it. */
  private Order lookUpOnce(long id) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, customer, sku, " + db.serverPortExpression() + " FROM orders WHERE id = ?")) {
        ps.setLong(1, id);
        Order order = null; // not found
        String node;
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            node = nodeOf(rs.getInt(4));
            order = new Order(rs.getLong(1), rs.getInt(2), rs.getString(3), node);
          } else {
            node = servedBy(c);
          }
        }
        c.commit();
        return order != null ? order : new Order(-1, -1, "", node);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
  }

  /** SQLState class 08 (connection exception) or a connection the driver saw break. */
  static boolean isConnectionFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLRecoverableException || t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code e} is Rota refusing a write at once because no node is writable (SQLState 08001,
   * no cause: nothing was sent to a server), as while the primary is down and no replica is promoted.
   */
  static boolean isRefusedByRota(SQLException e) {
    String m = e.getMessage();
    return "08001".equals(e.getSQLState()) && e.getCause() == null && m != null && m.contains("writes are refused");
  }

  /**
   * Every order id on the node that takes writes now: read in a read-write transaction, so on the
   * primary, which is where an acknowledged order must be.
   */
  Stored storedIds() throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        String node = servedBy(c);
        c.commit();
        return new Stored(ids, node);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
  }

  /** Whether {@code e} is a database refusing a write because it is read-only (a write that reached a replica). */
  static boolean isReadOnlyRefusal(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && ("25006".equals(s.getSQLState()) || s.getErrorCode() == 1290
          || s.getErrorCode() == 1792)) {
        return true;
      }
    }
    return false;
  }

  private String servedBy(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + db.serverPortExpression())) {
      rs.next();
      return nodeOf(rs.getInt(1));
    }
  }

  private String nodeOf(int port) {
    String node = db.nodeOfPort(port);
    return node != null ? node : "port " + port;
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** The {@code @ReadOnly} reads, in plain JDBC. */
  private final class JdbcQueries implements Queries {
    @Override
    public CustomerOrders ordersOf(int customer) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT " + db.serverPortExpression()
              + ", count(*), coalesce(sum(price * quantity), 0) FROM orders WHERE customer = ?")) {
        ps.setInt(1, customer);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new CustomerOrders(customer, rs.getLong(2), rs.getBigDecimal(3), nodeOf(rs.getInt(1)));
        }
      }
    }

    @Override
    public Order find(long id) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT " + db.serverPortExpression()
              + ", max(id), max(customer), max(sku) FROM orders WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          String node = nodeOf(rs.getInt(1));
          long found = rs.getLong(2);
          return rs.wasNull() ? new Order(-1, -1, "", node) : new Order(found, rs.getInt(3), rs.getString(4), node);
        }
      }
    }
  }
}
