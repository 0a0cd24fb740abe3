package io.rota.examples.demo.view;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A headless Chromium started for one test and driven over the Chrome DevTools Protocol with the
 * JDK's {@link WebSocket}: commands wait for their answer, events are kept in arrival order. Sends are
 * serialized; events may be read from any thread.
 */
final class DevTools implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path userDataDir;
  private final Path log;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

  private DevTools(Process process, Path userDataDir, Path log, WebSocket.Builder builder, URI uri)
      throws InterruptedException, ExecutionException, TimeoutException {
    this.process = process;
    this.userDataDir = userDataDir;
    this.log = log;
    this.socket = builder.buildAsync(uri, new Listener()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Returns the Chromium to use: {@code -Dchromium.path}, else the {@code CHROMIUM} environment
   * variable, else {@code /usr/bin/chromium}, else {@code chromium-browser} or {@code chromium} on the
   * {@code PATH}; empty if none of them is an executable file.
   */
  static Optional<Path> findChromium() {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("chromium.path");
    String env = System.getenv("CHROMIUM");
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    } else if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    } else {
      candidates.add(Path.of("/usr/bin/chromium"));
      String path = System.getenv().getOrDefault("PATH", "");
      for (String name : List.of("chromium-browser", "chromium")) {
        for (String dir : path.split(File.pathSeparator)) {
          if (!dir.isEmpty()) {
            candidates.add(Path.of(dir, name));
          }
        }
      }
    }
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }

  /** Starts {@code chromium} headless on a fresh profile and connects to its browser endpoint. */
  static DevTools launch(Path chromium) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("rota-chromium-");
    Path log = Files.createTempFile("rota-chromium-", ".log");
    Process process = new ProcessBuilder(
        chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--remote-debugging-port=0", "--user-data-dir=" + dir, "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Path portFile = dir.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      List<String> lines = List.of();
      while (lines.size() < 2) {
        if (!process.isAlive()) {
          throw new IllegalStateException(chromium + " exited with " + process.exitValue() + " before it listened: " + tail(log));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(chromium + " wrote no " + portFile + " within " + TIMEOUT + ": " + tail(log));
        }
        if (Files.exists(portFile)) {
          lines = Files.readAllLines(portFile).stream().filter(l -> !l.isBlank()).toList();
        }
        if (lines.size() < 2) {
          Thread.sleep(50); // polling for a file Chromium writes once; the deadline above bounds it
        }
      }
      URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
      WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT);
      return new DevTools(process, dir, log, builder, uri);
    } catch (IOException | InterruptedException | RuntimeException e) {
      destroy(process, dir);
      throw e;
    } catch (ExecutionException | TimeoutException e) {
      destroy(process, dir);
      throw new IOException("cannot connect to " + chromium + "'s DevTools endpoint: " + e, e);
    }
  }

  /** Opens a new page and returns its session id for {@link #send(String, String, Map)}. */
  String newPage() {
    String targetId = (String) send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId");
    return (String) send(null, "Target.attachToTarget", Map.of("targetId", targetId, "flatten", true)).get("sessionId");
  }

  /**
   * Sends one command (to the browser when {@code session} is {@code null}) and returns its result.
   *
   * @throws IllegalStateException if Chromium answers with an error or not within {@link #TIMEOUT}
   */
  Map<String, Object> send(String session, String method, Map<String, Object> params) {
    int id = ids.incrementAndGet();
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("id", id);
    message.put("method", method);
    message.put("params", params);
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      synchronized (socket) {
        socket.sendText(Json.write(message), true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      Map<String, Object> reply = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (reply.containsKey("error")) {
        throw new IllegalStateException(method + " failed: " + Json.write(reply.get("error")));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) reply.getOrDefault("result", Map.of());
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " got no answer within " + TIMEOUT + ": " + e + "; log: " + tail(log), e);
    } finally {
      pending.remove(id);
    }
  }

  /** Returns every event received so far, oldest first. */
  List<Map<String, Object>> events() {
    return List.copyOf(events);
  }

  /**
   * Waits until an event of {@code method} for {@code session}, at or after index {@code from} of
   * {@link #events()}, matches {@code condition}, and returns it.
   *
   * @throws IllegalStateException if none came within {@link #TIMEOUT}
   */
  Map<String, Object> await(String session, String method, int from, Predicate<Map<String, Object>> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Map<String, Object>> now = events();
      for (int i = from; i < now.size(); i++) {
        Map<String, Object> e = now.get(i);
        if (method.equals(e.get("method")) && session.equals(e.get("sessionId")) && condition.test(e)) {
          return e;
        }
      }
      synchronized (events) {
        events.wait(100); // woken by each new event; the deadline bounds the wait
      }
    }
    throw new IllegalStateException("no " + method + " within " + TIMEOUT);
  }

  @Override
  public void close() {
    try {
      synchronized (socket) {
        socket.sendText(Json.write(Map.of("id", ids.incrementAndGet(), "method", "Browser.close")), true)
            .get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // the browser is destroyed below anyway
    }
    socket.abort();
    destroy(process, userDataDir);
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file; the OS cleans it up
    }
  }

  private static void destroy(Process process, Path dir) {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory; the OS cleans it up
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Gathers fragmented text frames and routes answers to their command and events to the list. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) Json.parse(partial.toString());
        partial.setLength(0);
        Object id = message.get("id");
        if (id instanceof Double d) {
          CompletableFuture<Map<String, Object>> answer = pending.get(d.intValue());
          if (answer != null) {
            answer.complete(message);
          }
        } else {
          events.add(message);
          synchronized (events) {
            events.notifyAll();
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }
}
