package io.rota.spring.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.RoutingDataSource;
import io.rota.testkit.PgCluster;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

/**
 * The starter as a Boot application uses it: {@code spring.datasource.*} for the primary, one line per
 * replica, JdbcTemplate and Spring's DataSourceTransactionManager, against a real PostgreSQL primary and
 * streaming replica. Each case asserts which server ran the statements.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingIT {

  static PgCluster cluster;
  static ConfigurableApplicationContext app;
  static Queries queries;
  static Outer outer;

  @BeforeAll
  static void start() {
    cluster = PgCluster.start(1);
    app = RoutingApp.start(Queries.POSTGRES_PORT, cluster.jdbcUrl(PgCluster.PRIMARY), cluster.jdbcUrl(1),
        PgCluster.APP_USER, PgCluster.APP_PASSWORD,
        Map.of("spring.flyway.locations", "classpath:rota-routing-migrations"),
        "--spring.flyway.enabled=true"); // over this module's test application.properties

    queries = app.getBean(Queries.class);
    outer = app.getBean(Outer.class);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static boolean onReplica(int port) {
    return cluster.nodeOfPort(port) != PgCluster.PRIMARY;
  }

  private static boolean onPrimary(int port) {
    return cluster.nodeOfPort(port) == PgCluster.PRIMARY;
  }

  /** Counts rows with this body on the primary, past Rota, as the superuser. */
  private static int rowsOnPrimary(String body) throws SQLException {
    return RoutingApp.rows(cluster.adminDataSource(PgCluster.PRIMARY), body);
  }

  @Test
  @Order(1)
  void theRoutingDataSourceIsThePrimaryDataSourceAndTheReplicaPoolIsNoBean() {
    assertThat(app.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
    assertThat(app.getBeansOfType(DataSource.class)).containsOnlyKeys("dataSource", "rotaRoutingDataSource");
    // Flyway migrated through the routing data source: on the primary (the replica refuses DDL).
    assertThat(queries.count("nothing")).isZero();
    assertThat(app.getBean(org.flywaydb.core.Flyway.class).getConfiguration().getDataSource())
        .isInstanceOf(RoutingDataSource.class);
  }

  @Test
  @Order(2)
  void readOnlyTransactionsRunOnTheReplicaAndEverythingElseOnThePrimary() {
    assertThat(queries.readOnly()).as("@Transactional(readOnly = true)").matches(RoutingIT::onReplica);
    assertThat(queries.readWrite()).as("@Transactional").matches(RoutingIT::onPrimary);
    assertThat(queries.unmarked()).as("no transaction, nothing marked").matches(RoutingIT::onPrimary);
  }

  @Test
  @Order(3)
  void readOnlyOnABeanMethodRoutesToTheReplicaWithOrWithoutATransaction() {
    assertThat(queries.readOnlyScope()).as("@ReadOnly, auto-commit").matches(RoutingIT::onReplica);
    assertThat(queries.readOnlyScopeAroundTransaction()).as("@ReadOnly @Transactional: the scope is outside")
        .matches(RoutingIT::onReplica);
  }

  @Test
  @Order(4)
  void aReadOnlyMethodJoiningAReadWriteTransactionStaysOnThePrimaryAndSeesItsWrites() throws SQLException {
    int[] ports = outer.readOnlyJoiningReadWrite("joined");
    assertThat(ports[0]).matches(RoutingIT::onPrimary);
    assertThat(ports[1]).as("@Transactional(readOnly = true) REQUIRED inside read-write").matches(RoutingIT::onPrimary);
    assertThat(ports[2]).as("the transaction's own write, read in it").isEqualTo(1);
    assertThat(rowsOnPrimary("joined")).isEqualTo(1);
  }

  @Test
  @Order(5)
  void aReadOnlyScopeInsideAReadWriteTransactionStaysOnThePrimary() {
    int[] ports = outer.readOnlyScopeInsideReadWrite();
    assertThat(ports[0]).matches(RoutingIT::onPrimary);
    assertThat(ports[1]).as("@ReadOnly inside read-write").matches(RoutingIT::onPrimary);
  }

  @Test
  @Order(6)
  void requiresNewStartsATransactionOfItsOwnKind() throws SQLException {
    int[] rw = outer.newReadOnlyInsideReadWrite();
    assertThat(rw[0]).matches(RoutingIT::onPrimary);
    assertThat(rw[1]).as("REQUIRES_NEW read-only inside read-write").matches(RoutingIT::onReplica);

    int[] ro = outer.newWriteInsideReadOnly("new-write");
    assertThat(ro[0]).matches(RoutingIT::onReplica);
    assertThat(ro[1]).as("REQUIRES_NEW read-write inside read-only").matches(RoutingIT::onPrimary);
    assertThat(rowsOnPrimary("new-write")).isEqualTo(1);
  }

  @Test
  @Order(7)
  void aWriteJoiningAReadOnlyTransactionFailsWithTheReadOnlyErrorAndWritesNothing() throws SQLException {
    assertThatThrownBy(() -> outer.writeJoiningReadOnly("must-not-exist"))
        .isInstanceOf(DataAccessException.class)
        .rootCause().isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("read_only_sql_transaction").isEqualTo("25006"));
    assertThat(rowsOnPrimary("must-not-exist")).isZero();
    // The connection went back clean: the next transactions run where they should.
    assertThat(queries.readWrite()).matches(RoutingIT::onPrimary);
    assertThat(queries.readOnly()).matches(RoutingIT::onReplica);
  }

  @Test
  @Order(7)
  void insideAReadOnlyMethodEvenANewTransactionIsReadOnlySoItsWriteFails() throws SQLException {
    assertThatThrownBy(() -> outer.newWriteInsideReadOnlyScope("scope-write"))
        .isInstanceOf(DataAccessException.class)
        .rootCause().isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    assertThat(rowsOnPrimary("scope-write")).isZero();
  }

  @Test
  @Order(8)
  void manyThreadsReadOnTheReplicaAndWriteOnThePrimary() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String body = "thread-" + t;
        results.add(pool.submit(() -> {
          int[] wrongNode = new int[2];
          for (int i = 0; i < 50; i++) {
            if (!onReplica(queries.readOnly())) {
              wrongNode[0]++;
            }
            if (!onPrimary(queries.newWrite(body))) {
              wrongNode[1]++;
            }
          }
          return wrongNode;
        }));
      }
      for (Future<int[]> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).as("reads off the replica, writes off the primary").containsExactly(0, 0);
      }
      for (int t = 0; t < 8; t++) {
        assertThat(rowsOnPrimary("thread-" + t)).isEqualTo(50);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Last: it stops the replica, then brings it back. */
  @Test
  @Order(100)
  void aReplicaStoppedMidTestCostsNoFailedReadsAfterTheFirstSecondAndComesBack() throws Exception {
    record Outcome(long atNanos, int port, Throwable error) {}
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    long stopAt;
    long end;
    try {
      long runUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      List<Future<?>> readers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        readers.add(pool.submit(() -> {
          while (System.nanoTime() < runUntil) {
            try {
              int port = queries.readOnly();
              outcomes.add(new Outcome(System.nanoTime(), port, null));
            } catch (RuntimeException e) {
              outcomes.add(new Outcome(System.nanoTime(), -1, e));
            }
          }
        }));
      }
      awaitOutcomes(outcomes, o -> o.error() == null && onReplica(o.port()), 20);
      stopAt = System.nanoTime();
      cluster.stopReplica(1);
      for (Future<?> f : readers) {
        f.get(60, TimeUnit.SECONDS);
      }
      end = System.nanoTime();
    } finally {
      pool.shutdownNow();
    }
    long graceEnd = stopAt + Duration.ofSeconds(1).toNanos();
    List<Outcome> after = outcomes.stream().filter(o -> o.atNanos() > graceEnd).toList();
    assertThat(end).as("the readers ran past the first second after the stop").isGreaterThan(graceEnd);
    assertThat(after).as("reads after the first second").isNotEmpty();
    assertThat(after.stream().filter(o -> o.error() != null).toList()).as("failed reads after the first second").isEmpty();
    assertThat(after).as("served by the primary (fallback)").allMatch(o -> onPrimary(o.port()));
    for (Outcome o : outcomes) {
      if (o.error() != null) {
        assertThat(o.error()).as("a read that failed as the replica stopped: %s", describe(o.error()))
            .isInstanceOf(DataAccessException.class);
        assertThat(causeMessages(o.error())).as("its causes name the replica").contains("replica-1");
      }
    }

    cluster.startReplica(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int port = queries.readOnly();
    while (!onReplica(port) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      port = queries.readOnly();
    }
    assertThat(port).as("the replica takes reads again once its checks pass").matches(RoutingIT::onReplica);
  }

  private static String describe(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append("\n  ").append(c);
      if (c instanceof SQLException sql) {
        b.append(" [SQLState ").append(sql.getSQLState()).append(']');
      }
      if (c instanceof org.springframework.transaction.TransactionSystemException tse && tse.getApplicationException() != null) {
        b.append("\n  after the application's ").append(describe(tse.getApplicationException()));
      }
    }
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return b.append("\n").append(w).toString();
  }

  private static String causeMessages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append(" | ");
    }
    return b.toString();
  }

  private static <T> void awaitOutcomes(ConcurrentLinkedQueue<T> q, java.util.function.Predicate<T> p, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (q.stream().filter(p).count() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("fewer than " + n + " reads on the replica within 30 s: " + q.size() + " outcomes");
      }
      Thread.sleep(10);
    }
  }
}
