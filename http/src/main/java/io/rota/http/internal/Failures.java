package io.rota.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/** Sorts the errors of an HTTP attempt by whether the request may have reached the server. */
public final class Failures {

  private Failures() {}

  /** What an attempt's error says about the request. */
  public enum Kind {
    /**
     * The request certainly never reached a server: connection refused, connect timeout, unknown
     * host, TLS handshake failed (the request is written only after the handshake). Safe to resend
     * whatever the method.
     */
    NOT_SENT,
    /** No response within the attempt's timeout; the server may have received the request. */
    TIMEOUT,
    /** The connection broke (reset, closed, malformed response); the server may have received it. */
    IO,
    /** The caller gave up: interrupted or cancelled. Says nothing about the endpoint. */
    CANCELLED,
    /**
     * Anything else (a bug, a body handler's error, also as the plain {@code IOException} that
     * {@code HttpClient.send} wraps it in): not retried, and neutral for the endpoint.
     */
    OTHER
  }

  /**
   * Returns the kind of an attempt's error. The JDK client keeps the type of the error it reports
   * ({@code HttpClient.send} rethrows a {@code ConnectException} as a {@code ConnectException}), so
   * the type decides; causes are not searched, except one level for a TLS handshake failure: a
   * {@code ConnectException} deep in the causes of a timeout that happened after connecting must not
   * make a POST look unsent.
   */
  public static Kind classify(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof InterruptedException || t instanceof CancellationException) {
      return Kind.CANCELLED;
    }
    if (t instanceof HttpConnectTimeoutException) {
      return Kind.NOT_SENT;
    }
    if (t instanceof HttpTimeoutException) {
      return Kind.TIMEOUT;
    }
    if (t instanceof ConnectException
        || t instanceof UnresolvedAddressException
        || t instanceof SSLHandshakeException
        || (t instanceof IOException && t.getCause() instanceof SSLHandshakeException)
        || (t instanceof IOException && t.getCause() instanceof UnresolvedAddressException)) {
      return Kind.NOT_SENT;
    }
    if (t.getClass() == IOException.class && t.getCause() != null && !(t.getCause() instanceof IOException)
        && !(t.getCause() instanceof UncheckedIOException)) {
      // HttpClient.send wraps what is not an I/O error (a body handler's exception) in a plain
      // IOException; sendAsync reports it as it is. Neither says anything about the connection.
      return Kind.OTHER;
    }
    return t instanceof IOException ? Kind.IO : Kind.OTHER;
  }

  /** Returns the cause of a {@link CompletionException} or {@link ExecutionException}, else the error. */
  public static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Describes an error by type and message, for exception messages and events. The messages of the
   * JDK HTTP client's errors carry no header values; the request's query string is never part of
   * them.
   */
  public static String describe(@Nullable Throwable error) {
    if (error == null) {
      return "";
    }
    String message = error.getMessage();
    return message == null || message.isBlank()
        ? error.getClass().getName()
        : error.getClass().getName() + ": " + message;
  }
}
