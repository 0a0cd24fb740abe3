package io.rota.benchmarks;

import io.rota.benchmarks.StubJdbc.StubDataSource;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What {@link RoutingDataSource} adds to one connection acquire + {@code setReadOnly} + prepare +
 * execute + read + close, over the "pool" it wraps, with a stub driver ({@link StubJdbc}) that does
 * nothing but return constants, so that the difference is the routing layer alone. The stub keeps
 * each connection, statement and result set it hands out referenced (as a pool and a driver do), so
 * that {@code raw} allocates them too rather than escape analysis removing them (before 2026-12-08
 * it did: {@code raw} measured 2 ns and 0 B/op, and the stub's 72 B counted as routing overhead).
 *
 * <ul>
 *   <li>{@code raw}: the stub replica data source directly.
 *   <li>{@code routed}: a {@link RoutingDataSource} over a stub primary and two stub replicas;
 *       {@code setReadOnly(true)} routes the connection to a replica.
 *   <li>{@code routedWrite}: the same without {@code setReadOnly}: the connection goes to the primary.
 *   <li>{@code proxyOnly} (diagnostic): the raw path through plain pass-through JDK proxies of
 *       {@code Connection}, {@code PreparedStatement} and {@code ResultSet} ({@link Proxy} per
 *       object, {@link Method#invoke} per call), with no routing at all: the part of
 *       {@code routed - raw} that the proxy-and-reflection design costs by itself.
 * </ul>
 *
 * <p>Health checks run once at start (every hour after that) and find the stub healthy; no dialect
 * supports the stub's product name, and {@code noLagCheck()} turns the lag check off.
 * {@link #tearDown} fails the trial if reads did not go to the replicas (or writes to the primary).
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JdbcRoutingBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JdbcRoutingBenchmark {

  private static final String SQL = "SELECT 1";

  private StubDataSource primary;
  private StubDataSource replica1;
  private StubDataSource replica2;
  private StubDataSource plain;
  private RoutingDataSource routing;
  private DataSource proxied;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    primary = new StubDataSource("primary");
    replica1 = new StubDataSource("replica-1");
    replica2 = new StubDataSource("replica-2");
    plain = new StubDataSource("raw");
    routing = RoutingDataSource.builder()
        .name("bench")
        .primary("primary", primary)
        .replica("replica-1", replica1)
        .replica("replica-2", replica2)
        .noLagCheck()
        .healthCheckInterval(Duration.ofHours(1))
        .build();
    proxied = proxied(plain);
    // Each path once, to fail fast if routing does not go where it should. (The counters of the
    // snapshot count routing decisions; health checks take stub connections of their own.)
    check(selectOne(routing, true));
    RoutingSnapshot s = routing.snapshot();
    if (s.primary().reads() != 0 || replicaReads(s) != 1) {
      throw new IllegalStateException("read-only work did not go to a replica: " + s);
    }
    check(selectOne(routing, false));
    s = routing.snapshot();
    if (s.primary().writes() != 1 || replicaReads(s) != 1) {
      throw new IllegalStateException("read-write work did not go to the primary: " + s);
    }
    check(selectOne(plain, true));
    check(selectOne(proxied, true));
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    RoutingSnapshot s = routing.snapshot();
    routing.close();
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    long replicaReads = replicaReads(s);
    boolean ok = switch (method) {
      case "routed" -> s.fallbacks() == 0 && s.primary().reads() == 0 && replicaReads > 1_000;
      case "routedWrite" -> s.primary().writes() > 1_000 && replicaReads == 1;
      default -> true;
    };
    System.out.println("\n" + method + ": primary reads " + s.primary().reads() + ", writes " + s.primary().writes()
        + "; replica reads " + replicaReads + " (" + replica1.connections + " + " + replica2.connections
        + " stub connections); fallbacks " + s.fallbacks());
    if (!ok) {
      throw new IllegalStateException(method + " did not route as expected: " + s);
    }
  }

  /** The stub replica's "pool" directly. */
  @Benchmark
  public int raw() throws SQLException {
    return selectOne(plain, true);
  }

  /** Read-only: through the routing data source to a replica. */
  @Benchmark
  public int routed() throws SQLException {
    return selectOne(routing, true);
  }

  /** Read-write (no {@code setReadOnly}): through the routing data source to the primary. */
  @Benchmark
  public int routedWrite() throws SQLException {
    return selectOne(routing, false);
  }

  /** Diagnostic: the raw path through pass-through JDK proxies, without routing. */
  @Benchmark
  public int proxyOnly() throws SQLException {
    return selectOne(proxied, true);
  }

  /** Acquire, optionally {@code setReadOnly(true)}, prepare, execute, read one int, close all. */
  static int selectOne(DataSource ds, boolean readOnly) throws SQLException {
    try (Connection c = ds.getConnection()) {
      if (readOnly) {
        c.setReadOnly(true);
      }
      try (PreparedStatement ps = c.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no row");
        }
        return rs.getInt(1);
      }
    }
  }

  private static long replicaReads(RoutingSnapshot s) {
    return s.replicas().stream().mapToLong(RoutingSnapshot.Node::reads).sum();
  }

  private static void check(int value) {
    if (value != 1) {
      throw new IllegalStateException("SELECT 1 returned " + value);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The proxyOnly diagnostic: what a JDK proxy per object and Method.invoke per call cost.

  /** A data source whose connections are pass-through proxies of the target's. */
  private static DataSource proxied(StubDataSource target) {
    return new UnsupportedJdbc.UnsupportedDataSource() {
      @Override
      public Connection getConnection() {
        return proxy(Connection.class, target.getConnection());
      }
    };
  }

  private static <T> T proxy(Class<T> type, T target) {
    InvocationHandler handler = (p, method, args) -> {
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof PreparedStatement) {
        return proxy(PreparedStatement.class, (PreparedStatement) result);
      }
      if (result instanceof ResultSet) {
        return proxy(ResultSet.class, (ResultSet) result);
      }
      return result;
    };
    return type.cast(Proxy.newProxyInstance(JdbcRoutingBenchmark.class.getClassLoader(), new Class<?>[] {type},
        handler));
  }
}
