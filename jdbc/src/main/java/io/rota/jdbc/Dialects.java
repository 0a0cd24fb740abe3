package io.rota.jdbc;

import static java.util.Objects.requireNonNull;

import io.rota.jdbc.internal.MariaDbDialect;
import io.rota.jdbc.internal.MySqlDialect;
import io.rota.jdbc.internal.PostgresDialect;
import io.rota.jdbc.spi.Dialect;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link Dialect}s, and the detection that picks one from a database's JDBC metadata.
 * Give one to {@link RoutingDataSourceBuilder#dialect(Dialect)} to skip detection, or wrap one in a
 * dialect of your own.
 *
 * <pre>{@code
 * RoutingDataSource ds = RoutingDataSource.builder()
 *     .primary("db-1", primaryPool)
 *     .replica("db-2", replicaPool)
 *     .dialect(Dialects.mariadb())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe: the dialects are stateless shared instances, and {@link #detect} keeps no state.
 */
public final class Dialects {

  /** In the order detection tries them: MariaDB before MySQL, whose product name it may share. */
  private static final List<Dialect> DETECTION_ORDER =
      List.of(PostgresDialect.INSTANCE, MariaDbDialect.INSTANCE, MySqlDialect.INSTANCE);

  private Dialects() {}

  /**
   * Returns the PostgreSQL dialect: streaming replication, positions are WAL LSNs. Its queries need no
   * grant.
   */
  public static Dialect postgres() {
    return PostgresDialect.INSTANCE;
  }

  /**
   * Returns the MariaDB dialect: GTID replication, positions are {@code @@gtid_binlog_pos} /
   * {@code @@gtid_slave_pos}. Exact lag needs {@code REPLICA MONITOR}; without it the status says so in
   * its {@linkplain Dialect.ReplicaStatus#limitation() limitation}.
   */
  public static Dialect mariadb() {
    return MariaDbDialect.INSTANCE;
  }

  /**
   * Returns the MySQL dialect: GTID replication ({@code gtid_mode=ON}), positions are
   * {@code @@gtid_executed} sets. Exact lag needs {@code REPLICATION CLIENT}; without it the status
   * says so in its {@linkplain Dialect.ReplicaStatus#limitation() limitation}.
   */
  public static Dialect mysql() {
    return MySqlDialect.INSTANCE;
  }

  /**
   * Returns the built-in dialect for a database, or {@code null} if none serves it: the first of
   * PostgreSQL, MariaDB, MySQL whose {@link Dialect#supports(String, String)} accepts the name and
   * version. MariaDB comes before MySQL because MySQL Connector/J names a MariaDB server
   * {@code MySQL}, with a version that names MariaDB.
   *
   * @param productName {@code DatabaseMetaData.getDatabaseProductName()}
   * @param productVersion {@code DatabaseMetaData.getDatabaseProductVersion()}, or {@code ""} if unknown
   * @throws NullPointerException if either is {@code null}
   */
  public static @Nullable Dialect detect(String productName, String productVersion) {
    requireNonNull(productName, "productName");
    requireNonNull(productVersion, "productVersion");
    for (Dialect d : DETECTION_ORDER) {
      if (d.supports(productName, productVersion)) {
        return d;
      }
    }
    return null;
  }
}
