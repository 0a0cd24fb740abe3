package io.rota.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
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

  private static final String PASSWORD = "changeit";

  private static Path keystore;
  private static SSLContext trusting;
  private static WireMockServer server;

  @BeforeAll
  static void startHttpsServer() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "tls"));
    keystore = dir.resolve("localhost.p12");
    Path cert = dir.resolve("localhost.pem");
    Files.deleteIfExists(keystore);
    Files.deleteIfExists(cert);
    keytool("-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "localhost", "-keystore", keystore.toString(),
        "-storepass", PASSWORD, "-file", cert.toString());

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
      trust.setCertificateEntry("localhost", c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);

    // Plain HTTP stays open on the same server, to show that nothing falls back to it.
    server = new WireMockServer(options()
        .dynamicPort()
        .dynamicHttpsPort()
        .bindAddress("127.0.0.1")
        .keystorePath(keystore.toString())
        .keystorePassword(PASSWORD)
        .keyManagerPassword(PASSWORD)
        .keystoreType("PKCS12")
        .jettyStopTimeout(0L));
    server.start();
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
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
