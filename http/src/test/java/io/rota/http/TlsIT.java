package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS endpoints: a WireMock server with a self-signed certificate for {@code localhost}, made for
 * the test with {@code keytool}. Trusted through the SSLContext it works; untrusted, or under a name
 * the certificate does not cover, it fails with a TLS error and nothing reaches the server, over
 * HTTPS or plain HTTP.
 */
class TlsIT {

  private static SSLContext trusting;
  private static WireMockServer server;

  @BeforeAll
  static void startHttpsServer() throws Exception {
    Path keystore = Certificates.keyStore("localhost", "localhost", "dns:localhost");
    trusting = Certificates.trusting(keystore);
    // Plain HTTP stays open on the same server, to show that nothing falls back to it.
    server = Certificates.httpsServer(keystore);
  }

  @AfterAll
  static void stopServer() {
    Servers.stop(server);
  }

  @BeforeEach
  void reset() {
    Servers.healthy(server);
    server.resetRequests();
  }

  private static URI https(String host) {
    return URI.create("https://" + host + ":" + server.httpsPort());
  }

  @Test
  void aTrustedSelfSignedServerWorksThroughTheSslContext() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("secure")
        .endpoint("tls", https("localhost"))
        .sslContext(trusting)
        .build()) {

      HttpResponse<String> response = client.send(client.newRequest("/hello").build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.uri()).isEqualTo(URI.create("https://localhost:" + server.httpsPort() + "/hello"));
      assertThat(response.sslSession()).isPresent();
      assertThat(Servers.count(server)).isEqualTo(1);
    }
  }

  @Test
  void aUserSuppliedHttpClientBringsItsSslContext() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(trusting).build();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("secure")
        .endpoint("tls", https("localhost"))
        .httpClient(http)
        .build()) {

      HttpResponse<String> response = client.sendAsync(client.newRequest("/hello").build(),
          HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(client.httpClient()).isSameAs(http);
    }
  }

  @Test
  void anUntrustedCertificateFailsWithATlsErrorAndNothingFallsBackToPlainHttp() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("secure")
        .endpoint("tls", https("localhost"))
        .build()) {

      assertThatThrownBy(() -> client.send(client.newRequest("/hello").build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
            assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class);
            assertThat(e.attempts()).isNotEmpty().allSatisfy(a -> {
              assertThat(a.endpointId()).isEqualTo("tls");
              assertThat(a.error()).isInstanceOf(SSLHandshakeException.class);
            });
          });
      assertThat(Servers.count(server)).as("requests at the server, HTTPS or HTTP").isZero();
    }
  }

  @Test
  void hostNameVerificationStaysOn() throws Exception {
    // The certificate covers "localhost", not "127.0.0.1": trusted, but for another name.
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("secure")
        .endpoint("tls", https("127.0.0.1"))
        .sslContext(trusting)
        .build()) {

      assertThatThrownBy(() -> client.send(client.newRequest("/hello").build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(AllAttemptsFailedException.class)
          .hasCauseInstanceOf(SSLHandshakeException.class);
      assertThat(Servers.count(server)).isZero();
    }
  }
}
