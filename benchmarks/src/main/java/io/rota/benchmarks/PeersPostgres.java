package io.rota.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL for {@link JdbcPeersBenchmark}, started as
 * {@link JdbcPostgresRoundTripBenchmark} starts it, but listening on two loopback addresses,
 * {@value #WRITER_HOST} and {@value #READER_HOST}, so that a peer that only takes endpoints (the AWS
 * wrapper's simple read/write splitting plugin) gets a "writer" and a "reader" that a query can tell
 * apart ({@code inet_server_addr()}); HikariCP pools tell themselves apart by
 * {@code application_name}, as in {@link JdbcPostgresRoundTripBenchmark}. The set-up also creates and
 * fills a table {@code t} of {@value ResultSetIterationBenchmark#ROWS} rows of
 * {@value ResultSetIterationBenchmark#COLUMNS} columns, of the column types
 * {@link ResultSetIterationBenchmark#read} reads. Not thread-safe: started and closed by one thread.
 */
final class PeersPostgres implements AutoCloseable {

  /** The address the primary ("writer") is reached at. */
  static final String WRITER_HOST = "127.0.0.1";
  /** The address the "reader" endpoint is reached at: the same server. */
  static final String READER_HOST = "127.0.0.2";

  private static final String CREATE_TABLE = "CREATE TABLE t (id BIGINT PRIMARY KEY, qty INTEGER, name VARCHAR(32),"
      + " price DOUBLE PRECISION, active BOOLEAN, created TIMESTAMP, amount NUMERIC(12,2), code VARCHAR(16),"
      + " version BIGINT, score REAL)";
  private static final String FILL_TABLE = "INSERT INTO t SELECT g, g % 1000, 'name-' || g, g * 1.5, g % 2 = 0,"
      + " TIMESTAMP '2026-01-01' + g * INTERVAL '1 second', g * 3.25, 'C' || (g % 97), g * 7, (g % 100) / 4.0"
      + " FROM generate_series(1, " + ResultSetIterationBenchmark.ROWS + ") AS g";

  private final Path dataDir;
  private final EmbeddedPostgres postgres;

  /** Starts the server (a fresh data directory in a temporary directory) and creates table {@code t}. */
  PeersPostgres() throws IOException, SQLException {
    dataDir = Files.createTempDirectory("rota-bench-pg-peers");
    postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.resolve("data"))
        .setCleanDataDirectory(true)
        .setServerConfig("listen_addresses", WRITER_HOST + "," + READER_HOST)
        .setServerConfig("unix_socket_directories", dataDir.toString())
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("pg.log").toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("pg.log").toFile()))
        .start();
    try (HikariDataSource setup = pool("rota-bench-setup", 1);
        Connection c = setup.getConnection();
        Statement st = c.createStatement()) {
      st.execute(CREATE_TABLE);
      st.execute(FILL_TABLE);
      st.execute("VACUUM ANALYZE t");
    }
  }

  /** The server's port (the same on both addresses). */
  int port() {
    return postgres.getPort();
  }

  /** A HikariCP pool of {@code size} connections to {@value #WRITER_HOST} named {@code applicationName}. */
  HikariDataSource pool(String applicationName, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://" + WRITER_HOST + ":" + port() + "/postgres");
    config.setUsername("postgres");
    config.setPoolName(applicationName);
    config.addDataSourceProperty("ApplicationName", applicationName);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    return new HikariDataSource(config);
  }

  /**
   * Runs {@code sql} (one row, one text column) on a connection from {@code ds}, after
   * {@code setReadOnly(readOnly)}, and returns the value: the set-up's way of asking where a path
   * really went.
   */
  static String ask(DataSource ds, boolean readOnly, String sql) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(readOnly);
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        if (!rs.next()) {
          throw new SQLException("no row for " + sql);
        }
        return rs.getString(1);
      }
    }
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public void close() throws IOException {
    try {
      postgres.close();
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
