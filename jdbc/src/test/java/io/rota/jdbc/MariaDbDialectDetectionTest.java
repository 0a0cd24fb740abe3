package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which dialect the routing data source picks from the JDBC metadata of the primary, for the
 * product names and versions the drivers report: MariaDB Connector/J says {@code MariaDB} on MariaDB
 * and {@code MySQL} on MySQL; MySQL Connector/J says {@code MySQL} on both, with a version that names
 * MariaDB on MariaDB.
 */
class MariaDbDialectDetectionTest {

  @ParameterizedTest
  @CsvSource({
      "MariaDB,    11.4.5-MariaDB-log,     MariaDB",     // MariaDB Connector/J on MariaDB
      "MySQL,      11.4.5-MariaDB-log,     MariaDB",     // MySQL Connector/J (or useMysqlMetadata) on MariaDB
      "MySQL,      5.5.5-10.6.18-MariaDB,  MariaDB",     // the same on MariaDB 10.x
      "MySQL,      8.0.36,                 MySQL",       // either driver on MySQL
      "MySQL,      8.4.2,                  MySQL",
      "PostgreSQL, 17.2,                   PostgreSQL"})
  void detectsTheDialectFromProductNameAndVersion(String product, String version, String dialect) {
    try (RoutingDataSource ds = RoutingDataSource.builder()
        .primary(metadataOnly(product, version))
        .replica("r", metadataOnly(product, version))
        .healthCheckIntervalMillis(50)
        .build()) {
      RoutingTestSupport.await(() -> ds.snapshot().dialect() != null, "the dialect detected");
      assertThat(ds.snapshot().dialect()).isEqualTo(dialect);
    }
  }

  /** A data source whose connections answer metadata only; every statement fails. */
  private static DataSource metadataOnly(String product, String version) {
    DatabaseMetaData md = (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getDatabaseProductName":
              return product;
            case "getDatabaseProductVersion":
              return version;
            default:
              throw new SQLException("not supported: " + m.getName());
          }
        });
    Connection c = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getMetaData":
              return md;
            case "close":
              return null;
            case "isValid":
              return false;
            default:
              throw new SQLException("not supported: " + m.getName());
          }
        });
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          if (m.getName().equals("getConnection")) {
            return c;
          }
          throw new SQLException("not supported: " + m.getName());
        });
  }
}
