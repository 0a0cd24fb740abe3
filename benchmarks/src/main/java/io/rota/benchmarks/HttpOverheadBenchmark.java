package io.rota.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rota.http.HttpClientSnapshot;
import io.rota.http.LoadBalancedHttpClient;
import io.rota.http.LoadBalancedHttpClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What {@link LoadBalancedHttpClient} adds to a GET over a raw {@link HttpClient} request to the same
 * loopback server: a JDK {@link HttpServer} on 127.0.0.1 answering {@code 200 ok} (two bytes) from
 * a pool of 4 threads.
 *
 * <ul>
 *   <li>{@code raw}: {@code http.send(HttpRequest.newBuilder(uri).build(), ofString())}, the URI
 *       built once.
 *   <li>{@code balanced}: {@code client.send(client.newRequest("/x").build(), ofString())} through a
 *       {@link LoadBalancedHttpClient} with one endpoint, the same server. Its per-request work is
 *       all counted: the service URI built from the path, the pick, the per-attempt copy of the
 *       request with the endpoint's URI and the attempt timeout, Resilience4j's {@code Retry}, the
 *       retry budget deposit, the pool's outcome bookkeeping.
 *   <li>{@code rawWithTimeout} (diagnostic): {@code raw} with the 10 s request timeout that the
 *       load-balanced client sets on every attempt (its default {@code perAttemptTimeout}).
 * </ul>
 *
 * <p>Both send through the same {@code HttpClient} (HTTP/1.1, redirects off, 2 s connect timeout,
 * which is what the load-balanced client builds for itself), so they share one keep-alive connection
 * pool and differ only by the load-balancing layer. The server sets {@code TCP_NODELAY}
 * ({@code sun.net.httpserver.nodelay}), else Nagle's algorithm and delayed ACKs can add tens of
 * milliseconds to a response.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar HttpOverheadBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class HttpOverheadBenchmark {

  private static final Duration ATTEMPT_TIMEOUT =
      Duration.ofSeconds(LoadBalancedHttpClientBuilder.DEFAULT_PER_ATTEMPT_TIMEOUT_SECONDS);
  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

  private HttpServer server;
  private ExecutorService serverExecutor;
  private final AtomicInteger served = new AtomicInteger();
  /** Client ports seen by the server: how many TCP connections the requests used. */
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private HttpClient http;
  private URI rawUri;
  private LoadBalancedHttpClient client;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    System.setProperty("sun.net.httpserver.nodelay", "true"); // read when HttpServer's config loads
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverExecutor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-http-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(serverExecutor);
    server.createContext("/", this::handle);
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    rawUri = base.resolve("/x");
    http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
    client = LoadBalancedHttpClient.builder("bench")
        .endpoint("local", base)
        .httpClient(http)
        .build();
    check(raw());
    check(balanced());
    check(rawWithTimeout());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
      in.transferTo(OutputStream.nullOutputStream());
      served.incrementAndGet();
      clientPorts.add(exchange.getRemoteAddress().getPort());
      exchange.sendResponseHeaders(200, OK.length);
      out.write(OK);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    HttpClientSnapshot s = client.snapshot();
    client.close();
    server.stop(0);
    serverExecutor.shutdownNow();
    System.out.println("\nserver answered " + served.get() + " requests on " + clientPorts.size()
        + " connections; load-balanced client: " + s.requests()
        + " requests, " + s.failedRequests() + " failed, " + s.retries() + " retries");
    if (s.failedRequests() != 0 || s.retries() != 0) {
      throw new IllegalStateException("the load-balanced client failed or retried: " + s);
    }
  }

  /** A plain {@code HttpClient} GET. */
  @Benchmark
  public String raw() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(rawUri).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * Diagnostic: the raw GET with the request timeout the load-balanced client puts on every attempt
   * (its default {@code perAttemptTimeout}, 10 s). The JDK client registers a timer per request
   * with a timeout.
   */
  @Benchmark
  public String rawWithTimeout() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(rawUri).timeout(ATTEMPT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The same GET through the load-balanced client. */
  @Benchmark
  public String balanced() throws IOException, InterruptedException {
    return client.send(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void check(String body) {
    if (!"ok".equals(body)) {
      throw new IllegalStateException("body: " + body);
    }
  }
}
