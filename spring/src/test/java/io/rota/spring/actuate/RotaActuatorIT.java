package io.rota.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rota.jdbc.ReadYourWrites;
import io.rota.jdbc.RoutingDataSource;
import io.rota.testkit.PgCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The actuator parts and the request filter against a real PostgreSQL primary and streaming replica:
 * the {@code rota} health contributor, the {@code /actuator/rota} endpoint, the meters, and the
 * read-your-writes context per request. The application defines its own {@link RoutingDataSource}
 * bean over the cluster's pools (which are no beans). The last two tests stop the replica, then the
 * primary.
 */
@SpringBootTest(
    classes = RotaActuatorIT.App.class,
    properties = {
      "management.endpoints.web.exposure.include=health,rota",
      "management.endpoint.health.show-details=always",
    })
@AutoConfigureMockMvc
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RotaActuatorIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static PgCluster cluster;

  @Autowired MockMvc mvc;
  @Autowired MeterRegistry registry;
  @Autowired RoutingDataSource routing;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = PgCluster.start(1);
    try (Connection c = cluster.primaryDataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS s2_notes (id text PRIMARY KEY)");
    }
    cluster.awaitReplicaCaughtUp(1, DEADLINE);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void replicaServing() throws Exception {
    if (cluster.isRunning(1) && cluster.isRunning(PgCluster.PRIMARY)) {
      awaitHealth("$.components.rota.details.replicas.r1.state", "HEALTHY"::equals);
    }
  }

  @Test
  @Order(1)
  void healthIsUpWithEveryNode() throws Exception {
    String json = health();
    assertThat(read(json, "$.status")).isEqualTo("UP");
    assertThat(read(json, "$.components.rota.status")).isEqualTo("UP");
    assertThat(read(json, "$.components.rota.details.primary.role")).isEqualTo("PRIMARY");
    assertThat(read(json, "$.components.rota.details.primary.state")).isEqualTo("HEALTHY");
    assertThat(read(json, "$.components.rota.details.replicas.r1.role")).isEqualTo("REPLICA");
    assertThat((Object) JsonPath.read(json, "$.components.rota.details.replicas.r1.lagMillis")).isNotNull();
    assertThat(json).doesNotContain(PgCluster.APP_PASSWORD).doesNotContain("jdbc:");
  }

  @Test
  @Order(2)
  void endpointReturnsTheSnapshot() throws Exception {
    String json = mvc.perform(get("/actuator/rota")).andReturn().getResponse().getContentAsString();
    assertThat(read(json, "$.dialect")).isNotNull();
    assertThat(read(json, "$.primary.state")).isEqualTo("HEALTHY");
    assertThat(read(json, "$.replicas.r1.state")).isEqualTo("HEALTHY");
    assertThat((Object) JsonPath.read(json, "$.fallbacks")).isNotNull();
    assertThat(json).doesNotContain(PgCluster.APP_PASSWORD).doesNotContain("jdbc:");
  }

  @Test
  @Order(3)
  void metersMoveWithTraffic() throws Exception {
    FunctionCounter reads = registry.find("rota.jdbc.connections")
        .tags("node", "r1", "kind", "read").functionCounter();
    assertThat(reads).isNotNull();
    assertThat(registry.find("rota.jdbc.replica.serving").tag("node", "r1").gauge()).isNotNull();
    double before = reads.count();
    mvc.perform(get("/read"));
    assertThat(reads.count()).isGreaterThan(before);
  }

  @Test
  @Order(4)
  void eachRequestHasItsOwnReadYourWritesContext() throws Exception {
    String primary = Integer.toString(cluster.port(PgCluster.PRIMARY));
    String replica = Integer.toString(cluster.port(1));
    // MockMvc runs every request on this thread: without the filter they would share its context.
    String written = mvc.perform(post("/write").param("id", "n-" + System.nanoTime()))
        .andReturn().getResponse().getContentAsString();
    assertThat(written).isEqualTo(primary + " found");
    String next = mvc.perform(get("/read")).andReturn().getResponse().getContentAsString();
    assertThat(next).isEqualTo(replica);
  }

  @Test
  @Order(5)
  void aStoppedReplicaIsDownInRotaHealthWhileTheAppStaysUp() throws Exception {
    cluster.stopReplica(1);
    try {
      String json = awaitHealth("$.components.rota.details.replicas.r1.state", s -> !"HEALTHY".equals(s));
      assertThat(read(json, "$.components.rota.details.replicas.r1.reason")).isNotBlank();
      assertThat(read(json, "$.components.rota.status")).isEqualTo("UP");
      assertThat(read(json, "$.components.db.status")).isEqualTo("UP");
      assertThat(read(json, "$.status")).isEqualTo("UP");
    } finally {
      cluster.startReplica(1);
    }
  }

  @Test
  @Order(6)
  void aStoppedPrimaryIsDown() throws Exception {
    cluster.stopPrimary();
    String json = awaitHealth("$.components.rota.status", "DOWN"::equals);
    assertThat(read(json, "$.components.rota.details.primary.state")).isEqualTo("DOWN");
    assertThat(read(json, "$.components.rota.details.primary.reason")).isNotBlank();
  }

  private String health() throws Exception {
    return mvc.perform(get("/actuator/health")).andReturn().getResponse().getContentAsString();
  }

  /** Polls the health until the value at {@code path} passes {@code ok}; fails with the last answer. */
  private String awaitHealth(String path, Predicate<String> ok) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    String json = health();
    while (!ok.test(readOrNull(json, path))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " did not change as expected within " + DEADLINE + ": " + json);
      }
      Thread.sleep(100);
      json = health();
    }
    return json;
  }

  private static String read(String json, String path) {
    return Objects.toString(JsonPath.read(json, path), null);
  }

  private static String readOrNull(String json, String path) {
    try {
      return read(json, path);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A web application over the routing data source. */
  @SpringBootConfiguration
  // JPA is on the test classpath for io.rota.spring.jpa; this application has no entities and means
  // the JDBC set-up (DataSourceTransactionManager), so Boot's Hibernate and Spring Data JPA stay off.
  @EnableAutoConfiguration(excludeName = {"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
      "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
  static class App {

    @Bean
    SimpleMeterRegistry simpleMeterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean(destroyMethod = "close")
    RoutingDataSource routingDataSource() {
      return RoutingDataSource.builder()
          .primary("primary", cluster.hikari(PgCluster.PRIMARY))
          .replica("r1", cluster.hikari(1))
          .readYourWrites(ReadYourWrites.window(Duration.ofSeconds(60)))
          .healthCheckInterval(Duration.ofMillis(200))
          .rise(1)
          .fall(1)
          .build();
    }

    @Bean
    Notes notes(DataSource dataSource) {
      return new Notes(new JdbcTemplate(dataSource));
    }
  }

  /** Writes a note then reads on a read-only connection; reads alone. Answers the server's port. */
  @RestController
  static class Notes {
    private final JdbcTemplate jdbc;

    Notes(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @PostMapping("/write")
    String write(@RequestParam String id) {
      jdbc.update("INSERT INTO s2_notes (id) VALUES (?)", id);
      Map<String, Object> row = RoutingDataSource.readOnly(() -> jdbc.queryForMap(
          "SELECT inet_server_port() AS port, count(*) AS n FROM s2_notes WHERE id = ?", id));
      return row.get("port") + (((Number) row.get("n")).longValue() == 1 ? " found" : " missing");
    }

    @GetMapping("/read")
    String read() {
      return String.valueOf(RoutingDataSource.readOnly(
          () -> jdbc.queryForObject("SELECT inet_server_port()", Integer.class)));
    }
  }
}
