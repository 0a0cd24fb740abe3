package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointState;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS endpoints given by IP address: a server on 127.0.0.1 presents a certificate for
 * {@code api.test} (made for the test with keytool). With the authority {@code api.test} the
 * certificate is verified against that name and requests succeed; without it, or against a server
 * whose certificate names another host, the handshake fails and nothing reaches the server.
 */
class TlsAuthorityIT {

  private static Path keystoreDir;
  private static Path apiKeys;
  private static Path otherKeys;
  /**
   * A new context per test: a TLS context caches sessions by address, and a session it resumes is
   * not verified again (see {@link HttpEndpoint}), so tests sharing one would see each other's.
   */
  private SSLContext trusting;
  private static WireMockServer api;
  private static WireMockServer other;

  @BeforeAll
  static void startServers() throws Exception {
    apiKeys = Certificates.keyStore("api-test", "api.test", "dns:api.test");
    otherKeys = Certificates.keyStore("other-test", "other.test", "dns:other.test");
    keystoreDir = apiKeys.toAbsolutePath().getParent();
    api = Certificates.httpsServer(apiKeys);
    other = Certificates.httpsServer(otherKeys);
  }

  @AfterAll
  static void stopServers() {
    Servers.stop(api, other);
  }

  @BeforeEach
  void reset() throws Exception {
    trusting = Certificates.trusting(apiKeys, otherKeys);
    for (WireMockServer s : new WireMockServer[] {api, other}) {
      Servers.healthy(s);
      s.resetRequests();
    }
  }

  private static URI ip(WireMockServer server) {
    return URI.create("https://127.0.0.1:" + server.httpsPort());
  }

  private static HttpResponse<String> get(LoadBalancedHttpClient client) throws Exception {
    return client.send(client.newRequest("/hello").build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Asserts that a request fails its TLS handshake and that nothing reached the server. */
  private static void assertHandshakeFails(LoadBalancedHttpClient client, WireMockServer server) {
    assertThatThrownBy(() -> get(client))
        .isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
          assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class);
          assertThat(e.getMessage()).doesNotContain(keystoreDir.toString()).doesNotContain(".p12");
        });
    assertThat(Servers.count(server)).isZero();
  }

  @Test
  void withTheAuthorityTheCertificateIsVerifiedAgainstTheNameAndTheRequestSucceeds() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint(HttpEndpoint.of("a", ip(api)).withAuthority("api.test"))
        .sslContext(trusting)
        .build()) {

      HttpResponse<String> response = get(client);
      HttpResponse<String> async = client.sendAsync(client.newRequest("/hello").build(),
          HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(async.statusCode()).isEqualTo(200);
      assertThat(response.uri()).isEqualTo(URI.create("https://127.0.0.1:" + api.httpsPort() + "/hello"));
      assertThat(response.sslSession()).isPresent();
      assertThat(Servers.count(api)).isEqualTo(2);
    }
  }

  @Test
  void withoutTheAuthorityTheIpAddressIsCheckedAndTheHandshakeFails() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint("a", ip(api), 1)
        .sslContext(trusting)
        .build()) {

      assertHandshakeFails(client, api);
    }
  }

  @Test
  void aCertificateForAnotherNameFailsTheHandshake() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint(HttpEndpoint.of("a", ip(other)).withAuthority("api.test"))
        .sslContext(trusting)
        .build()) {

      assertHandshakeFails(client, other);
    }
  }

  @Test
  void anUntrustedCertificateStillFailsWithTheAuthority() throws Exception {
    // The JDK's default trust store does not hold the test's self-signed certificate.
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint(HttpEndpoint.of("a", ip(api)).withAuthority("api.test"))
        .build()) {

      assertHandshakeFails(client, api);
    }
  }

  @Test
  void eachEndpointIsVerifiedAgainstItsOwnName() throws Exception {
    // One client, two names: the client used for one authority never serves the other.
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint(HttpEndpoint.of("api", ip(api)).withAuthority("api.test"))
        .endpoint(HttpEndpoint.of("other", ip(other)).withAuthority("other.test"))
        .sslContext(trusting)
        .build()) {

      for (int i = 0; i < 10; i++) {
        assertThat(get(client).statusCode()).isEqualTo(200);
      }

      assertThat(Servers.count(api)).isEqualTo(5);
      assertThat(Servers.count(other)).isEqualTo(5);
      assertThat(client.snapshot().retries()).isZero();
    }
  }

  @Test
  void aGivenHttpClientKeepsItsTlsContextForAuthorityEndpoints() throws Exception {
    HttpClient given = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(3)).build();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint(HttpEndpoint.of("a", ip(api)).withAuthority("api.test"))
        .httpClient(given)
        .build()) {

      assertThat(get(client).statusCode()).isEqualTo(200);
      assertThat(client.httpClient()).isSameAs(given);
    }
  }

  @Test
  void dnsEndpointsOfAnHttpsNameAreVerifiedAgainstTheName() throws Exception {
    DnsEndpointSource dns = DnsEndpointSource.builder(URI.create("https://api.test:" + api.httpsPort()))
        .resolver(host -> List.of(InetAddress.getByName("127.0.0.1")))
        .build();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpointSource(dns)
        .sslContext(trusting)
        .build()) {

      assertThat(get(client).statusCode()).isEqualTo(200);
      assertThat(client.endpoints()).singleElement().satisfies(e -> assertThat(e.authority()).isEqualTo("api.test"));
    }
  }

  @Test
  void healthChecksOfAnAuthorityEndpointAreVerifiedAgainstTheName() throws Exception {
    try (LoadBalancedHttpClient good = LoadBalancedHttpClient.builder("orders")
            .endpoint(HttpEndpoint.of("a", ip(api)).withAuthority("api.test"))
            .sslContext(trusting)
            .health(h -> h.check("/health").intervalMillis(50))
            .build();
        LoadBalancedHttpClient wrongName = LoadBalancedHttpClient.builder("orders")
            .endpoint(HttpEndpoint.of("a", ip(other)).withAuthority("api.test"))
            .sslContext(Certificates.trusting(apiKeys, otherKeys))
            .health(h -> h.check("/health").intervalMillis(50))
            .build()) {

      Servers.await(Duration.ofSeconds(10),
          () -> wrongName.snapshot().pool().endpoint("a").state() == EndpointState.DOWN, "wrong name marked down");
      Servers.await(Duration.ofSeconds(10),
          () -> Servers.count(api, getRequestedFor(urlPathEqualTo("/health"))) >= 4, "4 checks passed");
      assertThat(good.snapshot().pool().endpoint("a").state()).isEqualTo(EndpointState.HEALTHY);
      assertThat(Servers.count(other)).isZero();
    }
  }
}
