package io.rota.examples.spring;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Not part of the application: once the service accepts traffic, prints its URL and a few
 * {@code curl} lines to try. With {@code --smoke} it instead sends those requests itself, prints each
 * answer and which database server ran it, and exits: status 0 if the write ran on the primary, the
 * reads on the replica, health is UP and {@code /actuator/rota} answers; 1 otherwise. Registered in
 * {@code META-INF/spring.factories}. Runs once, on the thread that starts the application; the
 * requests, on a thread of their own.
 */
public final class ExampleConsole implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

  /** The flag that runs the requests and exits: {@code --smoke}. */
  public static final String SMOKE = "smoke";

  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public ExampleConsole() {}

  @Override
  public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
    if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC
        || !(event.getSource() instanceof ConfigurableApplicationContext context)) {
      return;
    }
    String port = context.getEnvironment().getProperty("local.server.port");
    if (port == null) {
      return; // no web server (a test without one, say)
    }
    String base = "http://127.0.0.1:" + port;
    PrintStream out = System.out;
    if (!context.getEnvironment().containsProperty(SMOKE)) {
      out.println();
      out.println("Orders service on " + base + "  (Ctrl-C stops it" + (context.containsBean(EmbeddedCluster.BEAN_NAME)
          ? " and its PostgreSQL servers)" : ")"));
      out.println("  curl -si -X POST " + base + "/orders -H 'Content-Type: application/json' -d '{\"item\":\"espresso\",\"quantity\":2}'");
      out.println("  curl -si " + base + "/orders/1     # X-Served-By: replica (port ...)");
      out.println("  curl -si " + base + "/orders       # the latest 20, read on the replica too");
      out.println("  curl -s  " + base + "/actuator/health   # rota: the primary and the replica, role, state, lag");
      out.println("  curl -s  " + base + "/actuator/rota     # the routing snapshot");
      out.println();
      return;
    }
    // On a thread of its own: this event is still being delivered, and health says UP only after.
    Thread smoke = new Thread(() -> {
      int status;
      try {
        status = smoke(base, out) ? 0 : 1;
      } catch (Exception e) {
        out.println("smoke: " + e);
        status = 1;
      }
      int exit = status;
      System.exit(SpringApplication.exit(context, () -> exit));
    }, "example-smoke");
    smoke.start();
  }

  /** Sends the README's requests; true if each ran where it should. */
  private static boolean smoke(String base, PrintStream out) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<String> broken = new ArrayList<>();
    HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"espresso\",\"quantity\":2}")).build(),
        HttpResponse.BodyHandlers.ofString());
    print(out, "POST /orders", placed);
    expect(broken, "POST /orders", placed, 201, "primary");
    String location = placed.headers().firstValue("Location").orElse("/orders/1");

    // The replica replays the primary's write a moment later (asynchronous replication): ask until
    // it has the order, for a few seconds at most.
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> found;
    do {
      found = http.send(HttpRequest.newBuilder(URI.create(base + location)).build(), HttpResponse.BodyHandlers.ofString());
    } while (found.statusCode() == 404 && System.nanoTime() < deadline && pause());
    print(out, "GET " + location, found);
    expect(broken, "GET " + location, found, 200, "replica");

    HttpResponse<String> latest = http.send(HttpRequest.newBuilder(URI.create(base + "/orders")).build(),
        HttpResponse.BodyHandlers.ofString());
    print(out, "GET /orders", latest);
    expect(broken, "GET /orders", latest, 200, "replica");

    // Readiness turns UP once the start-up events are delivered: ask until then, for a few seconds at most.
    deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> health;
    do {
      health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
          HttpResponse.BodyHandlers.ofString());
    } while (health.statusCode() != 200 && System.nanoTime() < deadline && pause());
    print(out, "GET /actuator/health", health);
    if (health.statusCode() != 200 || !health.body().contains("\"status\":\"UP\"")) {
      broken.add("GET /actuator/health: " + health.statusCode() + " (expected: 200, UP)");
    }
    HttpResponse<String> rota = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/rota")).build(),
        HttpResponse.BodyHandlers.ofString());
    print(out, "GET /actuator/rota", rota);
    if (rota.statusCode() != 200) {
      broken.add("GET /actuator/rota: " + rota.statusCode() + " (expected: 200)");
    }
    out.println(broken.isEmpty() ? "smoke: PASS" : "smoke: FAIL " + broken);
    return broken.isEmpty();
  }

  private static boolean pause() {
    try {
      Thread.sleep(50);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void print(PrintStream out, String request, HttpResponse<String> response) {
    String body = response.body();
    String by = response.headers().firstValue(OrderController.SERVED_BY).map(b -> ", served by " + b).orElse("");
    out.println(request + " -> " + response.statusCode() + by + ": "
        + (body.length() > 400 ? body.substring(0, 400) + "..." : body));
  }

  private static void expect(List<String> broken, String request, HttpResponse<String> response, int status, String node) {
    String by = response.headers().firstValue(OrderController.SERVED_BY).orElse("");
    if (response.statusCode() != status || !by.startsWith(node)) {
      broken.add(request + ": " + response.statusCode() + " served by '" + by + "' (expected: " + status + " on the " + node + ")");
    }
  }
}
