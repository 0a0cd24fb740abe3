package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Only configured endpoints receive requests: any other host is refused before anything is sent. */
class ForeignHostIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add();
  private static final WireMockServer other = servers.add();

  @Test
  void anAbsoluteUriToAnotherHostIsRefusedAndNoServerReceivesAnything() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint("a", Servers.base(a))
        .build()) {
      List<URI> foreign = List.of(
          URI.create("http://example.com/orders"),
          // A real server, reachable, but not an endpoint of this client.
          URI.create("http://127.0.0.1:" + other.port() + "/orders?token=abc"),
          // The configured endpoint's own address is not the service name either.
          URI.create("http://127.0.0.1:" + a.port() + "/orders"));

      for (URI uri : foreign) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer t0ken").build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("request host: '" + uri.getHost() + "' (expected: 'orders'")
            .hasMessageContaining("only the configured endpoints of service 'orders' receive requests")
            .hasMessageNotContaining("token");
        assertThatThrownBy(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(IllegalArgumentException.class);
      }
      HttpRequest withPort = HttpRequest.newBuilder(URI.create("http://orders:8080/orders")).build();
      assertThatThrownBy(() -> client.send(withPort, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("request port: 8080 (expected: none; each attempt uses its endpoint's port)");

      assertThat(Servers.count(a)).isZero();
      assertThat(Servers.count(other)).isZero();
      assertThat(client.snapshot().requests()).isZero();

      // The service's own URIs go to the endpoint, the request's scheme and host case notwithstanding.
      HttpRequest own = HttpRequest.newBuilder(URI.create("https://ORDERS/orders?id=1")).build();
      assertThat(client.send(own, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(Servers.count(a)).isEqualTo(1);
      assertThat(a.getAllServeEvents().get(0).getRequest().getUrl()).isEqualTo("/orders?id=1");
    }
  }
}
