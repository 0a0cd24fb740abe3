package io.rota.examples.demo;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rota.http.LoadBalancedHttpClient;
import io.rota.http.LoadBalancedHttpClientMetrics;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingDataSourceMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code --prometheus PORT}: Rota's meters for the demo's routing data source and HTTP client in a
 * Prometheus registry, served as the text exposition format on {@code http://127.0.0.1:PORT/metrics}.
 * What an application does with its own registry (Spring Boot's actuator serves the same scrape).
 */
final class PrometheusEndpoint implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RoutingDataSourceMetrics dbMetrics;
  private final LoadBalancedHttpClientMetrics httpMetrics;
  private final HttpServer server;

  PrometheusEndpoint(int port, RoutingDataSource db, LoadBalancedHttpClient http) {
    dbMetrics = RoutingDataSourceMetrics.of(db);
    dbMetrics.bindTo(registry);
    httpMetrics = LoadBalancedHttpClientMetrics.of(http);
    httpMetrics.bindTo(registry);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("--prometheus " + port + ": cannot listen on 127.0.0.1:" + port + " ("
          + e.getMessage() + "); choose a free port", e);
    }
    server.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    dbMetrics.close();
    httpMetrics.close();
    registry.close();
  }
}
