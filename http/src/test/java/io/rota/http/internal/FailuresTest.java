package io.rota.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.http.internal.Failures.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Errors sorted by whether the request may have reached the server. */
class FailuresTest {

  @Test
  void connectFailuresAndTlsHandshakesNeverSentTheRequest() {
    assertThat(Failures.classify(new ConnectException("Connection refused"))).isEqualTo(Kind.NOT_SENT);
    assertThat(Failures.classify(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo(Kind.NOT_SENT);
    assertThat(Failures.classify(new SSLHandshakeException("PKIX path building failed"))).isEqualTo(Kind.NOT_SENT);
    assertThat(Failures.classify(new SSLException("wrapped", new SSLHandshakeException("x")))).isEqualTo(Kind.NOT_SENT);
    assertThat(Failures.classify(new CompletionException(new ConnectException()))).isEqualTo(Kind.NOT_SENT);
  }

  @Test
  void timeoutsAndBrokenConnectionsMayHaveReachedTheServer() {
    assertThat(Failures.classify(new HttpTimeoutException("request timed out"))).isEqualTo(Kind.TIMEOUT);
    assertThat(Failures.classify(new IOException("Connection reset"))).isEqualTo(Kind.IO);
    assertThat(Failures.classify(new EOFException("EOF reached while reading"))).isEqualTo(Kind.IO);
    assertThat(Failures.classify(new SSLException("Broken pipe"))).isEqualTo(Kind.IO);
  }

  @Test
  void aConnectExceptionDeepInATimeoutDoesNotMakeItUnsent() {
    HttpTimeoutException timeout = new HttpTimeoutException("request timed out");
    timeout.initCause(new IOException("closed", new ConnectException("old")));

    assertThat(Failures.classify(timeout)).isEqualTo(Kind.TIMEOUT);
    assertThat(Failures.classify(new IOException("reset", new ConnectException("old")))).isEqualTo(Kind.IO);
  }

  @Test
  void cancellationsAndOtherErrors() {
    assertThat(Failures.classify(new InterruptedException())).isEqualTo(Kind.CANCELLED);
    assertThat(Failures.classify(new CancellationException())).isEqualTo(Kind.CANCELLED);
    assertThat(Failures.classify(new IllegalStateException())).isEqualTo(Kind.OTHER);
    // HttpClient.send's wrapping of a body handler's exception.
    assertThat(Failures.classify(new IOException("handler bug", new IllegalStateException("handler bug"))))
        .isEqualTo(Kind.OTHER);
    assertThat(Failures.classify(new IOException("x", new java.io.UncheckedIOException(new IOException("reset")))))
        .isEqualTo(Kind.IO);
    assertThat(Failures.classify(new IOException("x", new java.nio.channels.UnresolvedAddressException())))
        .isEqualTo(Kind.NOT_SENT);
  }

  @Test
  void describeShowsTypeAndMessage() {
    assertThat(Failures.describe(new ConnectException())).isEqualTo("java.net.ConnectException");
    assertThat(Failures.describe(new IOException("Connection reset"))).isEqualTo("java.io.IOException: Connection reset");
    assertThat(Failures.describe(null)).isEmpty();
  }
}
