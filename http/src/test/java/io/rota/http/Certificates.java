package io.rota.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made for a test with the JDK's {@code keytool}, a TLS context that trusts
 * them, and WireMock HTTPS servers on 127.0.0.1 that present them.
 */
final class Certificates {

  static final String PASSWORD = "changeit";

  private Certificates() {}

  /**
   * Makes a key store under {@code target/tls} holding a self-signed EC certificate whose subject and
   * subject alternative names are {@code cn} and {@code san} (keytool syntax: {@code dns:api.test}),
   * and returns its path; the certificate is beside it as {@code <alias>.pem}.
   */
  static Path keyStore(String alias, String cn, String san) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "tls"));
    Path keystore = dir.resolve(alias + ".p12");
    Path cert = dir.resolve(alias + ".pem");
    Files.deleteIfExists(keystore);
    Files.deleteIfExists(cert);
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + cn, "-ext", "SAN=" + san, "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(),
        "-storepass", PASSWORD, "-file", cert.toString());
    return keystore;
  }

  /** Returns a TLS context that trusts exactly the certificates of those key stores. */
  static SSLContext trusting(Path... keyStores) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (Path keystore : keyStores) {
      String name = keystore.getFileName().toString().replace(".p12", "");
      try (InputStream in = Files.newInputStream(keystore.resolveSibling(name + ".pem"))) {
        Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
        trust.setCertificateEntry(name, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** Starts a WireMock server on 127.0.0.1 with HTTPS (and plain HTTP) presenting the key store's certificate. */
  static WireMockServer httpsServer(Path keystore) {
    WireMockServer server = new WireMockServer(options()
        .dynamicPort()
        .dynamicHttpsPort()
        .bindAddress("127.0.0.1")
        .keystorePath(keystore.toString())
        .keystorePassword(PASSWORD)
        .keyManagerPassword(PASSWORD)
        .keystoreType("PKCS12")
        .jettyStopTimeout(0L));
    server.start();
    Servers.healthy(server);
    return server;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
  }
}
