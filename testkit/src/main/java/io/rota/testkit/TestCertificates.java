package io.rota.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Test support: a throw-away certificate authority and a server certificate it signed, for servers
 * on loopback, made with the JDK alone (no {@code openssl} command, no BouncyCastle, no
 * {@code sun.security.x509}).
 *
 * <h2>What is made</h2>
 * <ul>
 *   <li>{@link #caFile()} {@code ca.pem}: the CA's certificate (RSA 2048, SHA-256, {@code CA:TRUE},
 *       key usage {@code keyCertSign, cRLSign}) with a subject unique to this instance, so that two
 *       instances are two different CAs. Clients trust it ({@code sslrootcert}, {@code serverSslCert}).
 *   <li>{@link #certificateFile()} {@code server.crt}: the server's certificate, signed by the CA, for
 *       {@code CN=localhost} with the subject alternative names {@code DNS:localhost} and
 *       {@code IP:127.0.0.1} (what {@code sslmode=verify-full} compares with the host the client
 *       dialled), extended key usage {@code serverAuth}.
 *   <li>{@link #keyFile()} {@code server.key}: the server's private key, PKCS#8 PEM
 *       ({@code BEGIN PRIVATE KEY}), readable by its owner alone ({@code 0600}), as PostgreSQL
 *       demands of {@code ssl_key_file}.
 * </ul>
 * The certificates are valid from one hour ago (clock skew) for {@link #VALIDITY}. The CA's private
 * key is never written; it is dropped once the server certificate is signed.
 *
 * <h2>How</h2>
 * The JDK generates the keys and signs, but has no public API that builds a certificate. This class
 * writes the DER of the two {@code TBSCertificate}s (RFC 5280, section 4.1) with a minimal encoder
 * ({@link Der}), signs them with {@code SHA256withRSA}, and parses the result with
 * {@link CertificateFactory} to check it before writing anything.
 *
 * <p>Instances are immutable and thread-safe; {@link #create(Path)} writes files and is not meant to
 * be called twice for one directory at once.
 */
public final class TestCertificates {

  /** How long the certificates are valid, counted from one hour before {@link #create(Path)}. */
  public static final Duration VALIDITY = Duration.ofDays(2);

  /** The host name in the server certificate. */
  public static final String HOST_NAME = "localhost";

  /** The IP address in the server certificate. */
  public static final String IP_ADDRESS = "127.0.0.1";

  private static final String CA_FILE = "ca.pem";
  private static final String CERT_FILE = "server.crt";
  private static final String KEY_FILE = "server.key";
  private static final int KEY_BITS = 2048;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;
  private final X509Certificate ca;
  private final X509Certificate certificate;

  private TestCertificates(Path directory, X509Certificate ca, X509Certificate certificate) {
    this.directory = directory;
    this.ca = ca;
    this.certificate = certificate;
  }

  /**
   * Makes a new CA and a server certificate signed by it, and writes {@code ca.pem},
   * {@code server.crt} and {@code server.key} into {@code directory} (created if missing; files of
   * those names are replaced).
   *
   * @throws UncheckedIOException if the files cannot be written
   * @throws IllegalStateException if the JDK lacks RSA or SHA-256 (it never does)
   */
  public static TestCertificates create(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS, RANDOM);
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      Instant notBefore = Instant.now().minus(Duration.ofHours(1));
      Instant notAfter = notBefore.plus(VALIDITY);

      byte[] caName = name("Rota test CA " + UUID.randomUUID());
      byte[] caKeyId = keyIdentifier(caKeys.getPublic().getEncoded());
      byte[] caCert = sign(tbsCertificate(caName, caName, notBefore, notAfter, caKeys.getPublic().getEncoded(),
          Der.sequence(
              extension(OID_BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
              extension(OID_KEY_USAGE, true, Der.namedBits(KEY_CERT_SIGN, CRL_SIGN)),
              extension(OID_SUBJECT_KEY_ID, false, Der.octetString(caKeyId)))),
          caKeys.getPrivate());

      byte[] serverName = name(HOST_NAME);
      byte[] serverCert = sign(tbsCertificate(caName, serverName, notBefore, notAfter,
          serverKeys.getPublic().getEncoded(),
          Der.sequence(
              extension(OID_BASIC_CONSTRAINTS, true, Der.sequence()),
              extension(OID_KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT)),
              extension(OID_EXT_KEY_USAGE, false, Der.sequence(Der.oid(OID_SERVER_AUTH))),
              extension(OID_SUBJECT_ALT_NAME, false, Der.sequence(
                  Der.tagged(0x82, HOST_NAME.getBytes(StandardCharsets.US_ASCII)), // dNSName
                  Der.tagged(0x87, new byte[] {127, 0, 0, 1}))), // iPAddress
              extension(OID_SUBJECT_KEY_ID, false,
                  Der.octetString(keyIdentifier(serverKeys.getPublic().getEncoded()))),
              extension(OID_AUTHORITY_KEY_ID, false, Der.sequence(Der.tagged(0x80, caKeyId))))),
          caKeys.getPrivate());

      X509Certificate ca = parse(caCert);
      X509Certificate server = parse(serverCert);
      ca.verify(ca.getPublicKey());
      server.verify(ca.getPublicKey());

      Files.createDirectories(directory);
      Files.writeString(directory.resolve(CA_FILE), pem("CERTIFICATE", caCert), StandardCharsets.US_ASCII);
      Files.writeString(directory.resolve(CERT_FILE), pem("CERTIFICATE", serverCert), StandardCharsets.US_ASCII);
      writePrivateKey(directory.resolve(KEY_FILE), serverKeys.getPrivate());
      return new TestCertificates(directory, ca, server);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write test certificates to " + directory, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make test certificates: " + e, e);
    }
  }

  /** Returns the directory holding the three files. */
  public Path directory() {
    return directory;
  }

  /** Returns the PEM file of the CA's certificate, what clients trust. */
  public Path caFile() {
    return directory.resolve(CA_FILE);
  }

  /** Returns the PEM file of the server's certificate. */
  public Path certificateFile() {
    return directory.resolve(CERT_FILE);
  }

  /** Returns the PEM file (PKCS#8, mode {@code 0600}) of the server's private key. */
  public Path keyFile() {
    return directory.resolve(KEY_FILE);
  }

  /** Returns the CA's certificate. */
  public X509Certificate ca() {
    return ca;
  }

  /** Returns the server's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Names the CA and the directory; no key material. */
  @Override
  public String toString() {
    return "TestCertificates[" + ca.getSubjectX500Principal().getName() + ", " + directory + "]";
  }

  // ------------------------------------------------------------------ the certificate

  private static final String OID_SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
  private static final String OID_COMMON_NAME = "2.5.4.3";
  private static final String OID_ORGANIZATION = "2.5.4.10";
  private static final String OID_SUBJECT_KEY_ID = "2.5.29.14";
  private static final String OID_KEY_USAGE = "2.5.29.15";
  private static final String OID_SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String OID_AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
  private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  // KeyUsage bits (RFC 5280, 4.2.1.3)
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_ENCIPHERMENT = 2;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  /** UTCTime, which RFC 5280 requires up to 2049. */
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static byte[] tbsCertificate(byte[] issuer, byte[] subject, Instant notBefore, Instant notAfter,
      byte[] subjectPublicKeyInfo, byte[] extensions) {
    return Der.sequence(
        Der.tagged(0xA0, Der.integer(BigInteger.TWO)), // [0] EXPLICIT version v3
        Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)), // positive serial number
        signatureAlgorithm(),
        issuer,
        Der.sequence(utcTime(notBefore), utcTime(notAfter)),
        subject,
        subjectPublicKeyInfo, // the JDK's X.509 encoding of a public key is a SubjectPublicKeyInfo
        Der.tagged(0xA3, extensions)); // [3] EXPLICIT extensions
  }

  private static byte[] sign(byte[] tbs, PrivateKey key) throws GeneralSecurityException {
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key);
    signature.update(tbs);
    return Der.sequence(tbs, signatureAlgorithm(), Der.bitString(signature.sign()));
  }

  private static byte[] signatureAlgorithm() {
    return Der.sequence(Der.oid(OID_SHA256_WITH_RSA), Der.NULL);
  }

  private static byte[] name(String commonName) {
    return Der.sequence(
        Der.set(Der.sequence(Der.oid(OID_ORGANIZATION), Der.utf8("Rota tests"))),
        Der.set(Der.sequence(Der.oid(OID_COMMON_NAME), Der.utf8(commonName))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  private static byte[] utcTime(Instant instant) {
    return Der.tagged(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  /** A key identifier: the SHA-1 of the encoded public key (RFC 5280 allows any such method). */
  private static byte[] keyIdentifier(byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-1").digest(subjectPublicKeyInfo);
  }

  private static X509Certificate parse(byte[] der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  // ------------------------------------------------------------------ files

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Writes the key (the JDK encodes private keys as PKCS#8) readable by its owner alone. */
  private static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    Files.deleteIfExists(file);
    byte[] text = pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(file, text);
  }

  // ------------------------------------------------------------------ DER

  /**
   * The few DER encodings (X.690) a certificate needs: each method returns one complete TLV.
   * Definite lengths only; the caller passes already encoded contents to the constructed types.
   */
  static final class Der {

    static final byte[] NULL = {0x05, 0x00};

    private Der() {}

    static byte[] sequence(byte[]... elements) {
      return tagged(0x30, concat(elements));
    }

    static byte[] set(byte[]... elements) {
      return tagged(0x31, concat(elements)); // one element each here, so no DER sorting is needed
    }

    static byte[] integer(BigInteger value) {
      return tagged(0x02, value.toByteArray()); // two's complement, minimal: what DER demands
    }

    static byte[] bool(boolean value) {
      return tagged(0x01, new byte[] {value ? (byte) 0xFF : 0x00});
    }

    static byte[] octetString(byte[] contents) {
      return tagged(0x04, contents);
    }

    static byte[] utf8(String value) {
      return tagged(0x0C, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A BIT STRING of whole bytes (no unused bits), as signatures are. */
    static byte[] bitString(byte[] bytes) {
      byte[] contents = new byte[bytes.length + 1];
      System.arraycopy(bytes, 0, contents, 1, bytes.length);
      return tagged(0x03, contents);
    }

    /**
     * A named-bit BIT STRING (such as KeyUsage) with these bits set, bit 0 first; DER drops the
     * trailing zero bits and counts them as unused.
     */
    static byte[] namedBits(int... bits) {
      int highest = 0;
      for (int bit : bits) {
        if (bit < 0) {
          throw new IllegalArgumentException("bit: " + bit + " (expected: >= 0)");
        }
        highest = Math.max(highest, bit);
      }
      byte[] value = new byte[highest / 8 + 1];
      for (int bit : bits) {
        value[bit / 8] |= (byte) (0x80 >>> (bit % 8));
      }
      byte[] contents = new byte[value.length + 1];
      contents[0] = (byte) (7 - highest % 8);
      System.arraycopy(value, 0, contents, 1, value.length);
      return tagged(0x03, contents);
    }

    /** An OBJECT IDENTIFIER from its dotted form, such as {@code 2.5.4.3}. */
    static byte[] oid(String dotted) {
      String[] arcs = dotted.split("\\.");
      if (arcs.length < 2) {
        throw new IllegalArgumentException("oid: " + dotted + " (expected: at least two arcs)");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
      for (int i = 2; i < arcs.length; i++) {
        base128(out, Long.parseLong(arcs[i]));
      }
      return tagged(0x06, out.toByteArray());
    }

    /** One TLV: the tag byte, the definite length, the contents. */
    static byte[] tagged(int tag, byte[] contents) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
      out.write(tag);
      int length = contents.length;
      if (length < 0x80) {
        out.write(length);
      } else {
        int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
          out.write(length >>> (8 * i));
        }
      }
      out.writeBytes(contents);
      return out.toByteArray();
    }

    private static void base128(ByteArrayOutputStream out, long value) {
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
      for (int i = groups - 1; i >= 0; i--) {
        int group = (int) ((value >>> (7 * i)) & 0x7F);
        out.write(i == 0 ? group : group | 0x80);
      }
    }

    private static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        out.writeBytes(part);
      }
      return out.toByteArray();
    }
  }
}
