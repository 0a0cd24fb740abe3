package io.rota.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.rota.testkit.PgCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example as a user's Boot application: built with Boot's parent and {@code rota-bom} imported,
 * started whole on a random port over a real PostgreSQL primary and streaming replica
 * ({@link EmbeddedCluster}), and driven over HTTP. Each response names the server that ran it, which
 * the test checks against the cluster's ports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderApplicationIT {

  private static final Duration REPLAY_WAIT = Duration.ofSeconds(10);

  @LocalServerPort
  private int port;

  @Autowired
  private PgCluster cluster;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String servedBy(HttpResponse<String> response) {
    return response.headers().firstValue(OrderController.SERVED_BY).orElse("(no " + OrderController.SERVED_BY + ")");
  }

  private String primary() {
    return "primary (port " + cluster.port(PgCluster.PRIMARY) + ")";
  }

  private String replica() {
    return "replica (port " + cluster.port(1) + ")";
  }

  /** Orders with this item, counted on the primary itself. */
  private int ordersOnThePrimary(String item) throws Exception {
    try (Connection c = cluster.primaryDataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("select count(*) from orders where item = ?")) {
      ps.setString(1, item);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void anOrderIsPlacedOnThePrimaryAndReadBackOnTheReplicaInAReadOnlyTransaction() throws Exception {
    String item = "espresso-" + UUID.randomUUID();
    HttpResponse<String> placed = post("{\"item\":\"" + item + "\",\"quantity\":2}");
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(servedBy(placed)).isEqualTo(primary());
    assertThat(placed.body()).contains("\"item\":\"" + item + "\"", "\"quantity\":2");
    String location = placed.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/orders/\\d+");
    assertThat(ordersOnThePrimary(item)).isEqualTo(1);

    cluster.awaitReplicaCaughtUp(1, REPLAY_WAIT); // replication is asynchronous
    HttpResponse<String> found = get(location);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    assertThat(servedBy(found)).isEqualTo(replica());
    assertThat(found.body()).contains("\"item\":\"" + item + "\"", "\"quantity\":2");
  }

  @Test
  void theListIsReadOnTheReplicaThroughReadOnly() throws Exception {
    String first = "tea-" + UUID.randomUUID();
    String second = "cake-" + UUID.randomUUID();
    assertThat(post("{\"item\":\"" + first + "\",\"quantity\":1}").statusCode()).isEqualTo(201);
    assertThat(post("{\"item\":\"" + second + "\",\"quantity\":3}").statusCode()).isEqualTo(201);
    cluster.awaitReplicaCaughtUp(1, REPLAY_WAIT);

    HttpResponse<String> latest = get("/orders");
    assertThat(latest.statusCode()).as(latest.body()).isEqualTo(200);
    assertThat(servedBy(latest)).isEqualTo(replica());
    assertThat(latest.body().indexOf(second)).as("newest first: %s", latest.body())
        .isNotNegative().isLessThan(latest.body().indexOf(first));
  }

  @Test
  void anUnknownOrderIsNotFoundOnTheReplica() throws Exception {
    HttpResponse<String> missing = get("/orders/999999999");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(servedBy(missing)).isEqualTo(replica());
  }

  @Test
  void aBadOrderIsRefusedAndNothingIsWritten() throws Exception {
    String item = "nothing-" + UUID.randomUUID();
    HttpResponse<String> refused = post("{\"item\":\"" + item + "\",\"quantity\":0}");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("quantity: 0 (expected: >= 1)");
    assertThat(ordersOnThePrimary(item)).isZero();
  }

  @Test
  void healthIsUpAndShowsThePrimaryAndTheReplica() throws Exception {
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    String json = health.body();
    assertThat(JsonPath.<String>read(json, "$.status")).isEqualTo("UP");
    assertThat(JsonPath.<String>read(json, "$.components.db.status")).isEqualTo("UP");
    assertThat(JsonPath.<String>read(json, "$.components.rota.status")).isEqualTo("UP");
    assertThat(JsonPath.<String>read(json, "$.components.rota.details.primary.role")).isEqualTo("PRIMARY");
    assertThat(JsonPath.<String>read(json, "$.components.rota.details.replicas['replica-1'].role")).isEqualTo("REPLICA");
    assertThat(json).doesNotContain(PgCluster.APP_PASSWORD);
  }

  @Test
  void theRotaEndpointShowsTheRoutingSnapshotWithoutSecrets() throws Exception {
    HttpResponse<String> rota = get("/actuator/rota");
    assertThat(rota.statusCode()).as(rota.body()).isEqualTo(200);
    String json = rota.body();
    assertThat(JsonPath.<String>read(json, "$.primary.state")).isEqualTo("HEALTHY");
    assertThat(JsonPath.<String>read(json, "$.replicas['replica-1'].state")).isEqualTo("HEALTHY");
    assertThat(json).doesNotContain(PgCluster.APP_PASSWORD);
  }

  @Test
  void importingRotaBomLeftBootsOwnVersionsInPlace() {
    // Failsafe passes the versions Boot's dependency management chose; what runs must be those.
    assertThat(org.junit.jupiter.api.Test.class.getPackage().getImplementationVersion())
        .as("JUnit Jupiter on the test class path").isEqualTo(System.getProperty("boot.junit-jupiter.version"));
    assertThat(org.hibernate.Version.getVersionString())
        .as("Hibernate on the class path").isEqualTo(System.getProperty("boot.hibernate.version"));
  }
}
