package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which bodies a retry may send again: one test per JDK publisher, so that a JDK that renames one
 * fails here (and such a body would merely not be resent), and the one-shot wrapper's bookkeeping.
 */
class RequestBodyTest {

  private static final URI URI_ = URI.create("http://docs/doc");

  @TempDir
  Path dir;

  private static RequestBody bodyOf(BodyPublisher publisher, int buffer) {
    return RequestBody.of(HttpRequest.newBuilder(URI_).PUT(publisher).build(), buffer);
  }

  @Test
  void noBodyIsReplayable() {
    assertThat(RequestBody.of(HttpRequest.newBuilder(URI_).build(), 0).publisher()).isNull();
    assertThat(RequestBody.isReplayable(BodyPublishers.noBody())).isTrue();
  }

  @Test
  void ofStringIsReplayable() {
    assertThat(RequestBody.isReplayable(BodyPublishers.ofString("x"))).isTrue();
    assertThat(RequestBody.isReplayable(BodyPublishers.ofString("x", StandardCharsets.UTF_16))).isTrue();
  }

  @Test
  void ofByteArrayIsReplayable() {
    assertThat(RequestBody.isReplayable(BodyPublishers.ofByteArray(new byte[3]))).isTrue();
    assertThat(RequestBody.isReplayable(BodyPublishers.ofByteArray(new byte[3], 1, 1))).isTrue();
  }

  @Test
  void ofByteArraysIsReplayable() {
    assertThat(RequestBody.isReplayable(BodyPublishers.ofByteArrays(List.of(new byte[3])))).isTrue();
  }

  @Test
  void ofFileIsReplayable() throws Exception {
    Path file = Files.write(dir.resolve("f"), new byte[3]);
    assertThat(RequestBody.isReplayable(BodyPublishers.ofFile(file))).isTrue();
  }

  @Test
  void aMarkedPublisherIsReplayable() {
    BodyPublisher marked = ReplayableBody.of(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[3])));
    assertThat(RequestBody.isReplayable(marked)).isTrue();
    assertThat(ReplayableBody.of(marked)).isSameAs(marked);
    assertThat(marked.contentLength()).isEqualTo(-1);
    assertThat(marked).hasToString("ReplayableBody[jdk.internal.net.http.RequestPublishers$InputStreamPublisher]");
    assertThat(bodyOf(marked, 0).publisher()).isNull();
  }

  @Test
  void streamsAdaptedPublishersAndConcatenationsAreOneShot() {
    BodyPublisher stream = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[3]));
    assertThat(RequestBody.isReplayable(stream)).isFalse();
    assertThat(RequestBody.isReplayable(BodyPublishers.fromPublisher(BodyPublishers.ofString("x")))).isFalse();
    assertThat(RequestBody.isReplayable(BodyPublishers.concat(BodyPublishers.ofString("a"), BodyPublishers.ofString("b"))))
        .isFalse();
    assertThat(bodyOf(stream, 0).publisher()).isNotNull();
  }

  @Test
  void aOneShotBodyCanBeResentUntilSubscribed() throws Exception {
    RequestBody body = bodyOf(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8))), 0);
    assertThat(body.canResend()).isTrue();

    assertThat(read(body.publisher())).isEqualTo("abc");

    assertThat(body.canResend()).isFalse();
    assertThat(body.whyNotResendable()).contains("RequestPublishers$InputStreamPublisher")
        .doesNotContain("abc").doesNotContain("replay buffer of");
    // Subscribed again anyway (the JDK client resending on its own): it fails, it publishes nothing.
    assertThatThrownBy(() -> read(body.publisher())).hasRootCauseInstanceOf(IOException.class)
        .hasRootCauseMessage("request body (jdk.internal.net.http.RequestPublishers$InputStreamPublisher,"
            + " a one-shot BodyPublisher) was read once and cannot be sent again");
  }

  @Test
  void aOneShotBodyCopiedWholeIsResentFromTheCopy() throws Exception {
    ByteArrayInputStream once = new ByteArrayInputStream("abcdefgh".getBytes(StandardCharsets.UTF_8));
    RequestBody body = bodyOf(BodyPublishers.ofInputStream(() -> once), 8);

    assertThat(read(body.publisher())).isEqualTo("abcdefgh");

    assertThat(body.canResend()).isTrue();
    assertThat(read(body.publisher())).isEqualTo("abcdefgh");
    assertThat(read(body.publisher())).isEqualTo("abcdefgh");
  }

  @Test
  void aOneShotBodyLargerThanTheBufferIsNotCopied() throws Exception {
    ByteArrayInputStream once = new ByteArrayInputStream("abcdefghi".getBytes(StandardCharsets.UTF_8));
    RequestBody body = bodyOf(BodyPublishers.ofInputStream(() -> once), 8);

    assertThat(read(body.publisher())).isEqualTo("abcdefghi");

    assertThat(body.canResend()).isFalse();
    assertThat(body.whyNotResendable()).contains("the body replay buffer of 8 bytes holds no complete copy");
  }

  /** Subscribes like the JDK does and returns what was published. */
  private static String read(BodyPublisher publisher) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<String> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] b = new byte[item.remaining()];
        item.get(b);
        out.write(b, 0, b.length);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(out.toString(StandardCharsets.UTF_8));
      }
    });
    return done.get(5, TimeUnit.SECONDS);
  }
}
