package io.rota.examples;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rota.core.EndpointPoolConfig;
import io.rota.http.LoadBalancedHttpClient;
import io.rota.http.LoadBalancedHttpClientMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Rota's Micrometer meters in one small program: a load-balanced HTTP client over two local
 * backends, one of which answers every request with 503, bound to a Prometheus registry; after some
 * traffic it prints the Rota lines of the scrape. Run it from the repository root with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.rota.examples.MonitoringExample}.
 *
 * <p>The backends are JDK {@code HttpServer}s on {@code 127.0.0.1}; the three lines that bind the
 * registry in {@link #run(PrintStream)} are the part to copy. The same goes for a pool
 * ({@code EndpointPoolMetrics.of(pool)}) and a routing data source
 * ({@code RoutingDataSourceMetrics.of(dataSource)}).
 */
public final class MonitoringExample {

  private static final int REQUESTS = 30;

  private MonitoringExample() {}

  /**
   * Runs the example, printing to standard output.
   *
   * @param args none
   * @throws Exception if a backend fails to start or the program is interrupted
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * Runs the example, printing what it does to {@code out}; returns the Rota lines of the scrape.
   *
   * @throws Exception if a backend fails to start or the program is interrupted
   */
  public static String run(PrintStream out) throws Exception {
    HttpServer a = backend(200);
    HttpServer b = backend(503); // fails everything, its health check included
    try (LoadBalancedHttpClient catalog = LoadBalancedHttpClient.builder("catalog")
        .endpoint("a", uri(a))
        .endpoint("b", uri(b))
        .health(h -> h.check("/health").intervalMillis(500))
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(3).build())
        .build()) {

      // Bind the client's meters (and its pool's) to a registry: this is all it takes.
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      LoadBalancedHttpClientMetrics.of(catalog).bindTo(registry);

      out.println(REQUESTS + " GETs to http://catalog/items; backend b answers 503 to everything.");
      for (int i = 0; i < REQUESTS; i++) {
        catalog.send(catalog.newRequest("/items").build(), HttpResponse.BodyHandlers.discarding());
      }
      awaitFirstChecks(registry);
      String rota = registry.scrape().lines().filter(line -> line.contains("rota_"))
          .collect(Collectors.joining("\n", "", "\n"));
      out.println("The Rota lines of the Prometheus scrape:");
      out.print(rota);
      return rota;
    } finally {
      a.stop(0);
      b.stop(0);
    }
  }

  /** A backend on a free loopback port that answers every request with {@code status}. */
  private static HttpServer backend(int status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = (status == 200 ? "ok" : "unavailable").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static URI uri(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Waits, at most 5 s, until both backends have had a health check (the first ones are spread out). */
  private static void awaitFirstChecks(PrometheusMeterRegistry registry) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline && registry.find("rota.pool.endpoint.check").timers().stream()
        .filter(t -> t.count() > 0).map(t -> t.getId().getTag("endpoint")).distinct().count() < 2) {
      Thread.sleep(20);
    }
  }
}
