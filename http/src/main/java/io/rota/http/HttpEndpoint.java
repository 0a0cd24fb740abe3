package io.rota.http;

import static io.rota.core.internal.Checks.checkArgument;
import static java.util.Objects.requireNonNull;

import io.rota.core.Endpoint;
import io.rota.core.Tier;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint of a {@link LoadBalancedHttpClient}: an id, a base URI, a weight, a {@link Tier} and,
 * for an {@code https} endpoint, an optional <em>authority</em>, the host name its certificate must
 * name.
 *
 * <pre>{@code
 * HttpEndpoint a = HttpEndpoint.of("a", URI.create("https://10.0.0.1:8443"))
 *     .withWeight(3)
 *     .withAuthority("orders.example.com"); // the certificate names orders.example.com, not 10.0.0.1
 * }</pre>
 *
 * <h2>Authority: TLS to an IP address, verified against a name</h2>
 * Without an authority the JDK checks the server's certificate against the base URI's host, so an
 * endpoint given as an IP address needs a certificate for that IP address. With one, Rota connects to
 * the URI's address and sends the authority as the TLS server name (SNI); the certificate chain is
 * validated by the TLS context's trust manager (the JDK's default one unless an {@code SSLContext}
 * was given) and its identity checked against that name with the JDK's HTTPS rules. The JDK's trust
 * manager also accepts a certificate that names the URI's IP address itself (it falls back from the
 * SNI name to the peer address); a certificate for any other name fails the handshake. Verification is
 * never turned off. The request's {@code Host} header stays the URI's host and port: the JDK's client
 * does not let it be changed.
 *
 * <p>A TLS context caches sessions by address ({@code host:port}) and the JDK does not check a
 * certificate again when it resumes one. Within one client an address therefore has one authority
 * (the builder refuses two); clients in one JVM that reach the same address under different names
 * should not share an {@code SSLContext} (the JDK's default context is shared by every client that
 * sets none).
 *
 * <p>Instances are immutable and thread-safe. Equality covers every field.
 */
public final class HttpEndpoint {

  private final String id;
  private final URI baseUri;
  private final int weight;
  private final Tier tier;
  private final @Nullable String authority;

  private HttpEndpoint(String id, URI baseUri, int weight, Tier tier, @Nullable String authority) {
    this.id = id;
    this.baseUri = baseUri;
    this.weight = weight;
    this.tier = tier;
    this.authority = authority;
  }

  /**
   * Returns a primary endpoint with weight {@value Endpoint#DEFAULT_WEIGHT} and no authority.
   *
   * @param id a unique id, used in logs, events and errors
   * @param baseUri {@code http://host:port} or {@code https://host:port}, with an optional base path
   *     that request paths are appended to
   * @throws IllegalArgumentException if the id is blank, or the URI is not an {@code http} or
   *     {@code https} URI with a host, or has user info, a query or a fragment
   */
  public static HttpEndpoint of(String id, URI baseUri) {
    requireNonNull(id, "id");
    requireNonNull(baseUri, "baseUri");
    checkArgument(!id.isBlank(), "endpoint id: '%s' (expected: a non-blank string)", id);
    validateBaseUri(id, baseUri);
    return new HttpEndpoint(id, baseUri, Endpoint.DEFAULT_WEIGHT, Tier.PRIMARY, null);
  }

  private static void validateBaseUri(String id, URI uri) {
    // Never echo a URI with user info: it may hold a password.
    checkArgument(uri.getRawUserInfo() == null,
        "base URI of endpoint '%s': has user info (expected: no credentials in the URI; send them in a header)", id);
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    checkArgument("http".equals(scheme) || "https".equals(scheme),
        "base URI of endpoint '%s': %s (expected: an http:// or https:// URI)", id, uri);
    checkArgument(uri.getHost() != null,
        "base URI of endpoint '%s': %s (expected: a host, as in http://10.0.0.1:8080)", id, uri);
    checkArgument(uri.getRawQuery() == null && uri.getRawFragment() == null,
        "base URI of endpoint '%s': %s (expected: no query or fragment; only scheme, host, port and base path)",
        id, uri);
  }

