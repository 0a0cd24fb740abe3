package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoint sources diffed into a running client: a DNS name whose answers the test feeds (servers on
 * 127.0.0.2 and 127.0.0.3, one port), and a supplier of the test's own.
 */
class EndpointSourceIT {

  private static WireMockServer two;
  private static WireMockServer three;
  private static WireMockServer other;

  @BeforeAll
  static void startServers() {
    two = new WireMockServer(Servers.httpOptions().bindAddress("127.0.0.2"));
    two.start();
    three = new WireMockServer(Servers.httpOptions().bindAddress("127.0.0.3").port(two.port()));
    three.start();
    other = new WireMockServer(Servers.httpOptions());
    other.start();
  }

  @AfterAll
  static void stopServers() {
    Servers.stop(two, three, other);
  }

  @BeforeEach
  void reset() {
    for (WireMockServer s : new WireMockServer[] {two, three, other}) {
      Servers.healthy(s);
      s.resetRequests();
    }
  }

  private static void resetCounts() {
    two.resetRequests();
    three.resetRequests();
    other.resetRequests();
  }

  private static void sendGets(LoadBalancedHttpClient client, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      assertThat(client.send(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
  }

  private static List<String> ids(LoadBalancedHttpClient client) {
    return client.endpoints().stream().map(HttpEndpoint::id).toList();
  }

  /** Runs the body with System.err captured, and returns what was written to it. */
  private static String capturingErr(ThrowingRunnable body) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void dnsAnswersAreDiffedIntoTheClientAndAFailureKeepsTheLastKnownSet() throws Exception {
    AtomicReference<List<InetAddress>> answer = new AtomicReference<>(List.of(InetAddress.getByName("127.0.0.2")));
    AtomicReference<UnknownHostException> failure = new AtomicReference<>();
    AtomicInteger lookups = new AtomicInteger();
    DnsEndpointSource dns = DnsEndpointSource.builder(URI.create("http://orders.test:" + two.port()))
        .interval(Duration.ofHours(1)) // the test reads on demand
        .resolver(host -> {
          lookups.incrementAndGet();
          if (failure.get() != null) {
            throw failure.get();
          }
          return answer.get();
        })
        .build();

    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders").endpointSource(dns).build()) {
      assertThat(ids(client)).containsExactly("127.0.0.2");
      sendGets(client, 10);
      assertThat(Servers.count(two)).isEqualTo(10);

      // An address appears.
      answer.set(List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")));
      client.refreshEndpoints();
      resetCounts();
      sendGets(client, 20);
      assertThat(ids(client)).containsExactly("127.0.0.2", "127.0.0.3");
      assertThat(Servers.count(two)).isEqualTo(10);
      assertThat(Servers.count(three)).isEqualTo(10);

      // One disappears.
      answer.set(List.of(InetAddress.getByName("127.0.0.3")));
      client.refreshEndpoints();
      resetCounts();
      sendGets(client, 10);
      assertThat(ids(client)).containsExactly("127.0.0.3");
      assertThat(Servers.count(two)).isZero();
      assertThat(Servers.count(three)).isEqualTo(10);

      // Resolution fails three times: the last known set stays, with one WARN.
      failure.set(new UnknownHostException("orders.test"));
      String logs = capturingErr(() -> {
        client.refreshEndpoints();
        client.refreshEndpoints();
        client.refreshEndpoints();
        resetCounts();
        sendGets(client, 10);
      });
      assertThat(ids(client)).containsExactly("127.0.0.3");
      assertThat(Servers.count(three)).isEqualTo(10);
      assertThat(occurrences(logs, "WARN")).as(logs).isEqualTo(1);
      assertThat(logs).contains("orders - Endpoint source dns http://orders.test:" + two.port()
          + " every PT1H failed (java.net.UnknownHostException: orders.test); keeping the last known endpoints"
          + " [127.0.0.3]");

      // It resolves again, to a new set.
      failure.set(null);
      answer.set(List.of(InetAddress.getByName("127.0.0.2")));
      logs = capturingErr(client::refreshEndpoints);
      assertThat(logs).contains("read again: [127.0.0.2]").doesNotContain("WARN");
      assertThat(ids(client)).containsExactly("127.0.0.2");
      assertThat(lookups).as("the first read, 2 changes, 3 failures, 1 recovery").hasValue(7);
    }
  }

  @Test
  void aSuppliersListIsDiffedAddsRemovalsAndWeightsAndHandMadeEndpointsStay() throws Exception {
    URI twoUri = URI.create("http://127.0.0.2:" + two.port());
    URI threeUri = URI.create("http://127.0.0.3:" + three.port());
    AtomicReference<List<HttpEndpoint>> list = new AtomicReference<>(List.of(HttpEndpoint.of("two", twoUri)));
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpoint("manual", Servers.base(other))
        .endpointSource(EndpointSource.polling(list::get, Duration.ofHours(1)))
        .build()) {
      assertThat(ids(client)).containsExactly("manual", "two");

      list.set(List.of(HttpEndpoint.of("two", twoUri).withWeight(3), HttpEndpoint.of("three", threeUri)));
      client.refreshEndpoints();
      assertThat(client.endpoints()).extracting(HttpEndpoint::id, HttpEndpoint::weight)
          .containsExactly(tuple("manual", 1), tuple("two", 3),
              tuple("three", 1));
      resetCounts();
      sendGets(client, 500);
      assertThat(Servers.count(other) + Servers.count(two) + Servers.count(three)).isEqualTo(500);
      assertThat(Servers.count(two)).isBetween(298, 302);

      // A hand-made weight lasts until the source changes that endpoint.
      client.setWeight("three", 2);
      client.refreshEndpoints();
      assertThat(client.endpoints().get(2).weight()).isEqualTo(2);

      // "two" leaves and "three" moves to another address: removed, and replaced.
      list.set(List.of(HttpEndpoint.of("three", Servers.base(other).resolve("/three"))));
      client.refreshEndpoints();
      assertThat(ids(client)).containsExactly("manual", "three");
      assertThat(client.endpoints().get(1).baseUri()).isEqualTo(Servers.base(other).resolve("/three"));
      resetCounts();
      sendGets(client, 10);
      assertThat(Servers.count(two) + Servers.count(three)).isZero();

      // An empty list is taken as a failure: nothing is removed.
      list.set(List.of());
      client.refreshEndpoints();
      assertThat(ids(client)).containsExactly("manual", "three");
    }
  }

  @Test
  void theSourceIsReadOnItsInterval() throws Exception {
    URI twoUri = URI.create("http://127.0.0.2:" + two.port());
    AtomicReference<List<HttpEndpoint>> list = new AtomicReference<>(List.of(HttpEndpoint.of("two", twoUri)));
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("orders")
        .endpointSource(EndpointSource.polling(list::get, Duration.ofMillis(20)))
        .build()) {
      list.set(List.of(HttpEndpoint.of("three", URI.create("http://127.0.0.3:" + three.port()))));

      Servers.await(Duration.ofSeconds(5), () -> ids(client).equals(List.of("three")), "the next read");
      sendGets(client, 5);
      assertThat(Servers.count(three)).isEqualTo(5);
    }
  }

  @Test
  void build_aFirstReadThatFailsOrFindsNothing() {
    DnsEndpointSource failing = DnsEndpointSource.builder(URI.create("http://orders.test"))
        .resolver(host -> {
          throw new UnknownHostException(host + ": Name or service not known");
        })
        .build();
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder("orders").endpointSource(failing).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpointSource dns http://orders.test:80 every PT10S: first read failed"
            + " (java.net.UnknownHostException: orders.test: Name or service not known)");
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder("orders")
        .endpointSource(EndpointSource.polling(List::of, Duration.ofSeconds(1))).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpointSource polling every PT1S: no endpoint (expected: at least one at the first read)");
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder("orders")
        .endpoint("a", Servers.base(other))
        .endpointSource(EndpointSource.of(List.of(HttpEndpoint.of("a", Servers.base(other))))).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("endpoint id: 'a' (expected: unique; endpointSource static [a (weight 1)] delivers");
  }
}
