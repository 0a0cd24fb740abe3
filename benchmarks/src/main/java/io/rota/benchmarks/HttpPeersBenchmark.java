package io.rota.benchmarks;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.retry.RetryRule;
import com.linecorp.armeria.client.retry.RetryingClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.SessionProtocol;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalancerRequestFactory;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.blocking.client.BlockingLoadBalancerClient;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * One load-balanced GET to loopback servers, through Rota and through the clients a user would
 * pick instead, in the same run (issue 14, HTTP).
 *
 * <h2>Servers</h2>
 * Three JDK {@link HttpServer}s on 127.0.0.1 (ephemeral ports), each answering every request
 * {@code 200} with the body {@code ok}, the handler run on the server's dispatcher thread (no
 * executor: the handler is a few microseconds, so a hand-off to a pool would only add context
 * switches on a 2-core machine), {@code TCP_NODELAY} on ({@code sun.net.httpserver.nodelay}). Each
 * server counts what it answers and the client ports it sees (the TCP connections used, printed);
 * the tear-down fails the trial unless every server answered at
 * least a quarter of the requests (round robin over three gives a third each). The servers cost the
 * same CPU for every client, so the ratios between clients compare the client stacks.
 *
 * <h2>Clients</h2>
 * Only the client the trial measures is built (the set-up reads the benchmark's name). Each method
 * checks that the status is {@code 200} and the body {@code ok}, and throws otherwise.
 * <ul>
 *   <li>{@code raw}: a JDK {@link HttpClient} (HTTP/1.1, redirects off, 2 s connect timeout: what
 *       {@link LoadBalancedHttpClient} builds for itself), the endpoint URI picked round robin by an
 *       {@link AtomicInteger} counter ({@code getAndIncrement() & MAX_VALUE} modulo 3),
 *       {@code http.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString())}. The floor:
 *       balancing with no health, retries or timeouts.
 *   <li>{@code rawWithTimeout} (diagnostic): {@code raw} with the request timeout that Rota sets on
 *       every attempt ({@code HttpRequest.Builder.timeout}, 10 s), to tell the JDK client's cost of a
 *       timeout from Rota's own.
 *   <li>{@code rota}: {@link LoadBalancedHttpClient#builder(String)} with the three endpoints
 *       ({@code endpoint(id, uri)}, weight 1) over the same kind of {@code HttpClient}
 *       ({@code httpClient(http)}), defaults otherwise (smooth weighted round robin, circuit breakers,
 *       retry policy and budget, 10 s per-attempt timeout);
 *       {@code client.send(HttpRequest.newBuilder(client.uri("/x")).build(), ofString())}, the
 *       service URI built once as {@code raw}'s URIs are. The tear-down fails the trial if Rota saw a
 *       failed or retried request.
 *   <li>{@code armeria}: Armeria's {@code WebClient.builder(SessionProtocol.H1C, EndpointGroup.of(...))}
 *       with {@code decorator(RetryingClient.newDecorator(RetryRule.failsafe()))}, on a
 *       {@code ClientFactory.builder().build()} (Armeria's own Netty event loops, the shared
 *       {@code CommonPools.workerGroup()}), called through {@code WebClient.blocking().get("/x")}.
 *       {@code H1C} (HTTP/1.1 cleartext) because the JDK server speaks only HTTP/1.1: with
 *       {@code HTTP} Armeria would first try an HTTP/2 upgrade. {@code EndpointGroup.of} selects by
 *       weighted round robin (equal weights here: plain round robin); the response timeout is
 *       Armeria's default (10 s), as Rota's attempt timeout.
 *   <li>{@code springRestClient}: Spring's {@code RestClient.builder().requestFactory(new
 *       JdkClientHttpRequestFactory(http)).requestInterceptor(new LoadBalancerInterceptor(lb, new
 *       LoadBalancerRequestFactory(lb)))}, where {@code lb} is Spring Cloud LoadBalancer's
 *       {@code BlockingLoadBalancerClient} over a {@code ReactiveLoadBalancer.Factory} that returns one
 *       {@code RoundRobinLoadBalancer} over {@code ServiceInstanceListSuppliers.toProvider(...)} (a
 *       fixed list of three {@code DefaultServiceInstance}s);
 *       {@code rest.get().uri(URI.create("http://bench/x")).retrieve().toEntity(String.class)}.
 *       <b>Differs from a Boot application:</b> Spring Boot's auto-configuration wires the same
 *       objects, but its factory is a {@code LoadBalancerClientFactory} that looks the balancer up in a
 *       per-service child application context on every request, and may add lifecycle
 *       processors (statistics); this factory returns the balancer directly and has no lifecycle
 *       processors, so Spring's measured cost is a lower bound of a Boot application's. No retries:
 *       Spring Cloud's retrying interceptor ({@code RetryLoadBalancerInterceptor}) needs Spring
 *       Retry, which a default set-up does not have. {@code JdkClientHttpRequest} sends with
 *       {@code HttpClient.sendAsync} and waits on the future; the JDK client completes a
 *       {@code sendAsync} future through {@code CompletableFuture}'s default executor, which on a
 *       machine whose common pool has parallelism 1 (2 cores) starts a new thread per task
 *       ({@code -prof stack}: {@code CompletableFuture$ThreadPerTaskExecutor.execute} →
 *       {@code Thread.start}). That cost is Spring's on such a machine, not the set-up's.
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Run with {@code -t 1}, {@code -t 8} and {@code -t 64}: that many JMH threads each send one
 * request at a time, so there are that many requests in flight. On a 2-core machine {@code -t 64}
 * does not run 64 requests in parallel: it measures how each client stack behaves with 64 requests
 * queued on two CPUs shared with the servers (connections, selector threads, locks, scheduling),
 * and its latency is mostly waiting for a CPU.
 *
 * <h2>Throughput and latency in one trial</h2>
 * JMH's {@code Throughput} mode gives requests per second over all threads. Each thread also times
 * every request of the measurement iterations ({@code System.nanoTime()} before and after, about
 * 50 ns against hundreds of microseconds per request, the same for every client) into its own
 * HdrHistogram (3 significant digits); the tear-down merges them and prints one line
 * {@code latency <method> threads=<n> count=... p50=... p90=... p99=... p99.9=... max=...} in
 * microseconds. The load is closed-loop (a thread sends its next request when the last one
 * returns), so these are the latencies at the throughput measured, not at a fixed offered rate.
 * Latency from the same trial as the throughput halves the runs that {@code SampleTime} as a second
 * mode would need: the JDK HTTP stack needs about 15 s of warm-up on 2 cores (measured: raw
 * {@code -t 1} rose from 440 to 2,800 requests/s over ten 1 s warm-up iterations and was still
 * rising), hence 20 warm-up iterations.
 *
 * <p>Run, from the repository root (each command runs all four clients):
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * for t in 1 8 64; do
 *   java -jar benchmarks/target/benchmarks.jar HttpPeersBenchmark -f 1 -wi 20 -w 1s -i 5 -r 1s -t $t
 * done
 * }</pre>
 *
 * <p>Thread-safety: the state is shared by all benchmark threads ({@link Scope#Benchmark}); every
 * client used is thread-safe.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@Warmup(iterations = 20, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class HttpPeersBenchmark {

  private static final int SERVERS = 3;
  private static final String SERVICE = "bench";
  private static final String PATH = "/x";
  private static final String BODY = "ok";
  private static final byte[] OK = BODY.getBytes(StandardCharsets.US_ASCII);
  private static final Duration ATTEMPT_TIMEOUT =
      Duration.ofSeconds(LoadBalancedHttpClientBuilder.DEFAULT_PER_ATTEMPT_TIMEOUT_SECONDS);

  private final List<HttpServer> servers = new ArrayList<>();
  private final LongAdder[] served = new LongAdder[SERVERS];
  private final List<URI> bases = new ArrayList<>();
  /** Client ports the servers saw: how many TCP connections the requests used. */
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

  private String method;
  private @Nullable HttpClient http;
  private URI[] rawUris;
  private final AtomicInteger rawCounter = new AtomicInteger();
  private @Nullable LoadBalancedHttpClient rota;
  private URI rotaUri;
  private @Nullable ClientFactory armeriaFactory;
  private @Nullable BlockingWebClient armeria;
  private @Nullable RestClient spring;
  private URI springUri;
  private int threads;
  /** Every thread's histogram, merged in the tear-down. */
  private final ConcurrentLinkedQueue<Histogram> latencies = new ConcurrentLinkedQueue<>();

  /**
   * One thread's request latencies, in nanoseconds, recorded in measurement iterations only.
   * Written by its thread only; read in the trial tear-down, after the threads stopped.
   */
  @State(Scope.Thread)
  public static class Latency {
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private boolean recording;
    private long start;

    /** Registers this thread's histogram with the benchmark. */
    @Setup(Level.Trial)
    public void register(HttpPeersBenchmark benchmark) {
      benchmark.latencies.add(histogram);
    }

    /** Records in measurement iterations, not in warm-up ones. */
    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
      recording = params.getType() == IterationType.MEASUREMENT;
    }

    void start() {
      start = System.nanoTime();
    }

    void stop() {
      long nanos = System.nanoTime() - start;
      if (recording) {
        histogram.recordValue(Math.min(nanos, histogram.getHighestTrackableValue()));
      }
    }
  }

  /** Starts the servers and builds the client of the measured method; checks one request. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException, InterruptedException {
    System.setProperty("sun.net.httpserver.nodelay", "true"); // read when HttpServer's config loads
    for (int i = 0; i < SERVERS; i++) {
      LongAdder count = new LongAdder();
      served[i] = count;
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> handle(exchange, count, clientPorts));
      server.start();
      servers.add(server);
      bases.add(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }
    String benchmark = params.getBenchmark();
    method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    threads = params.getThreads();
    Latency setUpLatency = new Latency();
    switch (method) {
      case "raw", "rawWithTimeout" -> {
        http = jdkClient();
        rawUris = bases.stream().map(b -> b.resolve(PATH)).toArray(URI[]::new);
      }
      case "rota" -> {
        http = jdkClient();
        var builder = LoadBalancedHttpClient.builder(SERVICE).httpClient(http);
        for (int i = 0; i < SERVERS; i++) {
          builder.endpoint("s" + i, bases.get(i));
        }
        rota = builder.build();
        rotaUri = rota.uri(PATH);
      }
      case "armeria" -> {
        armeriaFactory = ClientFactory.builder().build();
        EndpointGroup group = EndpointGroup.of(bases.stream()
            .map(b -> com.linecorp.armeria.client.Endpoint.of(b.getHost(), b.getPort()))
            .toList());
        armeria = WebClient.builder(SessionProtocol.H1C, group)
            .factory(armeriaFactory)
            .decorator(RetryingClient.newDecorator(RetryRule.failsafe()))
            .build()
            .blocking();
      }
      case "springRestClient" -> {
        http = jdkClient();
        ServiceInstance[] instances = new ServiceInstance[SERVERS];
        for (int i = 0; i < SERVERS; i++) {
          URI b = bases.get(i);
          instances[i] = new DefaultServiceInstance("s" + i, SERVICE, b.getHost(), b.getPort(), false);
        }
        RoundRobinLoadBalancer balancer =
            new RoundRobinLoadBalancer(ServiceInstanceListSuppliers.toProvider(SERVICE, instances), SERVICE);
        BlockingLoadBalancerClient lb = new BlockingLoadBalancerClient(new FixedFactory(balancer));
        spring = RestClient.builder()
            .requestFactory(new JdkClientHttpRequestFactory(http))
            .requestInterceptor(new LoadBalancerInterceptor(lb, new LoadBalancerRequestFactory(lb)))
            .build();
        springUri = URI.create("http://" + SERVICE + PATH);
      }
      default -> throw new IllegalStateException("benchmark method: '" + method
          + "' (expected: raw, rawWithTimeout, rota, armeria or springRestClient)");
    }
    // One request per server through the client, then count from zero.
    for (int i = 0; i < SERVERS; i++) {
      switch (method) {
        case "raw" -> raw(setUpLatency);
        case "rawWithTimeout" -> rawWithTimeout(setUpLatency);
        case "rota" -> rota(setUpLatency);
        case "armeria" -> armeria(setUpLatency);
        default -> springRestClient(setUpLatency);
      }
    }
    for (LongAdder count : served) {
      count.reset();
    }
    clientPorts.clear();
  }

  private static HttpClient jdkClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static void handle(HttpExchange exchange, LongAdder count, Set<Integer> ports) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
      in.transferTo(OutputStream.nullOutputStream());
      count.increment();
      ports.add(exchange.getRemoteAddress().getPort());
      exchange.sendResponseHeaders(200, OK.length);
      out.write(OK);
    }
  }

  /**
   * Stops the servers and closes the client; fails the trial unless every server answered at least
   * a quarter of the requests, or if Rota failed or retried a request.
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    long[] counts = new long[SERVERS];
    long total = 0;
    for (int i = 0; i < SERVERS; i++) {
      counts[i] = served[i].sum();
      total += counts[i];
    }
    HttpClientSnapshot snapshot = rota == null ? null : rota.snapshot();
    if (rota != null) {
      rota.close();
    }
    if (armeriaFactory != null) {
      armeriaFactory.close();
    }
    for (HttpServer server : servers) {
      server.stop(0);
    }
    System.out.println("\n" + method + ": servers answered " + Arrays.toString(counts)
        + " requests on " + clientPorts.size() + " connections" + (snapshot == null ? "" : "; Rota: " + snapshot.requests() + " requests, "
        + snapshot.failedRequests() + " failed, " + snapshot.retries() + " retries"));
    Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    latencies.forEach(all::add);
    System.out.printf("latency %s threads=%d count=%d p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f us%n",
        method, threads, all.getTotalCount(), micros(all, 50), micros(all, 90), micros(all, 99), micros(all, 99.9),
        all.getMaxValue() / 1000.0);
    for (long c : counts) {
      if (c == 0 || c * 4 < total) {
        throw new IllegalStateException(method + ": requests not spread over the " + SERVERS
            + " servers: " + Arrays.toString(counts) + " (expected: each at least a quarter)");
      }
    }
    if (snapshot != null && (snapshot.failedRequests() != 0 || snapshot.retries() != 0)) {
      throw new IllegalStateException("rota: the load-balanced client failed or retried: " + snapshot);
    }
  }

  private static double micros(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The JDK client, the endpoint picked round robin by a counter. */
  @Benchmark
  public String raw(Latency latency) throws IOException, InterruptedException {
    latency.start();
    URI uri = rawUris[(rawCounter.getAndIncrement() & Integer.MAX_VALUE) % SERVERS];
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    latency.stop();
    return check(response.statusCode(), response.body());
  }

  /**
   * Diagnostic: {@code raw} with the 10 s request timeout that Rota puts on every attempt (its
   * default {@code perAttemptTimeout}); the JDK client then registers a timer per request with its
   * selector thread.
   */
  @Benchmark
  public String rawWithTimeout(Latency latency) throws IOException, InterruptedException {
    latency.start();
    URI uri = rawUris[(rawCounter.getAndIncrement() & Integer.MAX_VALUE) % SERVERS];
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).timeout(ATTEMPT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    latency.stop();
    return check(response.statusCode(), response.body());
  }

  /** Rota's {@link LoadBalancedHttpClient} over the JDK client. */
  @Benchmark
  public String rota(Latency latency) throws IOException, InterruptedException {
    latency.start();
    HttpResponse<String> response = rota.send(HttpRequest.newBuilder(rotaUri).build(), HttpResponse.BodyHandlers.ofString());
    latency.stop();
    return check(response.statusCode(), response.body());
  }

  /** Armeria's {@code WebClient} over an {@code EndpointGroup}, with a {@code RetryingClient}. */
  @Benchmark
  public String armeria(Latency latency) {
    latency.start();
    AggregatedHttpResponse response = armeria.get(PATH);
    latency.stop();
    return check(response.status().code(), response.contentUtf8());
  }

  /** Spring's {@code RestClient} with Spring Cloud LoadBalancer, over the JDK client. */
  @Benchmark
  public String springRestClient(Latency latency) {
    latency.start();
    ResponseEntity<String> response = spring.get().uri(springUri).retrieve().toEntity(String.class);
    latency.stop();
    return check(response.getStatusCode().value(), response.getBody());
  }

  private String check(int status, @Nullable String body) {
    if (status != 200 || !BODY.equals(body)) {
      throw new IllegalStateException(method + ": status " + status + ", body '" + body + "' (expected: 200, 'ok')");
    }
    return body;
  }

  /**
   * A {@code ReactiveLoadBalancer.Factory} with one balancer for every service, no lifecycle
   * processors and default properties: what Spring Cloud's {@code LoadBalancerClientFactory} would
   * hand {@code BlockingLoadBalancerClient} for this service, without an application context.
   */
  private static final class FixedFactory implements ReactiveLoadBalancer.Factory<ServiceInstance> {
    private final RoundRobinLoadBalancer balancer;
    private final LoadBalancerProperties properties = new LoadBalancerProperties();

    FixedFactory(RoundRobinLoadBalancer balancer) {
      this.balancer = balancer;
    }

    @Override
    public ReactiveLoadBalancer<ServiceInstance> getInstance(String serviceId) {
      return balancer;
    }

    @Override
    public <X> Map<String, X> getInstances(String name, Class<X> type) {
      return Map.of();
    }

    @Override
    public <X> @Nullable X getInstance(String name, Class<?> clazz, Class<?>... generics) {
      return null;
    }

    @Override
    public LoadBalancerProperties getProperties(String serviceId) {
      return properties;
    }
  }
}
