package io.rota.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 backend of the test's own, for what WireMock cannot do (it reads a whole
 * request before it answers): each connection's request head is read and counted, then the server
 * either reads part of the body and resets the connection (RST, no response), or holds the request
 * without answering until the client closes the connection.
 */
final class RawServer implements AutoCloseable {

  private final ServerSocket socket;
  /** Body bytes read before a reset; negative: hold the request instead. */
  private final int bodyBytesBeforeReset;
  private final AtomicInteger requests = new AtomicInteger();
  /** Counted down at each request head received. */
  final CountDownLatch received;
  /** Counted down when the client closes a held connection. */
  final CountDownLatch closedByClient = new CountDownLatch(1);

  private RawServer(int bodyBytesBeforeReset, int expectedRequests) throws IOException {
    this.bodyBytesBeforeReset = bodyBytesBeforeReset;
    this.received = new CountDownLatch(expectedRequests);
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "raw-server-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a server that reads each request's head and up to {@code bodyBytes} of its body (all of
   * it if shorter), then resets the connection without answering.
   */
  static RawServer resetting(int bodyBytes) throws IOException {
    return new RawServer(bodyBytes, 1);
  }

  /** Starts a server that reads each request's head, then holds it unanswered until the client closes. */
  static RawServer holding() throws IOException {
    return new RawServer(-1, 1);
  }

  /** Returns {@code http://127.0.0.1:port}. */
  URI base() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  /** Returns how many request heads the server received. */
  int requests() {
    return requests.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> handle(s), "raw-server-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void handle(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      String head = readHead(in);
      if (head == null) {
        return;
      }
      requests.incrementAndGet();
      received.countDown();
      if (bodyBytesBeforeReset < 0) {
        while (in.read() >= 0) {
          // hold until the client closes
        }
        closedByClient.countDown();
        return;
      }
      String lower = head.toLowerCase(Locale.ROOT);
      if (lower.contains("\r\ntransfer-encoding: chunked")) {
        readChunked(in, bodyBytesBeforeReset);
      } else {
        in.readNBytes((int) Math.min(contentLength(lower), bodyBytesBeforeReset));
      }
      s.setSoLinger(true, 0); // close() now sends RST
    } catch (IOException e) {
      // The client went away first.
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : b == '\r' ? 1 : 0;
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static long contentLength(String lowerHead) {
    int i = lowerHead.indexOf("\r\ncontent-length:");
    if (i < 0) {
      return 0;
    }
    int end = lowerHead.indexOf("\r\n", i + 2);
    return Long.parseLong(lowerHead.substring(i + "\r\ncontent-length:".length(), end).trim());
  }

  /** Reads chunks until {@code limit} data bytes or the last chunk. */
  private static void readChunked(InputStream in, int limit) throws IOException {
    int read = 0;
    while (read < limit) {
      String line = readLine(in);
      int semicolon = line.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return;
      }
      int n = Math.min(size, limit - read);
      in.readNBytes(n);
      read += n;
      if (n == size) {
        readLine(in);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    if (b < 0) {
      throw new IOException("end of stream in a chunked body");
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