  /**
   * Returns this endpoint with another weight, or {@code this} if the weight is the same.
   *
   * @throws IllegalArgumentException if {@code weight} is outside {@code 0..}{@value Endpoint#MAX_WEIGHT}
   */
  public HttpEndpoint withWeight(int weight) {
    checkArgument(weight >= 0 && weight <= Endpoint.MAX_WEIGHT,
        "weight of endpoint '%s': %s (expected: 0..%s)", id, weight, Endpoint.MAX_WEIGHT);
    return weight == this.weight ? this : new HttpEndpoint(id, baseUri, weight, tier, authority);
  }

  /** Returns this endpoint in another tier, or {@code this} if the tier is the same. */
  public HttpEndpoint withTier(Tier tier) {
    requireNonNull(tier, "tier");
    return tier == this.tier ? this : new HttpEndpoint(id, baseUri, weight, tier, authority);
  }

  /**
   * Returns this endpoint with an authority: the host name its TLS certificate must name, sent as the
   * TLS server name (see the class description). Returns {@code this} if it is the same.
   *
   * @param hostName a DNS host name such as {@code orders.example.com}, not an IP address
   * @throws IllegalArgumentException if the base URI is not {@code https} (over plain HTTP nothing is
   *     verified), or {@code hostName} is not a valid DNS host name
   */
  public HttpEndpoint withAuthority(String hostName) {
    requireNonNull(hostName, "hostName");
    checkArgument("https".equalsIgnoreCase(baseUri.getScheme()),
        "authority of endpoint '%s': '%s' (expected: only with an https:// base URI; plain http verifies no name)",
        id, hostName);
    String name = hostName.toLowerCase(Locale.ROOT);
    checkArgument(isHostName(name),
        "authority of endpoint '%s': '%s' (expected: a DNS host name such as 'orders.example.com', no port or IP"
            + " address)", id, hostName);
    return name.equals(authority) ? this : new HttpEndpoint(id, baseUri, weight, tier, name);
  }

  private static boolean isHostName(String name) {
    if (name.isEmpty() || name.endsWith(".") || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
        || name.indexOf(':') >= 0) {
      return false;
    }
    try {
      new SNIHostName(name);
      return URI.create("https://" + name + "/").getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Returns the id, unique within a client. */
  public String id() {
    return id;
  }

  /** Returns the base URI. */
  public URI baseUri() {
    return baseUri;
  }

  /** Returns the weight, {@code 0..}{@value Endpoint#MAX_WEIGHT}; default {@value Endpoint#DEFAULT_WEIGHT}. */
  public int weight() {
    return weight;
  }

  /** Returns the tier; default {@link Tier#PRIMARY}. */
  public Tier tier() {
    return tier;
  }

  /** Returns the host name the certificate must name, or {@code null} for the base URI's host. */
  public @Nullable String authority() {
    return authority;
  }

  /** Returns whether requests to this endpoint use TLS: its base URI says {@code https}. */
  boolean isTls() {
    return "https".equalsIgnoreCase(baseUri.getScheme());
  }

  /** Returns the core pool's endpoint. */
  Endpoint<URI> toPoolEndpoint() {
    return Endpoint.of(id, baseUri, weight).withTier(tier);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof HttpEndpoint)) {
      return false;
    }
    HttpEndpoint that = (HttpEndpoint) o;
    return weight == that.weight && tier == that.tier && id.equals(that.id) && baseUri.equals(that.baseUri)
        && Objects.equals(authority, that.authority);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, baseUri, weight, tier, authority);
  }

  /**
   * Returns {@code id (weight N)}, {@code id (backup, weight N)}, with {@code , authority name} when
   * set; the base URI is left out.
   */
  @Override
  public String toString() {
    return id + (tier == Tier.BACKUP ? " (backup, weight " : " (weight ") + weight
        + (authority != null ? ", authority " + authority + ')' : ")");
  }
}
