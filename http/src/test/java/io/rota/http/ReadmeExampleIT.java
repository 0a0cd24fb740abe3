package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The README example (http/README-section.md), run against real servers over plain HTTP. */
class ReadmeExampleIT {

  @Test
  void theReadmeExampleWorks() throws Exception {
    WireMockServer a = Servers.start();
    WireMockServer b = Servers.start();
    WireMockServer dr = Servers.start();
    String token = "Bearer example";
    try {
      // --- as in the README, with these servers' addresses
      LoadBalancedHttpClient orders = LoadBalancedHttpClient.builder("orders")
          .endpoint("a", URI.create("http://127.0.0.1:" + a.port()), 3)      // weights 3:1
          .endpoint("b", URI.create("http://127.0.0.1:" + b.port()), 1)
          .backupEndpoint("dr", URI.create("http://127.0.0.1:" + dr.port())) // only while a and b are out
          .healthCheck("/health")                                            // GET /health every 5 s
          .retryPolicy(RetryPolicy.custom().maxAttempts(3).build())          // retries go to another endpoint
          .build();
      HttpRequest get = orders.newRequest("/orders?id=42").header("Authorization", token).build();
      HttpResponse<String> response = orders.send(get, HttpResponse.BodyHandlers.ofString());
      // ---

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok");
      for (int i = 0; i < 7; i++) {
        orders.send(get, HttpResponse.BodyHandlers.ofString());
      }
      assertThat(orders.snapshot().endpoint("a").requests()).isEqualTo(6);
      assertThat(orders.snapshot().endpoint("b").requests()).isEqualTo(2);
      assertThat(orders.snapshot().endpoint("dr").requests()).isZero();
      orders.close();
    } finally {
      Servers.stop(a, b, dr);
    }
  }
}
