package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DNS source's endpoints, from a resolver the test feeds, and its validation. */
class DnsEndpointSourceTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal); // a literal: no lookup
  }

  @Test
  void oneEndpointPerAddressWithTheTemplatesSchemePortAndPathAndTheNameAsAuthority() throws Exception {
    List<InetAddress> answer = List.of(ip("10.0.0.7"), ip("2001:db8::1"), ip("10.0.0.7"));
    DnsEndpointSource source = DnsEndpointSource.builder(URI.create("https://Orders.Internal:8443/api"))
        .weight(5)
        .resolver(host -> {
          assertThat(host).isEqualTo("orders.internal");
          return answer;
        })
        .build();

    List<HttpEndpoint> endpoints = source.endpoints();

    assertThat(endpoints).extracting(HttpEndpoint::id).containsExactly("10.0.0.7", "2001:db8:0:0:0:0:0:1");
    assertThat(endpoints).extracting(HttpEndpoint::baseUri).containsExactly(
        URI.create("https://10.0.0.7:8443/api"), URI.create("https://[2001:db8:0:0:0:0:0:1]:8443/api"));
    assertThat(endpoints).allSatisfy(e -> {
      assertThat(e.authority()).isEqualTo("orders.internal");
      assertThat(e.weight()).isEqualTo(5);
    });
    assertThat(source.refreshInterval()).isEqualTo(Duration.ofSeconds(DnsEndpointSource.DEFAULT_INTERVAL_SECONDS));
    assertThat(source).hasToString("dns https://orders.internal:8443/api every PT10S");
  }

  @Test
  void plainHttpEndpointsHaveNoAuthorityAndTheDefaultPort() throws Exception {
    DnsEndpointSource source = DnsEndpointSource.builder(URI.create("http://orders.internal"))
        .intervalMillis(500)
        .resolver(host -> List.of(ip("10.0.0.8")))
        .build();

    assertThat(source.endpoints()).singleElement().satisfies(e -> {
      assertThat(e.baseUri()).isEqualTo(URI.create("http://10.0.0.8:80"));
      assertThat(e.authority()).isNull();
    });
    assertThat(source.refreshInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aResolutionFailureIsThrown() {
    DnsEndpointSource source = DnsEndpointSource.builder(URI.create("http://orders.internal"))
        .resolver(host -> {
          throw new UnknownHostException(host);
        })
        .build();

    assertThatThrownBy(source::endpoints).isInstanceOf(UnknownHostException.class).hasMessage("orders.internal");
  }

  @Test
  void builder_badTemplates() {
    assertThatThrownBy(() -> DnsEndpointSource.builder(URI.create("ftp://orders.internal")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dns template: ftp://orders.internal (expected: an http:// or https:// URI)");
    assertThatThrownBy(() -> DnsEndpointSource.builder(URI.create("http://10.0.0.1:8080")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dns template: http://10.0.0.1:8080 (expected: a DNS host name to resolve, as in"
            + " https://orders.internal:8443)");
    assertThatThrownBy(() -> DnsEndpointSource.builder(URI.create("http://user:secret@orders.internal")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dns template: has user info (expected: no credentials in the URI; send them in a header)");
    assertThatThrownBy(() -> DnsEndpointSource.builder(URI.create("http://orders.internal/?q=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dns template: http://orders.internal/?q=1 (expected: no query or fragment");
    assertThatThrownBy(() -> DnsEndpointSource.builder(URI.create("http://orders.internal")).weight(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("weight: -1 (expected: 0..10000)");
    assertThatThrownBy(() -> DnsEndpointSource.builder(URI.create("http://orders.internal")).intervalMillis(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("interval: PT0S (expected: > 0)");
  }

  @Test
  void staticAndPollingSources() {
    assertThatThrownBy(() -> EndpointSource.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("endpoints: none (expected: at least one)");
    assertThatThrownBy(() -> EndpointSource.polling(List::of, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("interval: PT0S (expected: > 0)");
    assertThat(EndpointSource.of(List.of(HttpEndpoint.of("a", URI.create("http://10.0.0.1")))).refreshInterval())
        .isZero();
  }
}
