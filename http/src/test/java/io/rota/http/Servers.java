package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Real WireMock servers on free loopback ports, and helpers to count what they received. */
final class Servers {

  private Servers() {}

  /** Returns the options of a plain-HTTP loopback server on a free port, HTTP/1.1 only. */
  static WireMockConfiguration httpOptions() {
    return options()
        .dynamicPort()
        .bindAddress("127.0.0.1")
        .http2PlainDisabled(true)
        .containerThreads(24)
        .jettyStopTimeout(0L);
  }

  /** Starts a server that answers 200 "ok" to everything. */
  static WireMockServer start() {
    WireMockServer server = new WireMockServer(httpOptions());
    server.start();
    healthy(server);
    return server;
  }

  /** Makes the server answer 200 "ok" to everything, forgetting earlier stubs (not its journal). */
  static void healthy(WireMockServer server) {
    server.resetMappings();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  /** Makes the server answer every request with the status. */
  static void status(WireMockServer server, int status) {
    server.resetMappings();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status).withBody("status " + status)));
  }

  /** Makes the server fail every request with the fault. */
  static void fault(WireMockServer server, Fault fault) {
    server.resetMappings();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withFault(fault)));
  }

  /** Makes the server answer every request with 200, after a delay. */
  static void delay(WireMockServer server, Duration delay) {
    server.resetMappings();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay((int) delay.toMillis())));
  }

  /** Returns the base URI of the server: {@code http://127.0.0.1:port}. */
  static URI base(WireMockServer server) {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** Returns how many requests the server received (any method, any path). */
  static int count(WireMockServer server) {
    return server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
  }

  /** Returns how many requests matching the pattern the server received. */
  static int count(WireMockServer server, RequestPatternBuilder pattern) {
    return server.countRequestsMatching(pattern.build()).getCount();
  }

  /** Returns a loopback port with nothing listening on it: connecting is refused. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Waits until the condition holds, polling every 10 ms, or fails after the timeout. */
  static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Stops the servers, ignoring nulls. */
  static void stop(WireMockServer... servers) {
    for (WireMockServer s : servers) {
      if (s != null) {
        s.stop();
      }
    }
  }
}
