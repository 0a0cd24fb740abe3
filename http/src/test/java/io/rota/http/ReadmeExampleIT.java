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

  @Test
  void theHttpSectionsSnippetsCompileAndConfigureAClient() throws Exception {
    WireMockServer a = Servers.start();
    try {
      // Nothing is sent: endpoint b's address is not reachable here.
      LoadBalancedHttpClient orders = LoadBalancedHttpClient.builder("orders")
          .endpoint("a", Servers.base(a))
          // --- as in the README
          .health(h -> h.check("/health").intervalMillis(2000).rise(2).fall(3).consecutiveFailures(5))
          .endpoint(HttpEndpoint.of("b", URI.create("https://10.0.0.1:8443")).withWeight(3).withAuthority("orders.example.com"))
          // ---
          .build();
      // The DNS source of the README, without resolving its name here.
      DnsEndpointSource dns = DnsEndpointSource.builder(URI.create("https://orders.internal:8443")).build();
      java.net.http.HttpClient http = orders; // the client is a java.net.http.HttpClient

      assertThat(orders.poolConfig().consecutiveFailures()).isEqualTo(5);
      assertThat(orders.endpoints().get(1).authority()).isEqualTo("orders.example.com");
      assertThat(dns.refreshInterval().toSeconds()).isEqualTo(10);
      assertThat(http.followRedirects()).isEqualTo(java.net.http.HttpClient.Redirect.NEVER);
      orders.close();
    } finally {
      Servers.stop(a);
    }
  }
}
