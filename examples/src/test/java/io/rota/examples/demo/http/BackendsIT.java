package io.rota.examples.demo.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.examples.demo.http.Backends.Mode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each mode of a backend does what it is named, on a plain JDK client. */
class BackendsIT {

  private static final List<String> progress = new ArrayList<>();
  private static Backends backends;
  private static final HttpClient raw = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  @BeforeAll
  static void start() {
    backends = Backends.start(progress::add);
  }

  @AfterAll
  static void stop() {
    if (backends != null) {
      backends.close();
    }
  }

  @BeforeEach
  void allOk() {
    for (Backends.Backend b : backends.backends()) {
      backends.setMode(b.id(), Mode.OK);
    }
    backends.resetCounts();
  }

  private static HttpResponse<String> send(String id, String method, String pathAndQuery, String requestId)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(backends.uri(id) + pathAndQuery))
        .timeout(Duration.ofSeconds(5));
    if (method.equals("POST")) {
      b.header(Backends.REQUEST_ID, requestId).POST(HttpRequest.BodyPublishers.ofString("{}"));
    }
    return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String id, String pathAndQuery) throws IOException, InterruptedException {
    return send(id, "GET", pathAndQuery, "");
  }

  @Test
  void startReportsEachBackendAndItsPort() {
    assertThat(backends.backends()).extracting(Backends.Backend::id).containsExactly("a", "b", "c", "backup");
    assertThat(backends.backends()).extracting(Backends.Backend::weight).containsExactly(5, 3, 2, 1);
    assertThat(progress).hasSize(8);
    for (int i = 0; i < 4; i++) {
      String id = backends.backends().get(i).id();
      assertThat(progress.get(2 * i)).isEqualTo("starting HTTP backend " + id + " ...");
      assertThat(progress.get(2 * i + 1))
          .matches("HTTP backend " + id + " ready on 127\\.0\\.0\\.1:" + backends.port(id) + " in \\d+ ms");
    }
  }

  @Test
  void okServesHealthPriceAndQuote() throws Exception {
    assertThat(get("a", "/health").statusCode()).isEqualTo(200);
    HttpResponse<String> price = get("b", "/price?sku=book%2042");
    assertThat(price.statusCode()).isEqualTo(200);
    assertThat(price.body()).isEqualTo("{\"backend\":\"b\",\"sku\":\"book 42\",\"price\":" + Backends.priceOf("book 42") + "}");
    HttpResponse<String> quote = send("c", "POST", "/quote", "q-1");
    assertThat(quote.statusCode()).isEqualTo(201);
    assertThat(quote.body()).isEqualTo("{\"backend\":\"c\",\"requestId\":\"q-1\"}");
    assertThat(get("backup", "/nothing").statusCode()).isEqualTo(404);

    assertThat(backends.received("a")).containsEntry("/health", 1L).containsEntry("/price", 0L);
    assertThat(backends.received("b", "/price")).isEqualTo(1);
    assertThat(backends.received("c", "/quote")).isEqualTo(1);
    assertThat(backends.received("backup", "other")).isEqualTo(1);
    assertThat(backends.duplicatePosts()).isEmpty();
  }

  @Test
  void error503AnswersEveryPathWith503() throws Exception {
    backends.setMode("b", Mode.ERROR_503);

    assertThat(get("b", "/health").statusCode()).isEqualTo(503);
    assertThat(get("b", "/price?sku=x").statusCode()).isEqualTo(503);
    assertThat(send("b", "POST", "/quote", "q-503").statusCode()).isEqualTo(503);
    assertThat(get("a", "/health").statusCode()).as("other backends").isEqualTo(200);
    assertThat(backends.received("b")).containsEntry("/health", 1L).containsEntry("/price", 1L)
        .containsEntry("/quote", 1L);

    backends.setMode("b", Mode.OK);
    assertThat(get("b", "/price?sku=x").statusCode()).isEqualTo(200);
  }

  @Test
  void resetBreaksEveryConnection() throws Exception {
    backends.setMode("c", Mode.RESET);

    assertThatThrownBy(() -> get("c", "/health")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> send("c", "POST", "/quote", "q-reset")).isInstanceOf(IOException.class);
    // The JDK client sends a GET once more on its own when its connection breaks; never a POST.
    assertThat(backends.received("c", "/health")).as("GETs that reached the server").isBetween(1L, 2L);
    assertThat(backends.received("c", "/quote")).as("POSTs that reached the server").isEqualTo(1);

    backends.setMode("c", Mode.ERROR_503);
    assertThat(get("c", "/health").statusCode()).isEqualTo(503);
    backends.setMode("c", Mode.OK);
    assertThat(get("c", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void downRefusesConnectionsAndOkRestartsOnTheSamePort() throws Exception {
    int port = backends.port("a");
    backends.setMode("a", Mode.DOWN);

    assertThat(backends.mode("a")).isEqualTo(Mode.DOWN);
    assertThatThrownBy(() -> get("a", "/health")).isInstanceOf(ConnectException.class);
    assertThat(backends.received("a", "/health")).isZero();

    backends.setMode("a", Mode.OK);
    assertThat(backends.port("a")).isEqualTo(port);
    assertThat(get("a", "/health").statusCode()).isEqualTo(200);
    assertThat(get("a", "/price?sku=x").body()).contains("\"backend\":\"a\"");
  }

  @Test
  void downThenAFaultStartsTheServerWithThatFault() throws Exception {
    backends.setMode("backup", Mode.DOWN);
    backends.setMode("backup", Mode.ERROR_503);

    assertThat(get("backup", "/health").statusCode()).isEqualTo(503);
  }

  @Test
  void aRestartThatCannotListenNamesTheBackendAndWhy() throws Exception {
    int port = backends.port("b");
    backends.setMode("b", Mode.DOWN);
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> backends.setMode("b", Mode.OK))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("HTTP backend b could not listen on 127.0.0.1:" + port + ": ")
          .hasMessageContaining("BindException");
      assertThat(backends.mode("b")).isEqualTo(Mode.DOWN);
    }
    backends.setMode("b", Mode.OK);
    assertThat(get("b", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aPostIdReceivedTwiceIsADuplicate() throws Exception {
    send("a", "POST", "/quote", "q-once");
    send("a", "POST", "/quote", "q-twice");
    send("c", "POST", "/quote", "q-twice");
    backends.setMode("b", Mode.RESET);
    assertThatThrownBy(() -> send("b", "POST", "/quote", "q-reset")).isInstanceOf(IOException.class);
    backends.setMode("b", Mode.OK);
    send("b", "POST", "/quote", "q-reset");

    assertThat(backends.duplicatePosts()).containsExactlyInAnyOrder("q-twice", "q-reset");
    backends.resetCounts();
    assertThat(backends.duplicatePosts()).isEmpty();
  }

  @Test
  void unknownIdsAreRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> backends.setMode("z", Mode.OK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backend id: 'z' (expected: one of [a, b, c, backup])");
    assertThatThrownBy(() -> new Backends.Backend("a", 0, io.rota.core.Tier.PRIMARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backend a weight: 0 (expected: 1..10000)");
  }
}
