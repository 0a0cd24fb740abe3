package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client is a {@link HttpClient}: code written against the JDK's type, with a plain URI naming the
 * service, goes through Rota (weights, retries) without knowing it.
 */
class HttpClientTypeIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add();
  private static final WireMockServer b = servers.add();
  private static final WireMockServer resets = servers.add(s -> Servers.fault(s, Fault.CONNECTION_RESET_BY_PEER));

  /** Code that knows only the JDK's type, as a library taking an {@code HttpClient} does. */
  private static HttpResponse<String> get(HttpClient http, String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPlainHttpClientVariableSendsByWeight() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint("a", Servers.base(a), 3)
        .endpoint("b", Servers.base(b), 1)
        .build()) {
      HttpClient http = client;

      for (int i = 0; i < 400; i++) {
        assertThat(get(http, "http://orders/items?page=" + i).statusCode()).isEqualTo(200);
      }
      for (int i = 0; i < 400; i++) {
        HttpResponse<String> response = http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://orders/items")).build(), HttpResponse.BodyHandlers.ofString())
            .get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
      }

      // Smooth weighted round robin: exactly 3 of every 4 picks go to a.
      assertThat(Servers.count(a)).isEqualTo(600);
      assertThat(Servers.count(b)).isEqualTo(200);
      assertThat(client.snapshot().requests()).isEqualTo(800);
    }
  }

  @Test
  void aPlainHttpClientVariableIsRetriedOnAnotherEndpoint() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint("resets", Servers.base(resets))
        .endpoint("a", Servers.base(a))
        .build()) {
      HttpClient http = client;

      for (int i = 0; i < 20; i++) {
        HttpResponse<String> response = get(http, "http://orders/items");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
      }

      assertThat(Servers.count(a)).isEqualTo(20);
      assertThat(Servers.count(resets)).as("first attempts at the resetting server").isPositive();
      // Every attempt at the resetting server was retried on a (the JDK's own resend of a reset GET
      // makes the server count higher than the attempts).
      assertThat(client.snapshot().retries()).isPositive().isEqualTo(client.snapshot().endpoint("resets").requests());
      assertThat(client.snapshot().failedRequests()).isZero();
    }
  }

  @Test
  void aRequestForAnotherHostIsRefusedThroughTheJdkType() {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders").endpoint("a", Servers.base(a)).build()) {
      HttpClient http = client;

      assertThatThrownBy(() -> get(http, "http://example.com/items"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("request host: 'example.com' (expected: 'orders'");
      assertThat(Servers.count(a)).isZero();
    }
  }

  @Test
  void serverPushIsDeclinedAndTheResponseArrives() throws Exception {
    AtomicInteger promises = new AtomicInteger();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders").endpoint("a", Servers.base(a)).build()) {
      HttpClient http = client;

      HttpResponse<String> response = http.sendAsync(HttpRequest.newBuilder(URI.create("http://orders/")).build(),
          HttpResponse.BodyHandlers.ofString(), (initiating, pushed, acceptor) -> promises.incrementAndGet())
          .get(10, TimeUnit.SECONDS);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(promises).hasValue(0);
      assertThat(Servers.count(a)).isEqualTo(1);
    }
  }

  @Test
  void accessorsAnswerWhatTheUnderlyingClientDoes() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, null, null);
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint("a", Servers.base(a))
        .connectTimeoutMillis(1500)
        .sslContext(tls)
        .build()) {
      HttpClient http = client;

      assertThat(http.connectTimeout()).contains(Duration.ofMillis(1500));
      assertThat(http.sslContext()).isSameAs(tls);
      assertThat(http.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
      assertThat(http.version()).isEqualTo(client.httpClient().version());
      assertThat(http.sslParameters().getProtocols()).isEqualTo(client.httpClient().sslParameters().getProtocols());
      assertThat(http.cookieHandler()).isEmpty();
      assertThat(http.proxy()).isEqualTo(client.httpClient().proxy());
      assertThat(http.authenticator()).isEmpty();
      assertThat(http.executor()).isEmpty();
    }
  }

  @Test
  void accessorsOfAGivenHttpClientAreThatClients() {
    HttpClient given = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(7)).version(HttpClient.Version.HTTP_1_1)
        .executor(Runnable::run).build();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint("a", Servers.base(a)).httpClient(given).build()) {
      HttpClient http = client;

      assertThat(http.connectTimeout()).contains(Duration.ofSeconds(7));
      assertThat(http.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(http.executor()).isEqualTo(given.executor());
      assertThat(http.sslContext()).isSameAs(given.sslContext());
    }
  }

  @Test
  void webSocketsAreRefusedClearly() {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders").endpoint("a", Servers.base(a)).build()) {
      HttpClient http = client;

      assertThatThrownBy(http::newWebSocketBuilder)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage("WebSocket: not supported by the load-balanced client of service 'orders' (expected: a plain"
              + " HttpClient; a WebSocket is one connection to one server, not balanced per request)");
    }
  }
}
