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
 * One embedded PostgreSQL for the benchmarks that need a real server ({@link JdbcPostgresRoundTripBenchmark},
 * {@link ResultSetIterationBenchmark}, {@link JdbcPeersBenchmark}): zonky's binaries, a fresh data
 * directory in a temporary directory (deleted by {@link #close()}), TCP on the given loopback
 * addresses only. {@link JdbcPeersBenchmark} listens on {@value #WRITER_HOST} and {@value #READER_HOST},
 * so that a peer that only takes endpoints (the AWS wrapper's simple read/write splitting plugin) gets
 * a "writer" and a "reader" that a query can tell apart ({@code inet_server_addr()}); HikariCP pools
 * tell themselves apart by {@code application_name}. {@link #createTable()} creates and fills
 * {@link ResultSetIterationBenchmark}'s table {@code t}. Not thread-safe: started and closed by one thread.
 */
final class BenchPostgres implements AutoCloseable {

  /** The address the primary ("writer") is reached at, and the one {@link #pool} connects to. */
  static final String WRITER_HOST = "127.0.0.1";
  /** The address the "reader" endpoint is reached at: the same server. */
  static final String READER_HOST = "127.0.0.2";

  private final Path dataDir;
  private final EmbeddedPostgres postgres;

  /**
   * Starts the server, listening on {@code listenAddresses} (which must include {@value #WRITER_HOST});
   * its files go to a temporary directory named after {@code name}.
   */
  BenchPostgres(String name, String... listenAddresses) throws IOException {
    if (!java.util.Arrays.asList(listenAddresses).contains(WRITER_HOST)) {
      throw new IllegalArgumentException("listen addresses " + java.util.Arrays.toString(listenAddresses)
          + " must include " + WRITER_HOST + " (the address pools connect to)");
    }
    dataDir = Files.createTempDirectory(name);
    postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.resolve("data"))
        .setCleanDataDirectory(true)
        .setServerConfig("listen_addresses", String.join(",", listenAddresses))
        .setServerConfig("unix_socket_directories", dataDir.toString())
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("pg.log").toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("pg.log").toFile()))
        .start();
  }

  /**
   * Creates and fills {@link ResultSetIterationBenchmark}'s table {@code t}
   * ({@value ResultSetIterationBenchmark#ROWS} rows of {@value ResultSetIterationBenchmark#COLUMNS}
   * columns) over a connection of its own, and analyses it.
   */
  void createTable() throws SQLException {
    try (HikariDataSource setup = pool("rota-bench-setup", 1);
        Connection c = setup.getConnection();
        Statement st = c.createStatement()) {
      st.execute(ResultSetIterationBenchmark.CREATE_TABLE);
      st.execute(ResultSetIterationBenchmark.FILL_TABLE);
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
