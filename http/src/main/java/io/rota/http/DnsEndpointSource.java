package io.rota.http;

import static io.rota.core.internal.Checks.checkArgument;
import static io.rota.core.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import io.rota.core.Endpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An {@link EndpointSource} that resolves a DNS name every interval and makes one endpoint per
 * address (A and AAAA records), all with the same scheme, port, base path and weight.
 *
 * <pre>{@code
 * LoadBalancedHttpClient orders = LoadBalancedHttpClient.builder("orders")
 *     .endpointSource(DnsEndpointSource.builder(URI.create("https://orders.internal:8443/api")).build())
 *     .build();
 * }</pre>
 *
 * <p>Each address {@code 10.0.0.7} becomes the endpoint {@code 10.0.0.7} with base URI
 * {@code https://10.0.0.7:8443/api} (IPv6 addresses in brackets). For an {@code https} template the
 * endpoints get the DNS name as their {@linkplain HttpEndpoint#authority() authority}, so the
 * certificate is checked against {@code orders.internal}, not the address.
 *
 * <h2>TTL: what the JDK allows</h2>
 * The default resolver is {@link InetAddress#getAllByName(String)}, which does not expose the TTL of
 * the records. It caches successful answers for the security property
 * {@code networkaddress.cache.ttl} (30 s by default without a security manager, forever with one)
 * and failures for {@code networkaddress.cache.negative.ttl} (10 s by default). This source asks
 * again every {@link Builder#interval(Duration) interval} (default {@value #DEFAULT_INTERVAL_SECONDS}
 * s), so a DNS change reaches the client within the interval plus the JDK's cache time; a record TTL
 * shorter than {@code networkaddress.cache.ttl} is not honoured unless that property is lowered, and
 * a longer one is not waited for (the JDK's cache answers until its own time runs out). A
 * {@link Resolver} of your own (for example over a DNS library) can honour TTLs exactly.
 *
 * <h2>Failures</h2>
 * A resolution that throws, or finds no address, keeps the last known endpoints (see
 * {@link EndpointSource}).
 *
 * <p>Immutable and thread-safe when its resolver is.
 */
public final class DnsEndpointSource implements EndpointSource {

  /** Default {@link Builder#interval(Duration)}: {@value} seconds. */
  public static final int DEFAULT_INTERVAL_SECONDS = 10;

  /**
   * Resolves a host name to its addresses; the seam for tests and for resolvers that honour TTLs.
   * Must be thread-safe.
   */
  @FunctionalInterface
  public interface Resolver {

    /** Returns the JDK's resolver, {@link InetAddress#getAllByName(String)}. */
    static Resolver system() {
      return host -> List.of(InetAddress.getAllByName(host));
    }

    /**
     * Returns the addresses of {@code host} (IPv4 and IPv6).
     *
     * @throws UnknownHostException if the name does not resolve now
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  private final String host;
  private final String scheme;
  private final int port;
  private final String basePath;
  private final int weight;
  private final Duration interval;
  private final Resolver resolver;

  private DnsEndpointSource(Builder b, String host, int port) {
    this.host = host;
    this.scheme = b.template.getScheme().toLowerCase(Locale.ROOT);
    this.port = port;
    String path = b.template.getRawPath();
    this.basePath = path == null ? "" : path;
    this.weight = b.weight;
    this.interval = b.interval;
    this.resolver = b.resolver;
  }

  /**
   * Returns a builder for the endpoints of a template URI: its host is the DNS name to resolve, its
   * scheme, port and path those of every endpoint.
   *
   * @param template such as {@code https://orders.internal:8443/api}; without a port, 80 for
   *     {@code http} and 443 for {@code https}
   * @throws IllegalArgumentException if the template is not an {@code http} or {@code https} URI with
   *     a host name, or has user info, a query or a fragment
   */
  public static Builder builder(URI template) {
    return new Builder(template);
  }

  @Override
  public List<HttpEndpoint> endpoints() throws UnknownHostException {
    List<InetAddress> addresses = resolver.resolve(host);
    Set<String> seen = new LinkedHashSet<>();
    List<HttpEndpoint> endpoints = new ArrayList<>(addresses.size());
    for (InetAddress address : addresses) {
      String ip = address.getHostAddress();
      int scope = ip.indexOf('%');
      if (scope >= 0) {
        ip = ip.substring(0, scope);
      }
      if (!seen.add(ip)) {
        continue;
      }
      String literal = address instanceof Inet6Address ? "[" + ip + "]" : ip;
      HttpEndpoint e = HttpEndpoint.of(ip, URI.create(scheme + "://" + literal + ":" + port + basePath))
          .withWeight(weight);
      endpoints.add("https".equals(scheme) ? e.withAuthority(host) : e);
    }
    return endpoints;
  }

  @Override
  public Duration refreshInterval() {
    return interval;
  }

  /** Returns {@code dns https://orders.internal:8443/api every PT10S}. */
  @Override
  public String toString() {
    return "dns " + scheme + "://" + host + ":" + port + basePath + " every " + interval;
  }

  /** Builds a {@link DnsEndpointSource}. Not thread-safe. */
  public static final class Builder {
    private final URI template;
    private int weight = Endpoint.DEFAULT_WEIGHT;
    private Duration interval = Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS);
    private Resolver resolver = Resolver.system();

    private Builder(URI template) {
      requireNonNull(template, "template");
      checkArgument(template.getRawUserInfo() == null,
          "dns template: has user info (expected: no credentials in the URI; send them in a header)");
      String scheme = template.getScheme();
      checkArgument("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme),
          "dns template: %s (expected: an http:// or https:// URI)", template);
      checkArgument(template.getHost() != null && !isIpLiteral(template.getHost()),
          "dns template: %s (expected: a DNS host name to resolve, as in https://orders.internal:8443)", template);
      checkArgument(template.getRawQuery() == null && template.getRawFragment() == null,
          "dns template: %s (expected: no query or fragment; only scheme, host, port and base path)", template);
      this.template = template;
    }

    private static boolean isIpLiteral(String host) {
      return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Sets the weight of every endpoint; default {@value Endpoint#DEFAULT_WEIGHT}.
     *
     * @throws IllegalArgumentException if {@code weight} is outside {@code 0..}{@value Endpoint#MAX_WEIGHT}
     */
    public Builder weight(int weight) {
      checkArgument(weight >= 0 && weight <= Endpoint.MAX_WEIGHT,
          "weight: %s (expected: 0..%s)", weight, Endpoint.MAX_WEIGHT);
      this.weight = weight;
      return this;
    }

    /**
     * Sets how often the name is resolved again; default {@value #DEFAULT_INTERVAL_SECONDS} s. See the
     * class description for what the JDK's cache adds.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public Builder interval(Duration interval) {
      this.interval = positive(interval, "interval");
      return this;
    }

    /** Same as {@link #interval(Duration)} in milliseconds. */
    public Builder intervalMillis(long millis) {
      return interval(Duration.ofMillis(millis));
    }

    /** Sets the resolver; default {@link Resolver#system()}. */
    public Builder resolver(Resolver resolver) {
      this.resolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /** Returns the source. */
    public DnsEndpointSource build() {
      String host = template.getHost().toLowerCase(Locale.ROOT);
      int port = template.getPort() != -1 ? template.getPort()
          : "https".equalsIgnoreCase(template.getScheme()) ? 443 : 80;
      return new DnsEndpointSource(this, host, port);
    }
  }
}
