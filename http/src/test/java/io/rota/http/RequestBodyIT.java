package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A PUT whose first endpoint resets the connection while reading the body goes to a healthy
 * endpoint with its whole body, byte for byte, when the body can be sent again; a one-shot body is
 * never resent partial or empty: the request fails and says how to make the body resendable.
 */
class RequestBodyIT {

  private static final int LARGE = 256 * 1024;
  private static final int SMALL = 16 * 1024;

  /** Bodies the client can send again, made from the bytes (and a file holding them). */
  enum Replayable {
    NO_BODY((bytes, file) -> BodyPublishers.noBody()),
    OF_STRING((bytes, file) -> BodyPublishers.ofString(new String(bytes, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)),
    OF_BYTE_ARRAY((bytes, file) -> BodyPublishers.ofByteArray(bytes)),
    OF_BYTE_ARRAY_RANGE((bytes, file) -> {
      byte[] padded = new byte[bytes.length + 20];
      System.arraycopy(bytes, 0, padded, 7, bytes.length);
      return BodyPublishers.ofByteArray(padded, 7, bytes.length);
    }),
    OF_BYTE_ARRAYS((bytes, file) -> BodyPublishers.ofByteArrays(chunks(bytes))),
    OF_FILE((bytes, file) -> {
      try {
        return BodyPublishers.ofFile(file);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }),
    MARKED_INPUT_STREAM_SUPPLIER((bytes, file) ->
        ReplayableBody.of(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));

    final BiFunction<byte[], Path, BodyPublisher> make;

    Replayable(BiFunction<byte[], Path, BodyPublisher> make) {
      this.make = make;
    }
  }

  /** Bodies that are read once. */
  enum OneShot {
    OF_INPUT_STREAM,
    FROM_PUBLISHER;

    BodyPublisher make(byte[] bytes) {
      InputStream once = new ByteArrayInputStream(bytes);
      BodyPublisher stream = BodyPublishers.ofInputStream(() -> once);
      return this == OF_INPUT_STREAM ? stream : BodyPublishers.fromPublisher(stream);
    }
  }

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer healthy = servers.add();

  @TempDir
  Path dir;

  private static List<byte[]> chunks(byte[] bytes) {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += 10_000) {
      byte[] c = new byte[Math.min(10_000, bytes.length - i)];
      System.arraycopy(bytes, i, c, 0, c.length);
      chunks.add(c);
    }
    return chunks;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** A client whose first attempts go to {@code first}; retries go to the healthy server (backup tier). */
  private static LoadBalancedHttpClient client(URI first, RetryPolicy.Builder policy) {
    return LoadBalancedHttpClient.builder("docs")
        .endpoint("first", first)
        .backupEndpoint("healthy", Servers.base(healthy))
        .retryPolicy(policy.initialBackoffMillis(1).maxBackoffMillis(1).build())
        .build();
  }

  private static HttpRequest put(LoadBalancedHttpClient client, BodyPublisher body) {
    return client.newRequest("/doc").PUT(body).build();
  }

  /** Asserts that the request succeeded and the healthy server stored one PUT, with the whole body. */
  private static void assertStoredWhole(Load load, HttpResponse<String> response, byte[] bytes) {
    assertThat(response.statusCode()).isEqualTo(200);
    List<LoggedRequest> stored = healthy.findAll(putRequestedFor(urlPathEqualTo("/doc")));
    assertThat(stored).as("%s: bodies stored", load).singleElement()
        .satisfies(r -> assertThat(r.getBody()).as("stored body").isEqualTo(bytes));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Replayable.class)
  void aReplayableBodyReachesTheNextEndpointWhole(Replayable kind) throws Exception {
    byte[] bytes = kind == Replayable.NO_BODY ? new byte[0] : randomBytes(LARGE);
    Path file = Files.write(dir.resolve("body"), bytes);
    for (Load load : Load.values()) {
      healthy.resetRequests();
      try (RawServer reset = RawServer.resetting(1024);
          LoadBalancedHttpClient client = client(reset.base(), RetryPolicy.custom())) {

        HttpResponse<String> response = load.send(client, put(client, kind.make.apply(bytes, file)));

        assertThat(reset.requests()).as("%s: requests at the resetting server", load).isEqualTo(1);
        assertStoredWhole(load, response, bytes);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OneShot.class)
  void aOneShotBodyAnAttemptBeganToSendIsNotResent(OneShot kind) throws Exception {
    byte[] bytes = randomBytes(LARGE);
    for (Load load : Load.values()) {
      healthy.resetRequests();
      try (RawServer reset = RawServer.resetting(1024);
          LoadBalancedHttpClient client = client(reset.base(), RetryPolicy.custom())) {

        Throwable thrown = catchThrowable(() -> load.send(client, put(client, kind.make(bytes))));

        assertThat(thrown).as("%s", load).isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
          assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.BODY_NOT_REPLAYABLE);
          assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.endpointId()).isEqualTo("first"));
          assertThat(e.getMessage()).startsWith("PUT /doc to service 'docs' failed after 1 attempt (not retried: the"
              + " request body (jdk.internal.net.http.RequestPublishers$")
              .contains("cannot be sent again")
              .contains("ReplayableBody.of(")
              .contains("RetryPolicy.Builder.bodyReplayBuffer(");
          assertThat(e.getCause()).isInstanceOf(IOException.class);
        });
        assertThat(Servers.count(healthy, anyRequestedFor(anyUrl()))).as("%s: requests at the healthy server", load)
            .isZero();
        assertThat(client.snapshot().retries()).isZero();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OneShot.class)
  void aOneShotBodyNoAttemptBeganToSendIsSentByTheRetry(OneShot kind) throws Exception {
    byte[] bytes = randomBytes(LARGE);
    URI refused = URI.create("http://127.0.0.1:" + Servers.closedPort());
    for (Load load : Load.values()) {
      healthy.resetRequests();
      try (LoadBalancedHttpClient client = client(refused, RetryPolicy.custom())) {

        HttpResponse<String> response = load.send(client, put(client, kind.make(bytes)));

        assertStoredWhole(load, response, bytes);
        assertThat(client.snapshot().retries()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OneShot.class)
  void aOneShotBodyCopiedWholeByTheReplayBufferIsResent(OneShot kind) throws Exception {
    byte[] bytes = randomBytes(SMALL);
    for (Load load : Load.values()) {
      healthy.resetRequests();
      // The resetting server reads the whole body first: the attempt sent all of it.
      try (RawServer reset = RawServer.resetting(Integer.MAX_VALUE);
          LoadBalancedHttpClient client = client(reset.base(), RetryPolicy.custom().bodyReplayBuffer(64 * 1024))) {

        HttpResponse<String> response = load.send(client, put(client, kind.make(bytes)));

        assertThat(reset.requests()).as("%s: requests at the resetting server", load).isEqualTo(1);
        assertStoredWhole(load, response, bytes);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Load.class)
  void aOneShotBodyLargerThanTheReplayBufferIsNotResent(Load load) throws Exception {
    byte[] bytes = randomBytes(LARGE);
    try (RawServer reset = RawServer.resetting(Integer.MAX_VALUE);
        LoadBalancedHttpClient client = client(reset.base(), RetryPolicy.custom().bodyReplayBuffer(64 * 1024))) {

      Throwable thrown = catchThrowable(() -> load.send(client, put(client, OneShot.OF_INPUT_STREAM.make(bytes))));

      assertThat(thrown).isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
        assertThat(e.reason()).isEqualTo(AllAttemptsFailedException.Reason.BODY_NOT_REPLAYABLE);
        assertThat(e.getMessage()).contains("the body replay buffer of 65536 bytes holds no complete copy");
      });
      assertThat(Servers.count(healthy, anyRequestedFor(anyUrl()))).isZero();
    }
  }
}
