package io.rota.spring.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.testkit.MariaDbCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

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

  @SpringBootConfiguration
  // JPA is on the test classpath for io.rota.spring.jpa; this application has no entities and means
  // the JDBC set-up (DataSourceTransactionManager), so Boot's Hibernate and Spring Data JPA stay off.
  @EnableAutoConfiguration(excludeName = {"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
      "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
  static class App {
    @Bean
    Queries queries(JdbcTemplate jdbc) {
      return new Queries(jdbc, Queries.MARIADB_PORT);
    }

    @Bean
    Outer outer(Queries queries) {
      return new Outer(queries);
    }
  }

  @BeforeAll
  static void start() {
    cluster = MariaDbCluster.start(1);
    app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .properties(Map.of(
            "spring.datasource.url", cluster.jdbcUrl(MariaDbCluster.PRIMARY),
            "spring.datasource.username", MariaDbCluster.APP_USER,
            "spring.datasource.password", MariaDbCluster.APP_PASSWORD,
            "spring.sql.init.mode", "always",
            "spring.sql.init.schema-locations", "classpath:rota-routing-schema-mariadb.sql",
            "rota.jdbc.replicas[0].url", cluster.jdbcUrl(1),
            "rota.jdbc.health-check-interval", "200ms"))
        .run();
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
    try (Connection c = cluster.adminDataSource(node).getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM notes WHERE body = ?")) {
      ps.setString(1, body);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
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
