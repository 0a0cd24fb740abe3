package io.rota.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.rota.benchmarks.StubJdbc.StubDataSource;
import io.rota.benchmarks.StubJdbc.Table;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the routing layer's result set ({@code RoutingResultSet}, a plain delegating class) adds per
 * row when a query's rows are read: one operation is a whole query of {@value #ROWS} rows of
 * {@value #COLUMNS} columns, every column of every row read with its typed getter
 * ({@link #read}); divide the score and {@code gc.alloc.rate.norm} by {@value #ROWS} for the cost
 * per row. The per-query constant (acquire, {@code setReadOnly}, prepare, execute, commit, close)
 * is in the score too, spread over the rows.
 *
 * <ul>
 *   <li>{@code raw}: the replica's pool directly.
 *   <li>{@code routed}: a {@link RoutingDataSource} over a primary and that same pool as its one
 *       replica; {@code setReadOnly(true)} routes the connection to the replica.
 * </ul>
 *
 * <p>{@code @Param driver}:
 * <ul>
 *   <li>{@code stub}: {@link StubJdbc} data sources whose result set ({@link StubJdbc.StubTableResultSet})
 *       reads pre-built column arrays: no allocation per get, so the difference is the wrapper alone.
 *   <li>{@code postgres}: one embedded PostgreSQL 17 on 127.0.0.1 (as in
 *       {@link JdbcPostgresRoundTripBenchmark}, with its {@code SameServerDialect}), two HikariCP
 *       pools on it, a table {@code t} of {@value #ROWS} rows created in the set-up, fetched
 *       {@value #FETCH_SIZE} rows at a time (a cursor: auto-commit off, one read-only transaction per
 *       query).
 * </ul>
 *
 * <p>The set-up checks that both paths return the same {@value #ROWS} rows (a checksum over every
 * value, the same for both drivers) and that a routed read went to the replica; {@link #tearDown}
 * fails the trial if {@code routed} took any read to the primary or any fallback.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ResultSetIterationBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ResultSetIterationBenchmark {

  static final int ROWS = 10_000;
  static final int COLUMNS = 10;
  static final int FETCH_SIZE = 1_000;
  private static final String SQL = "SELECT * FROM t";

  @Param({"stub", "postgres"})
  public String driver;

  // stub
  private StubDataSource stubPrimary;
  private StubDataSource stubReplica;
  // postgres
  private BenchPostgres postgres;
  private HikariDataSource primaryPool;
  private HikariDataSource replicaPool;

  /** The replica's pool: what {@code raw} reads from, and the routing data source's one replica. */
  private DataSource pool;
  private RoutingDataSource routing;

  @Setup(Level.Trial)
  public void setUp() throws IOException, SQLException {
    switch (driver) {
      case "stub" -> {
        Table table = table();
        stubPrimary = new StubDataSource("primary", table);
        stubReplica = new StubDataSource("replica", table);
        pool = stubReplica;
        routing = RoutingDataSource.builder()
            .name("bench-rows")
            .primary("primary", stubPrimary)
            .replica("replica", stubReplica)
            .noLagCheck()
            .healthCheckInterval(Duration.ofHours(1))
            .build();
      }
      case "postgres" -> {
        startPostgres();
        pool = replicaPool;
        routing = RoutingDataSource.builder()
            .name("bench-rows-pg")
            .primary("primary", primaryPool)
            .replica("replica", replicaPool)
            .dialect(new JdbcPostgresRoundTripBenchmark.SameServerDialect())
            .noLagCheck()
            .healthCheckInterval(Duration.ofHours(1))
            .build();
      }
      default -> throw new IllegalArgumentException("driver " + driver);
    }
    long expected = expectedChecksum();
    long rawSum = checksum(pool);
    long routedSum = checksum(routing);
    if (rawSum != expected || routedSum != expected) {
      throw new IllegalStateException("checksums differ: expected " + expected + ", raw " + rawSum + ", routed "
          + routedSum);
    }
    RoutingSnapshot s = routing.snapshot();
    if (s.primary().reads() != 0 || s.replica("replica").reads() != 1) {
      throw new IllegalStateException("read-only work did not go to the replica: " + s);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) throws IOException {
    RoutingSnapshot s = routing.snapshot();
    try {
      routing.close();
      if (primaryPool != null) {
        primaryPool.close();
        replicaPool.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    long replicaReads = s.replica("replica").reads();
    boolean ok = s.fallbacks() == 0 && s.primary().reads() == 0 && s.primary().writes() == 0
        // the set-up read once through the routing data source; routed must have read again (a smoke
        // run of 100 ms on PostgreSQL manages only a few 10,000-row reads)
        && (method.equals("routed") ? replicaReads > 1 : replicaReads == 1);
    System.out.println("\n" + method + " (" + driver + "): primary reads " + s.primary().reads() + ", writes "
        + s.primary().writes() + "; replica reads " + replicaReads + ", state " + s.replica("replica").state()
        + (stubReplica != null ? " (" + stubReplica.connections + " replica, " + stubPrimary.connections
            + " primary stub connections)" : "")
        + "; fallbacks " + s.fallbacks());
    if (!ok) {
      throw new IllegalStateException(method + " did not route as expected: " + s);
    }
  }

  /** The replica's pool directly. */
  @Benchmark
  public int raw(Blackhole bh) throws SQLException {
    return check(read(pool, bh));
  }

  /** Read-only, through the routing data source, to that same pool. */
  @Benchmark
  public int routed(Blackhole bh) throws SQLException {
    return check(read(routing, bh));
  }

  /**
   * One query: acquire, {@code setReadOnly(true)}, auto-commit off, prepare {@value #SQL}, fetch size
   * {@value #FETCH_SIZE}, execute, read every column of every row with its typed getter into the
   * blackhole, commit, close all. Returns the number of rows.
   */
  static int read(DataSource ds, Blackhole bh) throws SQLException {
    int n = 0;
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(SQL)) {
        ps.setFetchSize(FETCH_SIZE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            bh.consume(rs.getLong(1));
            bh.consume(rs.getInt(2));
            bh.consume(rs.getString(3));
            bh.consume(rs.getDouble(4));
            bh.consume(rs.getBoolean(5));
            bh.consume(rs.getTimestamp(6));
            bh.consume(rs.getBigDecimal(7));
            bh.consume(rs.getString(8));
            bh.consume(rs.getLong(9));
            bh.consume(rs.getFloat(10));
            n++;
          }
        }
      }
      c.commit();
    }
    return n;
  }

  private static int check(int rows) {
    if (rows != ROWS) {
      throw new IllegalStateException(rows + " rows instead of " + ROWS);
    }
    return rows;
  }

  /** {@link #read} once, summing every value instead (set-up only, so that the paths are compared). */
  private static long checksum(DataSource ds) throws SQLException {
    long sum = 0;
    int n = 0;
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(SQL)) {
        ps.setFetchSize(FETCH_SIZE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sum += rowSum(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getDouble(4), rs.getBoolean(5),
                rs.getTimestamp(6), rs.getBigDecimal(7), rs.getString(8), rs.getLong(9), rs.getFloat(10));
            n++;
          }
        }
      }
      c.commit();
    }
    return check(n) == ROWS ? sum : -1;
  }

  private static long rowSum(long id, int qty, String name, double price, boolean active, Timestamp created,
      BigDecimal amount, String code, long version, float score) {
    return 31 * (id + qty + name.hashCode() + Double.hashCode(price) + (active ? 1 : 0) + created.getTime()
        + amount.hashCode() + code.hashCode() + version + Float.hashCode(score));
  }

  // -----------------------------------------------------------------------------------------------
  // The rows: row g (1..ROWS) of the stub table and of PostgreSQL's table t hold the same values.

  private static long id(int g) {
    return g;
  }

  private static int qty(int g) {
    return g % 1000;
  }

  private static String name(int g) {
    return "name-" + g;
  }

  private static double price(int g) {
    return g * 1.5;
  }

  private static boolean active(int g) {
    return g % 2 == 0;
  }

  private static Timestamp created(int g) {
    return Timestamp.valueOf(LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(g));
  }

  private static BigDecimal amount(int g) {
    return BigDecimal.valueOf(g * 325L, 2);
  }

  private static String code(int g) {
    return "C" + (g % 97);
  }

  private static long version(int g) {
    return g * 7L;
  }

  private static float score(int g) {
    return (g % 100) / 4.0f;
  }

  /** Table {@code t}, as {@link BenchPostgres#createTable()} creates it. */
  static final String CREATE_TABLE = "CREATE TABLE t (id BIGINT PRIMARY KEY, qty INTEGER NOT NULL,"
      + " name VARCHAR(32) NOT NULL, price DOUBLE PRECISION NOT NULL, active BOOLEAN NOT NULL,"
      + " created TIMESTAMP NOT NULL, amount NUMERIC(12,2) NOT NULL, code VARCHAR(16) NOT NULL,"
      + " version BIGINT NOT NULL, score REAL NOT NULL)";

  /** The same values as {@link #table()}, generated by the server. */
  static final String FILL_TABLE = "INSERT INTO t SELECT g, g % 1000, 'name-' || g, g * 1.5, g % 2 = 0,"
      + " TIMESTAMP '2026-01-01 00:00:00' + g * INTERVAL '1 second', (g * 325)::numeric / 100, 'C' || (g % 97),"
      + " g * 7, (g % 100) / 4.0 FROM generate_series(1, " + ROWS + ") AS g";

  private static long expectedChecksum() {
    long sum = 0;
    for (int g = 1; g <= ROWS; g++) {
      sum += rowSum(id(g), qty(g), name(g), price(g), active(g), created(g), amount(g), code(g), version(g),
          score(g));
    }
    return sum;
  }

  /** The stub's rows, built once: every getter then reads an array. */
  private static Table table() {
    Table t = new Table(ROWS, COLUMNS);
    long[] id = t.longs[1] = new long[ROWS];
    int[] qty = t.ints[2] = new int[ROWS];
    Object[] name = t.objects[3] = new Object[ROWS];
    double[] price = t.doubles[4] = new double[ROWS];
    boolean[] active = t.booleans[5] = new boolean[ROWS];
    Object[] created = t.objects[6] = new Object[ROWS];
    Object[] amount = t.objects[7] = new Object[ROWS];
    Object[] code = t.objects[8] = new Object[ROWS];
    long[] version = t.longs[9] = new long[ROWS];
    float[] score = t.floats[10] = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      int g = i + 1;
      id[i] = id(g);
      qty[i] = qty(g);
      name[i] = name(g);
      price[i] = price(g);
      active[i] = active(g);
      created[i] = created(g);
      amount[i] = amount(g);
      code[i] = code(g);
      version[i] = version(g);
      score[i] = score(g);
    }
    return t;
  }

  // -----------------------------------------------------------------------------------------------
  // PostgreSQL (BenchPostgres) with table t.

  private void startPostgres() throws IOException, SQLException {
    postgres = new BenchPostgres("rota-bench-pg-rows", BenchPostgres.WRITER_HOST);
    primaryPool = postgres.pool(JdbcPostgresRoundTripBenchmark.PRIMARY_APP, 1);
    replicaPool = postgres.pool(JdbcPostgresRoundTripBenchmark.REPLICA_APP, 2);
    postgres.createTable();
  }
}
