package io.rota.spring.routing;

import io.rota.jdbc.ReadOnly;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The inner bean: each method reports the port of the server that ran its statement. */
public class Queries {

  /** The query that answers the server's port on PostgreSQL. */
  static final String POSTGRES_PORT = "SELECT inet_server_port()";
  /** The query that answers the server's port on MariaDB. */
  static final String MARIADB_PORT = "SELECT @@port";

  private final JdbcTemplate jdbc;
  private final String portQuery;

  Queries(JdbcTemplate jdbc, String portQuery) {
    this.jdbc = jdbc;
    this.portQuery = portQuery;
  }

  /** A statement outside any transaction, with nothing marked. */
  public int unmarked() {
    return port();
  }

  /** A read-only transaction. */
  @Transactional(readOnly = true)
  public int readOnly() {
    return port();
  }

  /** A read-write transaction. */
  @Transactional
  public int readWrite() {
    return port();
  }

  /** {@code @ReadOnly} with no transaction: an auto-commit statement in a read-only scope. */
  @ReadOnly
  public int readOnlyScope() {
    return port();
  }

  /** {@code @ReadOnly} around a (read-write) transaction that begins inside the scope. */
  @ReadOnly
  @Transactional
  public int readOnlyScopeAroundTransaction() {
    return port();
  }

  /** A new read-only transaction, whatever the caller runs. */
  @Transactional(readOnly = true, propagation = Propagation.REQUIRES_NEW)
  public int newReadOnly() {
    return port();
  }

  /** A new read-write transaction that writes. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public int newWrite(String body) {
    jdbc.update("INSERT INTO notes (body) VALUES (?)", body);
    return port();
  }

  /** Writes in whatever transaction the caller has (REQUIRED). */
  @Transactional
  public void write(String body) {
    jdbc.update("INSERT INTO notes (body) VALUES (?)", body);
  }

  /** Counts the rows with this body in the caller's transaction. */
  @Transactional(readOnly = true)
  public int count(String body) {
    Integer n = jdbc.queryForObject("SELECT count(*) FROM notes WHERE body = ?", Integer.class, body);
    return n == null ? 0 : n;
  }

  private int port() {
    Integer p = jdbc.queryForObject(portQuery, Integer.class);
    if (p == null) {
      throw new IllegalStateException("no port");
    }
    return p;
  }
}
