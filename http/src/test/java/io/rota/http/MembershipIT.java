package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Endpoints added, removed and reweighted while the client runs, against real servers. */
class MembershipIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add();
  private static final WireMockServer b = servers.add();
  private static final WireMockServer c = servers.add();

  private static void sendGets(LoadBalancedHttpClient client, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      assertThat(client.send(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
  }

  private static void resetCounts() {
    servers.reset();
  }

  @Test
  void anAddedEndpointTakesItsShareAtOnce() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api").endpoint("a", Servers.base(a)).build()) {
      sendGets(client, 10);

      client.addEndpoint(HttpEndpoint.of("b", Servers.base(b)).withWeight(3));
      resetCounts();
      sendGets(client, 400);

      // The rotation carries on from where it was (no restart): each within 2 picks of its share.
      assertThat(Servers.count(a)).isCloseTo(100, within(2));
      assertThat(Servers.count(b)).isEqualTo(400 - Servers.count(a));
      assertThat(client.endpoints()).extracting(HttpEndpoint::id).containsExactly("a", "b");
      assertThat(client.snapshot().endpoint("b").requests()).isEqualTo(Servers.count(b));
    }
  }

  @Test
  void aWeightChangeShiftsTrafficAndWeightZeroDrains() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .build()) {
      sendGets(client, 10);

      client.setWeight("b", 3);
      resetCounts();
      sendGets(client, 400);
      assertThat(Servers.count(a)).isCloseTo(100, within(2));
      assertThat(Servers.count(b)).isEqualTo(400 - Servers.count(a));
      assertThat(client.endpoints()).extracting(HttpEndpoint::weight).containsExactly(1, 3);
      assertThat(client.snapshot().endpoint("b").requests()).as("counters survive a weight change")
          .isEqualTo(5 + Servers.count(b));

      client.setWeight("b", 0);
      resetCounts();
      sendGets(client, 50);
      assertThat(Servers.count(a)).isEqualTo(50);
      assertThat(Servers.count(b)).isZero();
    }
  }

  @Test
  void aRemovedEndpointFinishesItsRequestInFlightAndGetsNoNewOne() throws Exception {
    // A server of the test's own that holds its answer until the test lets it go.
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger heldRequests = new AtomicInteger();
    ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread heldServer = new Thread(() -> {
      while (!held.isClosed()) {
        try (Socket s = held.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
          String line = in.readLine();
          while (line != null && !line.isEmpty()) {
            line = in.readLine();
          }
          heldRequests.incrementAndGet();
          arrived.countDown();
          if (release.await(30, TimeUnit.SECONDS)) {
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\ndrained"
                .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
          }
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    }, "held-server");
    heldServer.setDaemon(true);
    heldServer.start();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("held", URI.create("http://127.0.0.1:" + held.getLocalPort()))
        .build()) {
      CompletableFuture<HttpResponse<String>> inFlight =
          client.sendAsync(client.newRequest("/slow").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

      client.addEndpoint(HttpEndpoint.of("a", Servers.base(a)));
      assertThat(client.removeEndpoint("held")).isTrue();
      sendGets(client, 20);
      assertThat(inFlight).isNotDone();
      release.countDown();

      assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("drained");
      assertThat(Servers.count(a)).isEqualTo(20);
      assertThat(heldRequests).hasValue(1);
      assertThat(client.endpoints()).extracting(HttpEndpoint::id).containsExactly("a");
      assertThat(client.snapshot().endpoints()).extracting(HttpClientSnapshot.EndpointStats::id).containsExactly("a");
      assertThat(client.removeEndpoint("held")).isFalse();
    } finally {
      release.countDown();
      held.close();
    }
  }

  @Test
  void membershipChangesWhileEightThreadsSendCostNoRequest() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .build()) {
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger changes = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      Thread changer = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; !stop.get(); i++) {
            client.addEndpoint(HttpEndpoint.of("c", Servers.base(c)).withWeight(1 + i % 3));
            client.setWeight("a", 1 + i % 5);
            client.removeEndpoint("c");
            changes.incrementAndGet();
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      });
      changer.start();

      List<Throwable> sendFailures = Load.SYNC.run(client, 1600, 8, () -> {
        start.countDown();
        return client.newRequest("/x").build();
      });
      stop.set(true);
      changer.join(10_000);

      assertThat(failures).isEmpty();
      assertThat(sendFailures).isEmpty();
      assertThat(changes.get()).isPositive();
      assertThat(Servers.count(a) + Servers.count(b) + Servers.count(c)).isEqualTo(1600);
      assertThat(client.snapshot().retries()).isZero();
      assertThat(client.endpoints()).extracting(HttpEndpoint::id).containsExactly("a", "b");
    }
  }

  @Test
  void badMembershipChangesAreRefusedClearly() {
    LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api").endpoint("a", Servers.base(a)).build();
    try (client) {
      assertThatThrownBy(() -> client.addEndpoint(HttpEndpoint.of("a", Servers.base(b))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("endpoint id: 'a' (expected: unique; it is already used)");
      assertThatThrownBy(() -> client.setWeight("nope", 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("endpoint id: 'nope' (expected: one of [a])");
      assertThatThrownBy(() -> client.setWeight("a", -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("weight of endpoint 'a': -1 (expected: 0..10000)");
      URI tls = URI.create("https://10.0.0.1:8443");
      client.addEndpoint(HttpEndpoint.of("t1", tls).withAuthority("api.test"));
      assertThatThrownBy(() -> client.addEndpoint(HttpEndpoint.of("t2", tls)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("authority of endpoint 't2': none (expected: 'api.test'");
      assertThat(client.endpoints()).extracting(HttpEndpoint::id).containsExactly("a", "t1");
    }
    assertThatThrownBy(() -> client.addEndpoint(HttpEndpoint.of("b", Servers.base(b))))
        .isInstanceOf(IllegalStateException.class).hasMessage("client 'api' is closed");
    assertThatThrownBy(() -> client.removeEndpoint("a"))
        .isInstanceOf(IllegalStateException.class).hasMessage("client 'api' is closed");
  }
}
