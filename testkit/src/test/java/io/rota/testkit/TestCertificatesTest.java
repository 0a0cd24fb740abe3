package io.rota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificates {@link TestCertificates} writes, read back as a client and a server read them:
 * PEM parsed by the JDK, the chain validated by PKIX, and a real TLS handshake on loopback with host
 * name verification, against the right CA and against another one.
 */
class TestCertificatesTest {

  @TempDir
  Path dir;

  @Test
  void writesTheCaTheServerCertificateAndAnOwnerOnlyPkcs8Key() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);

    assertThat(certs.caFile()).isEqualTo(dir.resolve("ca.pem"));
    X509Certificate ca = readCertificate(certs.caFile());
    X509Certificate server = readCertificate(certs.certificateFile());
    assertThat(ca).isEqualTo(certs.ca());
    assertThat(server).isEqualTo(certs.certificate());

    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0); // CA:TRUE
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(server.getBasicConstraints()).isEqualTo(-1); // not a CA
    assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(server.getKeyUsage()[2]).as("keyEncipherment").isTrue();
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(server.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(server.getSerialNumber()).isPositive();
    assertThat(((RSAPublicKey) server.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
    server.checkValidity();
    ca.checkValidity();

    String key = Files.readString(certs.keyFile());
    assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.keyFile()))).isEqualTo("rw-------");
    PrivateKey privateKey = readKey(certs.keyFile());
    assertThat(privateKey.getAlgorithm()).isEqualTo("RSA");
    assertThat(certs.toString()).contains("Rota test CA").doesNotContain("PRIVATE");
  }

  @Test
  void pkixValidatesTheServerCertificateAgainstItsCaOnly() throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("a"));
    TestCertificates other = TestCertificates.create(dir.resolve("b"));

    validate(certs.certificate(), certs.ca());
    assertThat(other.ca().getSubjectX500Principal()).isNotEqualTo(certs.ca().getSubjectX500Principal());
    assertThatThrownBy(() -> validate(certs.certificate(), other.ca()))
        .isInstanceOf(java.security.cert.CertPathValidatorException.class);
  }

  @Test
  void aClientVerifyingTheHostNameCompletesAHandshakeForLocalhostAndTheLoopbackAddress() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    for (String host : List.of("localhost", "127.0.0.1")) {
      assertThat(handshake(certs, certs.ca(), host)).as(host).startsWith("TLS");
    }
  }

  @Test
  void aClientTrustingAnotherCaRefusesTheServer() throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("a"));
    TestCertificates other = TestCertificates.create(dir.resolve("b"));

    assertThatThrownBy(() -> handshake(certs, other.ca(), "127.0.0.1"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("PKIX path");
  }

  @Test
  void derNamedBitsDropTrailingZeroBitsAndCountThemUnused() {
    // keyCertSign (5) and cRLSign (6): one byte 0000 0110, the last bit unused.
    assertThat(TestCertificates.Der.namedBits(5, 6)).containsExactly(0x03, 0x02, 0x01, 0x06);
    // digitalSignature (0) and keyEncipherment (2): 1010 0000, five unused.
    assertThat(TestCertificates.Der.namedBits(0, 2)).containsExactly(0x03, 0x02, 0x05, 0xA0);
    // decipherOnly (8) needs a second byte.
    assertThat(TestCertificates.Der.namedBits(0, 8)).containsExactly(0x03, 0x03, 0x07, 0x80, 0x80);
    assertThatThrownBy(() -> TestCertificates.Der.namedBits(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bit: -1 (expected: >= 0)");
  }

  @Test
  void derLengthsAndObjectIdentifiers() {
    assertThat(TestCertificates.Der.oid("1.2.840.113549.1.1.11"))
        .containsExactly(0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B);
    assertThat(TestCertificates.Der.integer(BigInteger.valueOf(128))).containsExactly(0x02, 0x02, 0x00, 0x80);
    byte[] longer = TestCertificates.Der.octetString(new byte[300]);
    assertThat(longer).startsWith(0x04, 0x82, 0x01, 0x2C).hasSize(304);
    assertThat(TestCertificates.Der.octetString(new byte[200])).startsWith(0x04, 0x81, 0xC8);
    assertThatThrownBy(() -> TestCertificates.Der.oid("2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("oid: 2 (expected: at least two arcs)");
  }

  // ------------------------------------------------------------------ helpers

  /** A TLS server with the certificate and key on loopback, and a client trusting {@code trusted} dialling {@code host}. */
  private static String handshake(TestCertificates server, X509Certificate trusted, String host) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", readKey(server.keyFile()), new char[0],
        new X509Certificate[] {readCertificate(server.certificateFile()), server.ca()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", trusted);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);

    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept(); InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream()) {
          out.write(in.read());
        } catch (Exception e) {
          // the client's side reports the failure
        }
      });
      try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory().createSocket(host, listener.getLocalPort())) {
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // host name checked against the SANs
        client.setSSLParameters(parameters);
        client.setSoTimeout(10_000);
        client.getOutputStream().write(42);
        assertThat(client.getInputStream().read()).isEqualTo(42);
        return client.getSession().getProtocol();
      } finally {
        served.get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void validate(X509Certificate certificate, X509Certificate ca) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
  }

  private static X509Certificate readCertificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static PrivateKey readKey(Path pem) throws Exception {
    String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
