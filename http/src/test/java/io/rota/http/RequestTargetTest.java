package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request URIs: built from paths, checked against the service, resolved against endpoints. */
class RequestTargetTest {

  private final LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
      .endpoint("a", URI.create("http://10.0.0.1:8080"))
      .build();

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void uriPutsThePathUnderTheServiceName() {
    assertThat(client.uri("/orders?id=1&q=a%20b")).isEqualTo(URI.create("http://orders/orders?id=1&q=a%20b"));
    assertThat(client.uri("/")).isEqualTo(URI.create("http://orders/"));
    assertThat(client.newRequest("/orders/7").build().uri()).isEqualTo(URI.create("http://orders/orders/7"));
  }

  @Test
  void uri_notAPath() {
    assertThatThrownBy(() -> client.uri("orders?token=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path: 'orders' (expected: a path starting with '/')");
    assertThatThrownBy(() -> client.uri("/a b?token=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path: '/a b' (expected: a valid URI path and optional query, percent-encoded, no fragment)");
    assertThatThrownBy(() -> client.uri("/a#frag"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path: '/a#frag' (expected: a valid URI path and optional query, percent-encoded, no fragment)");
  }

  @Test
  void resolveAppendsPathAndQueryToTheEndpointBase() {
    assertThat(LoadBalancedHttpClient.resolve(URI.create("https://10.0.0.1:8443"), "/orders", "id=1"))
        .isEqualTo(URI.create("https://10.0.0.1:8443/orders?id=1"));
    assertThat(LoadBalancedHttpClient.resolve(URI.create("http://h:1/api/v1/"), "/orders", null))
        .isEqualTo(URI.create("http://h:1/api/v1/orders"));
    assertThat(LoadBalancedHttpClient.resolve(URI.create("http://h:1/api"), "", null))
        .isEqualTo(URI.create("http://h:1/api/"));
    assertThat(LoadBalancedHttpClient.resolve(URI.create("http://[::1]:8080"), "/a%2Fb", "x=%20"))
        .isEqualTo(URI.create("http://[::1]:8080/a%2Fb?x=%20"));
  }

  @Test
  void send_anotherHostIsRefusedNamingHostAndService() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://evil.example.com/steal?token=secret")).build();

    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("request host: 'evil.example.com' (expected: 'orders', as in http://orders/path;"
            + " only the configured endpoints of service 'orders' receive requests, so nothing was sent)");
    assertThat(client.snapshot().requests()).isZero();
  }

  @Test
  void send_userInfoIsRefused() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://user:pw@orders/x")).build();

    assertThatThrownBy(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("request URI: has user info (expected: none; send credentials in a header)");
  }

  @Test
  void send_afterClose() {
    client.close();

    assertThatThrownBy(() -> client.send(client.newRequest("/x").build(), HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("client 'orders' is closed");
  }

  @Test
  void idempotentMarksTheSameRequest() {
    HttpRequest post = client.newRequest("/orders").timeout(Duration.ofSeconds(2)).header("Idempotency-Key", "k1")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

    HttpRequest marked = LoadBalancedHttpClient.idempotent(post);

    assertThat(marked.method()).isEqualTo("POST");
    assertThat(marked.uri()).isEqualTo(post.uri());
    assertThat(marked.headers()).isEqualTo(post.headers());
    assertThat(marked.timeout()).isEqualTo(post.timeout());
    assertThat(marked.bodyPublisher()).isEqualTo(post.bodyPublisher());
    assertThat(LoadBalancedHttpClient.idempotent(marked)).isSameAs(marked);
    assertThat(LoadBalancedHttpClient.IDEMPOTENT_METHODS).containsExactlyInAnyOrder(
        "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
  }
}
