package io.rota.jdbc;

import io.rota.jdbc.internal.MariaDbDialect;
import io.rota.jdbc.internal.MySqlDialect;
import io.rota.jdbc.internal.PostgresDialect;
import io.rota.jdbc.spi.Dialect;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link Dialect}s, to choose one by hand with {@link RoutingDataSourceBuilder#dialect}
 * (by default the dialect is detected from the primary's JDBC metadata). Stateless; the dialects are
 * thread-safe.
 */
public final class Dialects {

  private Dialects() {}

  /** Returns the PostgreSQL dialect (streaming replication, WAL LSN positions). */
  public static Dialect postgres() {
    return PostgresDialect.INSTANCE;
  }

  /** Returns the MariaDB dialect (binlog replication, GTID positions per domain). */
  public static Dialect mariadb() {
    return MariaDbDialect.INSTANCE;
  }

  /** Returns the MySQL dialect (binlog replication, GTID sets). */
  public static Dialect mysql() {
    return MySqlDialect.INSTANCE;
  }

  /**
   * Returns the built-in dialect for a database's JDBC product name and version, trying PostgreSQL,
   * MariaDB and MySQL in that order, or {@code null} if none serves it.
   */
  public static @Nullable Dialect detect(String productName, String productVersion) {
    for (Dialect d : List.of(postgres(), mariadb(), mysql())) {
      if (d.supports(productName, productVersion)) {
        return d;
      }
    }
    return null;
  }
}
