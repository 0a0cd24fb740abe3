package io.rota.spring.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.testkit.MariaDbCluster;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

/**
 * The smoke test on MariaDB: a Boot application configured by properties alone, over a real MariaDB
 * primary and GTID replica, with the application user's ordinary rights (its database, plus
 * {@code REPLICA MONITOR} for the lag check); {@code spring.sql.init} creates the schema, on the primary.
 */
class MariaDbRoutingIT {

  static MariaDbCluster cluster;
  static ConfigurableApplicationContext app;
  static Queries queries;
  static Outer outer;

  @BeforeAll
  static void start() {
    cluster = MariaDbCluster.start(1);
    app = RoutingApp.start(Queries.MARIADB_PORT, cluster.jdbcUrl(MariaDbCluster.PRIMARY), cluster.jdbcUrl(1),
        MariaDbCluster.APP_USER, MariaDbCluster.APP_PASSWORD,
        Map.of("spring.sql.init.mode", "always",
            "spring.sql.init.schema-locations", "classpath:rota-routing-schema-mariadb.sql"));
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

  private static boolean onPrimary(int port) {
    return port == cluster.port(MariaDbCluster.PRIMARY);
  }

  private static boolean onReplica(int port) {
    return port == cluster.port(1);
  }

  private static int rows(int node, String body) throws SQLException {
    return RoutingApp.rows(cluster.adminDataSource(node), body);
  }

  @Test
  void readOnlyWorkRunsOnTheReplicaAndWritesOnThePrimary() throws Exception {
    assertThat(queries.readOnly()).as("@Transactional(readOnly = true)").matches(MariaDbRoutingIT::onReplica);
    assertThat(queries.readOnlyScope()).as("@ReadOnly").matches(MariaDbRoutingIT::onReplica);
    assertThat(queries.readWrite()).as("@Transactional").matches(MariaDbRoutingIT::onPrimary);
    assertThat(queries.unmarked()).as("unmarked").matches(MariaDbRoutingIT::onPrimary);

    assertThat(queries.newWrite("m-1")).matches(MariaDbRoutingIT::onPrimary);
    assertThat(rows(MariaDbCluster.PRIMARY, "m-1")).isEqualTo(1);
    // The write reaches the replica by replication, and a read-only transaction then finds it there.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (queries.count("m-1") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(queries.count("m-1")).as("replicated and read on the replica").isEqualTo(1);

    int[] joined = outer.readOnlyJoiningReadWrite("m-2");
    assertThat(joined[1]).as("read-only joining read-write").matches(MariaDbRoutingIT::onPrimary);
  }

  @Test
  void aWriteJoiningAReadOnlyTransactionFailsAndWritesNothing() throws Exception {
    assertThatThrownBy(() -> outer.writeJoiningReadOnly("m-never")).isInstanceOf(DataAccessException.class);
    assertThat(rows(MariaDbCluster.PRIMARY, "m-never")).isZero();
    assertThat(rows(1, "m-never")).isZero();
    assertThat(queries.readOnly()).matches(MariaDbRoutingIT::onReplica);
  }
}
