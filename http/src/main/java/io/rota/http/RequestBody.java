package io.rota.http;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * The body of one call's request, and whether a retry may send it again.
 *
 * <h2>The rule</h2>
 * A body is <em>replayable</em> if every subscription publishes it whole again: no body, the JDK's
 * {@code noBody}, {@code ofString}, {@code ofByteArray}, {@code ofByteArrays} and {@code ofFile}
 * publishers (recognised by their JDK classes, {@link #JDK_REPLAYABLE}; {@code jdk.internal} types
 * cannot be named otherwise, and a class the JDK renames is merely treated as one-shot), and a
 * {@link ReplayableBody}. Any other publisher is <em>one-shot</em> ({@code ofInputStream},
 * {@code fromPublisher}, {@code concat} of several, the caller's own): the attempt gets it through a
 * {@link OneShot} wrapper that sees whether the JDK subscribed to it. A one-shot body may still be
 * sent by a retry if no attempt subscribed to it (the connection was refused or timed out, the TLS
 * handshake failed: the JDK subscribes only once connected), or if the policy's
 * {@link RetryPolicy#bodyReplayBuffer()} held a complete copy of it.
 *
 * <p>Confined to its call, whose attempts run one after another; the wrapper's flags are volatile
 * because the JDK subscribes on its own threads.
 */
final class RequestBody {

  /** The JDK publishers that publish the whole body on every subscription. */
  static final Set<String> JDK_REPLAYABLE = Set.of(
      "jdk.internal.net.http.RequestPublishers$EmptyPublisher",
      "jdk.internal.net.http.RequestPublishers$StringPublisher",
      "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher",
      "jdk.internal.net.http.RequestPublishers$IterablePublisher",
      "jdk.internal.net.http.RequestPublishers$FilePublisher");

  private static final RequestBody REPLAYABLE = new RequestBody(null);

  private final @Nullable OneShot oneShot;

  private RequestBody(@Nullable OneShot oneShot) {
    this.oneShot = oneShot;
  }

  /** Returns the body of the request; a one-shot one is copied up to {@code bufferBytes} as it is sent. */
  static RequestBody of(HttpRequest request, int bufferBytes) {
    BodyPublisher publisher = request.bodyPublisher().orElse(null);
    return publisher == null || isReplayable(publisher) ? REPLAYABLE
        : new RequestBody(new OneShot(publisher, bufferBytes));
  }

  /** Returns whether every subscription to the publisher publishes the whole body. */
  static boolean isReplayable(BodyPublisher publisher) {
    return publisher instanceof ReplayableBody || JDK_REPLAYABLE.contains(publisher.getClass().getName());
  }

  /** Returns the publisher each attempt must send instead of the request's own, or {@code null} for that one. */
  @Nullable BodyPublisher publisher() {
    return oneShot;
  }

  /** Returns whether another attempt can send the whole body. */
  boolean canResend() {
    return oneShot == null || !oneShot.subscribed || oneShot.copy != null;
  }

  /** Returns why the body cannot be sent again, and how to make it resendable; no byte of the body. */
  String whyNotResendable() {
    int buffer = oneShot == null ? 0 : oneShot.bufferBytes;
    return "the request body (" + (oneShot == null ? "none" : oneShot.delegate.getClass().getName())
        + ", a one-shot BodyPublisher) was read by the attempt and cannot be sent again"
        + (buffer > 0 ? "; the body replay buffer of " + buffer + " bytes holds no complete copy (a larger body,"
            + " or one not sent whole)" : "")
        + "; to let retries resend a body, send it with BodyPublishers.ofByteArray, ofString or ofFile,"
        + " wrap a publisher that publishes it whole on each subscription with ReplayableBody.of(...),"
        + " or copy small bodies with RetryPolicy.Builder.bodyReplayBuffer(bytes)";
  }

  /**
   * A one-shot publisher as the attempts see it: records whether it was subscribed to and, with a
   * buffer, copies the bytes the first subscription publishes; once the copy is complete, later
   * subscriptions publish the copy, and without one they fail at once with an {@code IOException}.
   */
  static final class OneShot implements BodyPublisher {
    final BodyPublisher delegate;
    final int bufferBytes;
    volatile boolean subscribed;
    /** The whole body, once the first subscription completed within the buffer. */
    volatile byte @Nullable [] copy;

    OneShot(BodyPublisher delegate, int bufferBytes) {
      this.delegate = delegate;
      this.bufferBytes = bufferBytes;
    }

    @Override
    public long contentLength() {
      return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      byte[] whole = copy;
      if (whole != null) {
        BodyPublishers.ofByteArray(whole).subscribe(subscriber);
        return;
      }
      if (subscribed) {
        // Read once already, without a complete copy: never let it publish what is left of it (an
        // empty or partial body), also not to the JDK client resending on its own.
        subscriber.onSubscribe(new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
        subscriber.onError(new IOException("request body (" + delegate.getClass().getName()
            + ", a one-shot BodyPublisher) was read once and cannot be sent again"));
        return;
      }
      subscribed = true;
      delegate.subscribe(bufferBytes > 0 ? new Copying(subscriber) : subscriber);
    }

    @Override
    public String toString() {
      return "OneShot[" + delegate.getClass().getName() + ']';
    }

    /**
     * Passes every signal on and copies the published bytes, until they exceed the buffer. Reactive
     * Streams signals arrive one at a time, so the buffer needs no lock; the complete copy is
     * published through the volatile {@link #copy}.
     */
    private final class Copying implements Flow.Subscriber<ByteBuffer> {
      private final Flow.Subscriber<? super ByteBuffer> downstream;
      private byte @Nullable [] buffer = new byte[Math.min(bufferBytes, 8192)];
      private int size;

      Copying(Flow.Subscriber<? super ByteBuffer> downstream) {
        this.downstream = downstream;
      }

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        downstream.onSubscribe(subscription);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] b = buffer;
        int n = item.remaining();
        if (b != null) {
          if (n > bufferBytes - size) {
            buffer = null;
          } else {
            if (size + n > b.length) {
              b = Arrays.copyOf(b, (int) Math.min(bufferBytes, Math.max(2L * b.length, size + n)));
              buffer = b;
            }
            item.duplicate().get(b, size, n);
            size += n;
          }
        }
        downstream.onNext(item);
      }

      @Override
      public void onError(Throwable error) {
        buffer = null;
        downstream.onError(error);
      }

      @Override
      public void onComplete() {
        byte[] b = buffer;
        if (b != null) {
          copy = Arrays.copyOf(b, size);
        }
        downstream.onComplete();
      }
    }
  }
}
