package io.rota.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rota.benchmarks.StubJdbc.StubDataSource;
import io.rota.benchmarks.StubJdbc.Table;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingDataSourceBuilder;
import io.rota.jdbc.RoutingSnapshot;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
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
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import software.amazon.jdbc.Driver;
import software.amazon.jdbc.HikariPooledConnectionProvider;
import software.amazon.jdbc.ds.AwsWrapperDataSource;

/**
 * Rota's {@link RoutingDataSource} beside the read/write splitting a user would pick instead, in one
 * run, on two operations:
 * <ul>
 *   <li>{@code select*}: acquire, {@code setReadOnly(true)} on the read paths, prepare and execute
 *       {@code SELECT 1}, read the int, close all ({@link JdbcRoutingBenchmark#selectOne});
 *   <li>{@code rows*}: one query of {@value ResultSetIterationBenchmark#ROWS} rows of
 *       {@value ResultSetIterationBenchmark#COLUMNS} columns, every value read with its typed getter
 *       ({@link ResultSetIterationBenchmark#read}: read-only, auto-commit off, fetch size
 *       {@value ResultSetIterationBenchmark#FETCH_SIZE}); divide by the rows for the cost per row.
 * </ul>
 *
 * <p>Implementations (the suffix of the method name):
 * <ul>
 *   <li>{@code Raw}: the replica pool directly.
 *   <li>{@code RotaRead} / {@code RotaWrite}: a {@link RoutingDataSource} over the primary and that
 *       replica pool; {@code setReadOnly(true)} takes the read path, no {@code setReadOnly} the
 *       read-write path (select only: {@code rows*} reads).
 *   <li>{@code SpringRouting}: Spring's {@link LazyConnectionDataSourceProxy} over an
 *       {@link AbstractRoutingDataSource} whose {@code determineCurrentLookupKey()} is
 *       {@link TransactionSynchronizationManager#isCurrentTransactionReadOnly()} (targets
 *       {@code true} → replica, {@code false} → primary). No transaction manager runs: the benchmark
 *       sets that flag itself around each operation with
 *       {@link TransactionSynchronizationManager#setCurrentTransactionReadOnly(boolean)}, as
 *       {@code AbstractPlatformTransactionManager} does when a read-only transaction begins and ends;
 *       the flag's set and reset are in the score. The rest of a Spring transaction (synchronization,
 *       resource binding) is not.
 *   <li>{@code SpringLazyReadOnly}: Spring 7's {@link LazyConnectionDataSourceProxy} over the primary
 *       with {@link LazyConnectionDataSourceProxy#setReadOnlyDataSource(DataSource)} = the replica:
 *       it routes on {@code setReadOnly(true)}, the same calls Rota gets.
 *   <li>{@code AwsWrapper} (postgres only): the AWS Advanced JDBC Wrapper 4.3 with
 *       {@code wrapperPlugins=srw} (its simple read/write splitting plugin, {@code SimpleReadWriteSplittingPlugin}:
 *       the one that takes a writer and a reader endpoint, {@code srwWriteEndpoint} /
 *       {@code srwReadEndpoint}; {@code readWriteSplitting} needs a host list provider that plain
 *       PostgreSQL does not give). An {@link AwsWrapperDataSource} over pgjdbc's
 *       {@code PGSimpleDataSource} behind HikariCP ({@link HikariConfig#setDataSource}); the reader
 *       connections it opens on {@code setReadOnly(true)} come from its internal pool
 *       ({@link Driver#setCustomConnectionProvider} with a {@link HikariPooledConnectionProvider},
 *       accepting the reader endpoint only: the writer connections are the outer pool's).
 *       {@code verifyNewSrwConnections=false}: its check that a reader is in recovery cannot pass on
 *       a server without replication. Writer = {@value BenchPostgres#WRITER_HOST}, reader =
 *       {@value BenchPostgres#READER_HOST}, the same server.
 * </ul>
 *
 * <p>What differs: both Spring proxies wrap only the {@code Connection} (one JDK proxy) and hand out
 * the driver's own statements and result sets, and route by a map lookup or a second data source,
 * with no replica pool, health state or fallback; Rota picks a replica from its health-checked pool
 * and wraps the statement and the result set too. The AWS wrapper runs its plugin chain on every
 * JDBC call and switches the physical connection on {@code setReadOnly}.
 *
 * <p>{@code @Param driver}: {@code stub} ({@link StubJdbc}: the difference is the layer alone) or
 * {@code postgres} (one embedded PostgreSQL, {@link BenchPostgres}, HikariCP pools told apart by
 * {@code application_name} and Rota's {@link JdbcPostgresRoundTripBenchmark.SameServerDialect}). The
 * AWS wrapper has no stub cell: it connects through a {@code java.sql.Driver} URL or a target
 * {@code DataSource} class it instantiates by name, and picks a database dialect from the server;
 * {@link StubJdbc} offers neither, so its methods use a postgres-only state.
 *
 * <p>Sanity: the set-up asks every path once where it went (postgres: {@code application_name}, or
 * {@code inet_server_addr()} for the wrapper; stub: the stub's connection counters) and the tear-down
 * checks that the measured calls borrowed from the replica pool only (from the primary only, for
 * {@code selectRotaWrite}); either fails the trial otherwise.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JdbcPeersBenchmark -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JdbcPeersBenchmark {

  private static final String APP_NAME = "SELECT current_setting('application_name')";
  private static final String SERVER_ADDR = "SELECT host(inet_server_addr())";

  /** The stub or postgres primary and replica and every implementation but the AWS wrapper over them. */
  @State(Scope.Benchmark)
  public static class Peers {
    /** {@code stub} or {@code postgres}. */
    @Param({"stub", "postgres"})
    public String driver;

    private BenchPostgres postgres;
    private HikariDataSource primaryPool;
    private HikariDataSource replicaPool;
    /** The primary's and the replica's pool, counted apart for each implementation. */
    private final Map<String, CountingDataSource[]> pools = new LinkedHashMap<>();
    private final Map<String, long[]> before = new LinkedHashMap<>();

    DataSource raw;
    RoutingDataSource rota;
    DataSource springRouting;
    DataSource springLazyReadOnly;

    /** Starts the nodes, builds the implementations and checks where each one's reads go. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException, SQLException {
      boolean rows = method(params).startsWith("rows");
      DataSource primary;
      DataSource replica;
      RoutingDataSourceBuilder builder = RoutingDataSource.builder().name("bench-peers");
      switch (driver) {
        case "stub" -> {
          // A stub with a table answers every query with its rows, so SELECT 1 gets one without.
          Table table = rows ? stubTable() : null;
          primary = new StubDataSource("primary", table);
          replica = new StubDataSource("replica", table);
        }
        case "postgres" -> {
          postgres = new BenchPostgres("rota-bench-pg-peers", BenchPostgres.WRITER_HOST, BenchPostgres.READER_HOST);
          primaryPool = postgres.pool(JdbcPostgresRoundTripBenchmark.PRIMARY_APP, 1);
          replicaPool = postgres.pool(JdbcPostgresRoundTripBenchmark.REPLICA_APP, 2);
          postgres.createTable();
          primary = primaryPool;
          replica = replicaPool;
          builder.dialect(new JdbcPostgresRoundTripBenchmark.SameServerDialect());
        }
        default -> throw new IllegalArgumentException("driver: " + driver + " (expected: stub or postgres)");
      }
      for (String name : new String[] {"raw", "rota", "springRouting", "springLazyReadOnly"}) {
        pools.put(name, new CountingDataSource[] {new CountingDataSource(primary), new CountingDataSource(replica)});
      }
      raw = pools.get("raw")[1];
      CountingDataSource[] r = pools.get("rota");
      rota = builder.primary("primary", r[0]).replica("replica", r[1]).noLagCheck()
          .healthCheckInterval(Duration.ofHours(1)).build();
      CountingDataSource[] sr = pools.get("springRouting");
      AbstractRoutingDataSource byTransaction = new AbstractRoutingDataSource() {
        @Override
        protected Object determineCurrentLookupKey() {
          return TransactionSynchronizationManager.isCurrentTransactionReadOnly();
        }
      };
      byTransaction.setTargetDataSources(Map.of(true, sr[1], false, sr[0]));
      byTransaction.afterPropertiesSet();
      springRouting = new LazyConnectionDataSourceProxy(byTransaction);
      CountingDataSource[] sl = pools.get("springLazyReadOnly");
      LazyConnectionDataSourceProxy lazy = new LazyConnectionDataSourceProxy(sl[0]);
      lazy.setReadOnlyDataSource(sl[1]);
      springLazyReadOnly = lazy;

      // Each path once (both operations), then where it went. Rota is checked by its own counters
      // of routing decisions: its health checks borrow from its pools in the background.
      Blackhole bh = new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
      // Twice: the Spring proxies read the connection defaults (auto-commit, isolation) from their
      // target on first use; the second round's borrows must be one per path, to the replica.
      Map<String, long[]> first = new LinkedHashMap<>();
      for (int round = 0; round < 2; round++) {
        pools.forEach((name, ds) -> first.put(name, new long[] {ds[0].borrows(), ds[1].borrows()}));
        onceEach(rows, bh);
      }
      for (String name : new String[] {"raw", "springRouting", "springLazyReadOnly"}) {
        checkBorrows(name, first.get(name));
      }
      RoutingSnapshot s = rota.snapshot();
      if (s.primary().reads() != 0 || s.primary().writes() != (rows ? 0 : 2) || s.replica("replica").reads() != 2) {
        throw new IllegalStateException("Rota (" + driver + ") routed 2 reads" + (rows ? "" : " and 2 writes") + " as "
            + s);
      }
      if (postgres != null) {
        String replicaApp = JdbcPostgresRoundTripBenchmark.REPLICA_APP;
        expect("raw", BenchPostgres.ask(raw, true, APP_NAME), replicaApp);
        expect("rotaRead", BenchPostgres.ask(rota, true, APP_NAME), replicaApp);
        expect("rotaWrite", BenchPostgres.ask(rota, false, APP_NAME), JdbcPostgresRoundTripBenchmark.PRIMARY_APP);
        expect("springLazyReadOnly", BenchPostgres.ask(springLazyReadOnly, true, APP_NAME), replicaApp);
        TransactionSynchronizationManager.setCurrentTransactionReadOnly(true);
        try {
          expect("springRouting", BenchPostgres.ask(springRouting, true, APP_NAME), replicaApp);
        } finally {
          TransactionSynchronizationManager.setCurrentTransactionReadOnly(false);
        }
      }
      pools.forEach((name, ds) -> before.put(name, new long[] {ds[0].borrows(), ds[1].borrows()}));
      snapshotBefore = rota.snapshot();
    }

    private RoutingSnapshot snapshotBefore;

    /** Each path once, through the operation this trial measures. */
    private void onceEach(boolean rows, Blackhole bh) throws SQLException {
      if (rows) {
        rowsRaw(this, bh);
        rowsSpringRouting(this, bh);
        rowsSpringLazyReadOnly(this, bh);
        rowsRotaRead(this, bh);
      } else {
        check(selectRaw(this));
        check(selectSpringRouting(this));
        check(selectSpringLazyReadOnly(this));
        check(selectRotaRead(this));
        check(selectRotaWrite(this));
      }
    }

    /** Fails unless the implementation borrowed once from the replica and not from the primary since {@code since}. */
    private void checkBorrows(String name, long[] since) {
      CountingDataSource[] ds = pools.get(name);
      long dp = ds[0].borrows() - since[0];
      long dr = ds[1].borrows() - since[1];
      if (dp != 0 || dr != 1) {
        throw new IllegalStateException(name + " (" + driver + ") borrowed " + dp + " from the primary and " + dr
            + " from the replica for one read; expected 0 and 1");
      }
    }

    /** Fails the trial unless the measured calls went to the side the method's path should use. */
    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) throws IOException {
      RoutingSnapshot s = rota.snapshot();
      try {
        rota.close();
        if (primaryPool != null) {
          primaryPool.close();
          replicaPool.close();
        }
      } finally {
        if (postgres != null) {
          postgres.close();
        }
      }
      String method = method(params);
      long dp;
      long dr;
      String impl = method.replaceFirst("^(select|rows)", "");
      impl = Character.toLowerCase(impl.charAt(0)) + impl.substring(1);
      if (impl.startsWith("rota")) {
        dp = s.primary().reads() + s.primary().writes() - snapshotBefore.primary().reads()
            - snapshotBefore.primary().writes();
        dr = s.replica("replica").reads() - snapshotBefore.replica("replica").reads();
      } else {
        CountingDataSource[] ds = pools.get(impl);
        dp = ds[0].borrows() - before.get(impl)[0];
        dr = ds[1].borrows() - before.get(impl)[1];
      }
      System.out.println("\n" + method + " (" + driver + "): in the measured calls " + dp + " to the primary, " + dr
          + " to the replica; Rota: fallbacks " + s.fallbacks() + ", replica " + s.replica("replica").state());
      boolean ok = impl.equals("rotaWrite") ? dp > 0 && dr == 0 : dp == 0 && dr > 0;
      if (!ok || s.fallbacks() != 0) {
        throw new IllegalStateException(method + " (" + driver + ") did not go where expected: primary " + dp
            + ", replica " + dr + ", Rota " + s);
      }
    }
  }

  /**
   * The AWS Advanced JDBC Wrapper with its simple read/write splitting plugin behind HikariCP, on one
   * embedded PostgreSQL (postgres only; see the class comment for the configuration).
   */
  @State(Scope.Benchmark)
  public static class Aws {
    private BenchPostgres postgres;
    private HikariPooledConnectionProvider readers;
    HikariDataSource wrapper;

    /** Starts the server, the pools and the wrapper, and checks that reads reach the reader endpoint. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
      postgres = new BenchPostgres("rota-bench-pg-peers", BenchPostgres.WRITER_HOST, BenchPostgres.READER_HOST);
      postgres.createTable();
      String writer = BenchPostgres.WRITER_HOST + ":" + postgres.port();
      String reader = BenchPostgres.READER_HOST + ":" + postgres.port();
      readers = new HikariPooledConnectionProvider(
          (host, props) -> {
            HikariConfig c = new HikariConfig();
            c.setMaximumPoolSize(2);
            c.setMinimumIdle(2);
            return c;
          },
          (host, props) -> host.getHostAndPort(),
          (host, props) -> BenchPostgres.READER_HOST.equals(host.getHost()),
          TimeUnit.MINUTES.toNanos(30), TimeUnit.MINUTES.toNanos(10));
      Driver.setCustomConnectionProvider(readers);

      Properties target = new Properties();
      target.setProperty("wrapperPlugins", "srw");
      target.setProperty("srwWriteEndpoint", writer);
      target.setProperty("srwReadEndpoint", reader);
      target.setProperty("verifyNewSrwConnections", "false");
      target.setProperty("ApplicationName", "rota-bench-aws");
      AwsWrapperDataSource ds = new AwsWrapperDataSource();
      ds.setJdbcProtocol("jdbc:postgresql:");
      ds.setTargetDataSourceClassName("org.postgresql.ds.PGSimpleDataSource");
      ds.setServerName(BenchPostgres.WRITER_HOST);
      ds.setServerPort(Integer.toString(postgres.port()));
      ds.setDatabase("postgres");
      ds.setUser("postgres");
      ds.setTargetDataSourceProperties(target);
      HikariConfig config = new HikariConfig();
      config.setDataSource(ds);
      config.setPoolName("rota-bench-aws");
      config.setMaximumPoolSize(2);
      config.setMinimumIdle(2);
      wrapper = new HikariDataSource(config);

      check(JdbcRoutingBenchmark.selectOne(wrapper, true));
      ResultSetIterationBenchmark.read(wrapper, new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."));
      checkEndpoints("set-up");
    }

    private void checkEndpoints(String when) throws SQLException {
      expect("awsWrapper read, " + when, BenchPostgres.ask(wrapper, true, SERVER_ADDR), BenchPostgres.READER_HOST);
      expect("awsWrapper write, " + when, BenchPostgres.ask(wrapper, false, SERVER_ADDR), BenchPostgres.WRITER_HOST);
      // The provider names its pools by URL, e.g. "127.0.0.2:5432/".
      String readerUrl = BenchPostgres.READER_HOST + ":" + postgres.port() + "/";
      if (readers.getHostCount() != 1 || !readers.getHosts().contains(readerUrl)) {
        throw new IllegalStateException("awsWrapper's internal pools (" + when + "): " + readers.getHosts()
            + "; expected the reader endpoint only");
      }
    }

    /** Checks the endpoints again, then stops the wrapper, its pools and the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
      try {
        checkEndpoints("tear-down");
        System.out.println("\nawsWrapper: internal pools " + readers.getHosts());
      } finally {
        try {
          wrapper.close();
          readers.releaseResources();
          Driver.resetCustomConnectionProvider();
        } finally {
          postgres.close();
        }
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Acquire + statement + close.

  /** The replica pool directly. */
  @Benchmark
  public static int selectRaw(Peers p) throws SQLException {
    return JdbcRoutingBenchmark.selectOne(p.raw, true);
  }

  /** Rota, read path ({@code setReadOnly(true)}). */
  @Benchmark
  public static int selectRotaRead(Peers p) throws SQLException {
    return JdbcRoutingBenchmark.selectOne(p.rota, true);
  }

  /** Rota, read-write path. */
  @Benchmark
  public static int selectRotaWrite(Peers p) throws SQLException {
    return JdbcRoutingBenchmark.selectOne(p.rota, false);
  }

  /** Spring's lazy proxy over a routing data source keyed by the read-only transaction flag. */
  @Benchmark
  public static int selectSpringRouting(Peers p) throws SQLException {
    TransactionSynchronizationManager.setCurrentTransactionReadOnly(true);
    try {
      return JdbcRoutingBenchmark.selectOne(p.springRouting, true);
    } finally {
      TransactionSynchronizationManager.setCurrentTransactionReadOnly(false);
    }
  }

  /** Spring 7's lazy proxy with a read-only data source. */
  @Benchmark
  public static int selectSpringLazyReadOnly(Peers p) throws SQLException {
    return JdbcRoutingBenchmark.selectOne(p.springLazyReadOnly, true);
  }

  /** The AWS wrapper's simple read/write splitting behind HikariCP (postgres). */
  @Benchmark
  public static int selectAwsWrapper(Aws a) throws SQLException {
    return JdbcRoutingBenchmark.selectOne(a.wrapper, true);
  }

  // -----------------------------------------------------------------------------------------------
  // One query of ROWS rows.

  /** The replica pool directly. */
  @Benchmark
  public static int rowsRaw(Peers p, Blackhole bh) throws SQLException {
    return rows(ResultSetIterationBenchmark.read(p.raw, bh));
  }

  /** Rota, read path. */
  @Benchmark
  public static int rowsRotaRead(Peers p, Blackhole bh) throws SQLException {
    return rows(ResultSetIterationBenchmark.read(p.rota, bh));
  }

  /** Spring's lazy proxy over a routing data source keyed by the read-only transaction flag. */
  @Benchmark
  public static int rowsSpringRouting(Peers p, Blackhole bh) throws SQLException {
    TransactionSynchronizationManager.setCurrentTransactionReadOnly(true);
    try {
      return rows(ResultSetIterationBenchmark.read(p.springRouting, bh));
    } finally {
      TransactionSynchronizationManager.setCurrentTransactionReadOnly(false);
    }
  }

  /** Spring 7's lazy proxy with a read-only data source. */
  @Benchmark
  public static int rowsSpringLazyReadOnly(Peers p, Blackhole bh) throws SQLException {
    return rows(ResultSetIterationBenchmark.read(p.springLazyReadOnly, bh));
  }

  /** The AWS wrapper's simple read/write splitting behind HikariCP (postgres). */
  @Benchmark
  public static int rowsAwsWrapper(Aws a, Blackhole bh) throws SQLException {
    return rows(ResultSetIterationBenchmark.read(a.wrapper, bh));
  }

  // -----------------------------------------------------------------------------------------------

  private static String method(BenchmarkParams params) {
    return params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
  }

  private static int rows(int n) {
    if (n != ResultSetIterationBenchmark.ROWS) {
      throw new IllegalStateException(n + " rows instead of " + ResultSetIterationBenchmark.ROWS);
    }
    return n;
  }

  private static void check(int value) {
    if (value != 1) {
      throw new IllegalStateException("SELECT 1 returned " + value);
    }
  }

  private static void expect(String what, String actual, String expected) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(what + " reached '" + actual + "', expected '" + expected + "'");
    }
  }

  /**
   * The stub's {@value ResultSetIterationBenchmark#ROWS} rows, in the column types
   * {@link ResultSetIterationBenchmark#read} reads, built once (every get is then an array read).
   */
  private static Table stubTable() {
    int n = ResultSetIterationBenchmark.ROWS;
    Table t = new Table(n, ResultSetIterationBenchmark.COLUMNS);
    t.longs[1] = new long[n];
    t.ints[2] = new int[n];
    t.objects[3] = new Object[n];
    t.doubles[4] = new double[n];
    t.booleans[5] = new boolean[n];
    t.objects[6] = new Object[n];
    t.objects[7] = new Object[n];
    t.objects[8] = new Object[n];
    t.longs[9] = new long[n];
    t.floats[10] = new float[n];
    Timestamp start = Timestamp.valueOf("2026-01-01 00:00:00");
    for (int i = 0; i < n; i++) {
      t.longs[1][i] = i;
      t.ints[2][i] = i % 1000;
      t.objects[3][i] = "name-" + i;
      t.doubles[4][i] = i * 1.5;
      t.booleans[5][i] = i % 2 == 0;
      t.objects[6][i] = new Timestamp(start.getTime() + i * 1000L);
      t.objects[7][i] = BigDecimal.valueOf(i * 325L, 2);
      t.objects[8][i] = "C" + i % 97;
      t.longs[9][i] = i * 7L;
      t.floats[10][i] = i % 100 / 4.0f;
    }
    return t;
  }
}
