package io.rota.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The state a pool hands its connections out in — auto-commit, read-only, isolation, catalog,
 * schema, holdability — read from one real connection (as Spring's {@code
 * LazyConnectionDataSourceProxy} does), so that a routing connection not yet bound reports what the
 * physical connection will have rather than JDBC's defaults. A pool configured with auto-commit off
 * (HikariCP {@code autoCommit=false}, common with Hibernate's {@code provider_disables_autocommit})
 * means every routing connection starts in a transaction at its first statement.
 *
 * @param autoCommit whether connections start in auto-commit mode
 * @param readOnly whether connections start read-only
 * @param isolation the default transaction isolation
 * @param catalog the default catalog, or {@code null}
 * @param schema the default schema, or {@code null}
 * @param holdability the default result set holdability
 */
record PoolDefaults(boolean autoCommit, boolean readOnly, int isolation, @Nullable String catalog,
    @Nullable String schema, int holdability) {

  /** JDBC's defaults, assumed only while no connection could be read. */
  static final PoolDefaults JDBC = new PoolDefaults(true, false, Connection.TRANSACTION_READ_COMMITTED, null, null,
      java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT);

  static PoolDefaults of(Connection c) throws SQLException {
    String schema;
    try {
      schema = c.getSchema();
    } catch (SQLException unsupported) {
      schema = null;
    }
    int holdability;
    try {
      holdability = c.getHoldability();
    } catch (SQLException unsupported) {
      holdability = java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }
    boolean autoCommit = c.getAutoCommit();
    PoolDefaults d = new PoolDefaults(autoCommit, c.isReadOnly(), c.getTransactionIsolation(), c.getCatalog(), schema,
        holdability);
    // Drivers answer some getters with a query (pgjdbc's getSchema).
    endQueryTransaction(c);
    return d;
  }

  /**
   * Ends the transaction that Rota's own queries (a getter, a position or role query) began on a
   * connection with auto-commit off, so that the connection is as the pool handed it out: the
   * application's work then begins its own transaction (else a later {@code setReadOnly} fails "in
   * the middle of a transaction"). Nothing to do in auto-commit mode.
   */
  static void endQueryTransaction(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.rollback();
    }
  }
}
