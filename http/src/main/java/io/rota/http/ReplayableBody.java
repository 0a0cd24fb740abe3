package io.rota.http;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body that the caller vouches can be sent again: every subscription publishes the whole
 * body anew, the same bytes each time. {@link LoadBalancedHttpClient} retries a request on another
 * endpoint only if it can send the body again; it knows this of the JDK's {@code noBody},
 * {@code ofString}, {@code ofByteArray}, {@code ofByteArrays} and {@code ofFile} publishers, and of a
 * publisher wrapped here. Any other publisher ({@code ofInputStream}, {@code fromPublisher}, your
 * own) is read once: a retry that would resend it is not made (see {@link RetryPolicy}).
 *
 * <pre>{@code
 * // A new stream for every attempt: safe to resend.
 * HttpRequest put = client.newRequest("/reports/7")
 *     .PUT(ReplayableBody.of(BodyPublishers.ofInputStream(() -> open(report))))
 *     .build();
 * }</pre>
 *
 * <p>Immutable; thread-safe if the wrapped publisher is.
 */
public final class ReplayableBody implements BodyPublisher {

  private final BodyPublisher publisher;

  private ReplayableBody(BodyPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * Returns the publisher marked replayable: each {@code subscribe} must publish the whole body
   * again, the same bytes, with the same {@link #contentLength()}. A publisher already marked is
   * returned as it is.
   */
  public static BodyPublisher of(BodyPublisher publisher) {
    requireNonNull(publisher, "publisher");
    return publisher instanceof ReplayableBody ? publisher : new ReplayableBody(publisher);
  }

  /** Returns the wrapped publisher's content length: in bytes, or negative if unknown. */
  @Override
  public long contentLength() {
    return publisher.contentLength();
  }

  /** Subscribes to the wrapped publisher. */
  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    publisher.subscribe(subscriber);
  }

  /** Returns {@code ReplayableBody[<type of the wrapped publisher>]}; never the body. */
  @Override
  public String toString() {
    return "ReplayableBody[" + publisher.getClass().getName() + ']';
  }
}
