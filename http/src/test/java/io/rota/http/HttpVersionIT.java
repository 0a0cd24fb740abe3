package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP version: HTTP/1.1 to plain-HTTP endpoints by default, with no {@code Upgrade: h2c} offer;
 * {@code version(...)} chooses another without giving up the connect timeout or TLS context.
 */
class HttpVersionIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer server = servers.add();

  private static List<LoggedRequest> received() {
    return server.findAll(anyRequestedFor(anyUrl()));
  }

  private static void sendBothWays(LoadBalancedHttpClient client) throws Exception {
    HttpResponse<String> sync = client.send(client.newRequest("/v").build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> async = client.sendAsync(client.newRequest("/v").build(), HttpResponse.BodyHandlers.ofString())
        .get(10, TimeUnit.SECONDS);
    assertThat(sync.statusCode()).isEqualTo(200);
    assertThat(async.statusCode()).isEqualTo(200);
    assertThat(sync.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  @Test
  void byDefaultRequestsArriveAsHttp11WithoutAnUpgradeOffer() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(server))
        .health(h -> h.check("/health").intervalMillis(50))
        .build()) {

      sendBothWays(client);
      Servers.await(Duration.ofSeconds(5), () -> received().size() >= 4, "health checks too");

      assertThat(received()).allSatisfy(r -> {
        assertThat(r.getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(r.containsHeader("Upgrade")).as("Upgrade header on %s", r.getUrl()).isFalse();
        assertThat(r.containsHeader("HTTP2-Settings")).isFalse();
      });
    }
  }

  @Test
  void askingForHttp2OffersTheUpgradeAndKeepsConnectTimeoutAndTlsContext() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, null, null);
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(server))
        .version(HttpClient.Version.HTTP_2)
        .connectTimeoutMillis(1234)
        .sslContext(tls)
        .build()) {

      // The test server does not take the upgrade (plain HTTP/2 is off), so it answers in HTTP/1.1.
      sendBothWays(client);

      assertThat(received()).isNotEmpty().allSatisfy(r -> assertThat(r.getHeader("Upgrade")).isEqualTo("h2c"));
      assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(client.connectTimeout()).contains(Duration.ofMillis(1234));
      assertThat(client.sslContext()).isSameAs(tls);
    }
  }

  @Test
  void http11ForEveryEndpointWhenAsked() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(server))
        .version(HttpClient.Version.HTTP_1_1)
        .build()) {

      sendBothWays(client);

      assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(received()).allSatisfy(r -> assertThat(r.containsHeader("Upgrade")).isFalse());
    }
  }

  @Test
  void aVersionSetOnTheRequestWins() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api").endpoint("a", Servers.base(server)).build()) {

      client.send(client.newRequest("/v").version(HttpClient.Version.HTTP_2).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(received()).singleElement().satisfies(r -> assertThat(r.getHeader("Upgrade")).isEqualTo("h2c"));
    }
  }

  @Test
  void version_notWithAGivenHttpClient() {
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder("api").endpoint("a", Servers.base(server))
        .httpClient(HttpClient.newHttpClient()).version(HttpClient.Version.HTTP_1_1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("version: HTTP_1_1 (expected: not set together with httpClient; set it on that HttpClient)");
  }
}
