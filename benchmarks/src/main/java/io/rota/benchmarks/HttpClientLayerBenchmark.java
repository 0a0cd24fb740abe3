package io.rota.benchmarks;

import io.rota.http.HttpClientSnapshot;
import io.rota.http.LoadBalancedHttpClient;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
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

/**
 * Diagnostic for {@link HttpOverheadBenchmark}: the CPU time {@link LoadBalancedHttpClient} adds per
 * request, with no network and no JDK HTTP stack. Both methods send through a stub
 * {@link HttpClient} whose {@code send} returns a constant {@code 200 ok} response at once (it
 * ignores the body handler), so {@code balanced - raw} is the load-balancing layer alone: the
 * service URI built from the path, the pick, the per-attempt request copy, Resilience4j's
 * {@code Retry}, the retry budget deposit and the pool's outcome bookkeeping.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar HttpClientLayerBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class HttpClientLayerBenchmark {

  private StubHttpClient http;
  private URI rawUri;
  private LoadBalancedHttpClient client;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    http = new StubHttpClient();
    URI base = URI.create("http://127.0.0.1:9"); // never contacted: the stub answers
    rawUri = base.resolve("/x");
    client = LoadBalancedHttpClient.builder("bench").endpoint("local", base).httpClient(http).build();
    if (!"ok".equals(raw()) || !"ok".equals(balanced()) || !http.lastUri.equals(rawUri)) {
      throw new IllegalStateException("unexpected response or URI: " + http.lastUri);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    HttpClientSnapshot s = client.snapshot();
    client.close();
    if (s.failedRequests() != 0 || s.retries() != 0) {
      throw new IllegalStateException("the load-balanced client failed or retried: " + s);
    }
  }

  /** {@code send} on the stub client. */
  @Benchmark
  public String raw() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(rawUri).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The same through the load-balanced client over the stub client. */
  @Benchmark
  public String balanced() throws IOException, InterruptedException {
    return client.send(client.newRequest("/x").build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** An {@code HttpClient} whose {@code send} returns {@code 200 ok} at once; nothing else works. */
  static final class StubHttpClient extends HttpClient {
    URI lastUri;

    @Override
    @SuppressWarnings("unchecked")
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      lastUri = request.uri();
      return (HttpResponse<T>) new StubResponse(request);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      throw new UnsupportedOperationException("sendAsync");
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
        HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
      throw new UnsupportedOperationException("sendAsync");
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      throw new UnsupportedOperationException("sslContext");
    }

    @Override
    public SSLParameters sslParameters() {
      throw new UnsupportedOperationException("sslParameters");
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }

  /** {@code 200}, body {@code ok}. */
  static final class StubResponse implements HttpResponse<String> {
    private static final HttpHeaders HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);
    private final HttpRequest request;

    StubResponse(HttpRequest request) {
      this.request = request;
    }

    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public HttpRequest request() {
      return request;
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HEADERS;
    }

    @Override
    public String body() {
      return "ok";
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
