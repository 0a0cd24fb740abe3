package io.rota.examples;

import io.rota.core.EndpointState;
import io.rota.core.Tier;
import io.rota.examples.demo.http.Backends;
import io.rota.examples.demo.http.Backends.Backend;
import io.rota.examples.demo.http.Backends.Mode;
import io.rota.http.HttpClientSnapshot;
import io.rota.http.LoadBalancedHttpClient;
import io.rota.http.RetryPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Rota HTTP client in one small program: three local backends of weights 3, 2 and 1, requests
 * spread by weight, one backend failing (every request answered with 503) while every request still
 * succeeds, and its return. Run it from the repository root with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.rota.examples.HttpClientExample}.
 *
 * <p>The backends are real HTTP servers on {@code 127.0.0.1} ({@link Backends}, WireMock); the client
 * configuration in {@link #run(PrintStream)} is the part to copy.
 */
public final class HttpClientExample {

  private static final int REQUESTS = 60;
  private static final long PATIENCE_MILLIS = 15_000;

  private HttpClientExample() {}

  /**
   * What the example saw.
   *
   * @param requests the GETs sent
   * @param failed the GETs that failed, over the whole run (0 expected: every 503 was retried)
   * @param spread per backend, the attempts of the first {@code requests / 3} GETs, all healthy
   * @param failingBackendFailures the attempts the failing backend answered with 503
   * @param retries the retries over the whole run
   * @param failingBackendState the failing backend's state after its GETs ({@code EJECTED} or {@code DOWN})
   * @param recoveredSpread per backend, the attempts of the last GETs, after the failing one came back
   */
  public record Result(
      int requests,
      int failed,
      Map<String, Long> spread,
      long failingBackendFailures,
      long retries,
      EndpointState failingBackendState,
      Map<String, Long> recoveredSpread) {}

  /**
   * Runs the example, printing to standard output.
   *
   * @param args none
   * @throws Exception if a backend fails to start or the program is interrupted
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * Runs the example, printing what it does to {@code out}, and returns what it saw.
   *
   * @throws Exception if a backend fails to start or the program is interrupted
   */
  public static Result run(PrintStream out) throws Exception {
    out.println("Starting three local HTTP backends:");
    List<Backend> servers = List.of(
        new Backend("a", 3, Tier.PRIMARY), new Backend("b", 2, Tier.PRIMARY), new Backend("c", 1, Tier.PRIMARY));
    try (Backends backends = Backends.start(servers, line -> out.println("  " + line));

        // The client: requests name the service (http://pricing/...), each attempt goes to a backend.
        LoadBalancedHttpClient pricing = LoadBalancedHttpClient.builder("pricing")
            .endpoint("a", backends.uri("a"), 3)          // weights 3:2:1, smoothly interleaved
            .endpoint("b", backends.uri("b"), 2)
            .endpoint("c", backends.uri("c"), 1)
            .health(h -> h
                .check("/health")                         // GET /health on every backend ...
                .intervalMillis(500)                      // ... every 500 ms (production: seconds)
                .rise(2)                                  // 2 passed checks in a row bring one back,
                .fall(2)                                  // 2 failed ones take it out;
                .consecutiveFailures(3)                   // 3 failed requests in a row eject it
                .ejectionTimeMillis(2000))                // for 2 s, longer if it is ejected again
            .retryPolicy(RetryPolicy.custom()
                .maxAttempts(3)                           // a GET that fails (503, reset, timeout) is
                .build())                                 // retried on another backend; a POST is not
            .perAttemptTimeoutMillis(1000)
            .build()) {

      out.println();
      out.println("1. " + REQUESTS + " GETs; weights a=3 b=2 c=1.");
      Tally first = send(pricing, REQUESTS);
      out.println("   attempts per backend " + first.attempts + ", failed " + first.failed);

      out.println();
      out.println("2. b now answers 503 to every request, its health check included.");
      backends.setMode("b", Mode.ERROR_503);
      Tally during = send(pricing, REQUESTS);
      HttpClientSnapshot afterFault = pricing.snapshot();
      long bFailures = afterFault.endpoint("b").failures();
      EndpointState bState = afterFault.endpoint("b").state();
      out.println("   attempts per backend " + during.attempts + ", failed " + during.failed);
      out.println("   b answered " + bFailures + " attempts with 503, each retried on a or c ("
          + afterFault.retries() + " retries); b is now " + bState + ": no request goes to it");

      out.println();
      out.println("3. b serves again; its health checks bring it back.");
      backends.setMode("b", Mode.OK);
      long t0 = System.nanoTime();
      long waited = 0;
      while (pricing.snapshot().endpoint("b").state() != EndpointState.HEALTHY) {
        waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (waited > PATIENCE_MILLIS) {
          throw new IllegalStateException("b did not come back within " + PATIENCE_MILLIS + " ms");
        }
        Thread.sleep(20);
      }
      out.println("   b is HEALTHY again after " + waited + " ms");
      Tally last = send(pricing, REQUESTS);
      out.println("   attempts per backend " + last.attempts + ", failed " + last.failed);

      HttpClientSnapshot end = pricing.snapshot();
      out.println();
      out.println("Requests " + end.requests() + ", failed " + end.failedRequests() + ", retries " + end.retries());
      return new Result(3 * REQUESTS, (int) end.failedRequests(), first.attempts, bFailures, end.retries(), bState,
          last.attempts);
    }
  }

  /** The attempts each backend got during some GETs, and how many GETs failed. */
  private record Tally(Map<String, Long> attempts, int failed) {}

  private static Tally send(LoadBalancedHttpClient pricing, int n) throws InterruptedException {
    Map<String, Long> before = attempts(pricing.snapshot());
    int failed = 0;
    for (int i = 0; i < n; i++) {
      HttpRequest get = pricing.newRequest("/price?sku=" + (100 + i)).build();
      try {
        HttpResponse<String> response = pricing.send(get, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          failed++;
        }
      } catch (IOException e) { // AllAttemptsFailedException: lists every attempt
        failed++;
      }
    }
    Map<String, Long> delta = new LinkedHashMap<>();
    attempts(pricing.snapshot()).forEach((id, after) -> delta.put(id, after - before.getOrDefault(id, 0L)));
    return new Tally(delta, failed);
  }

  private static Map<String, Long> attempts(HttpClientSnapshot snapshot) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (HttpClientSnapshot.EndpointStats e : snapshot.endpoints()) {
      map.put(e.id(), e.requests());
    }
    return map;
  }
}
