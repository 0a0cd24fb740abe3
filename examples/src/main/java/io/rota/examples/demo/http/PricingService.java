package io.rota.examples.demo.http;

import static java.util.Objects.requireNonNull;

import io.rota.core.Tier;
import io.rota.examples.demo.http.Backends.Backend;
import io.rota.http.AllAttemptsFailedException;
import io.rota.http.LoadBalancedHttpClient;
import io.rota.http.LoadBalancedHttpClientBuilder;
import io.rota.http.RetryPolicy;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The order service's pricing client: a Rota {@link LoadBalancedHttpClient} named
 * {@value #SERVICE} over the {@link Backends}, with settings that make faults visible within a
 * second or two, as a demo wants. The settings are the ones to copy, scaled to your latencies:
 *
 * <pre>{@code
 * LoadBalancedHttpClient.builder("pricing")
 *     .endpoint("a", uriOfA, 5).endpoint("b", uriOfB, 3).endpoint("c", uriOfC, 2)
 *     .backupEndpoint("backup", uriOfBackup)
 *     .health(h -> h.check("/health").intervalMillis(500).timeoutMillis(1000).rise(2).fall(2)
 *         .consecutiveFailures(3).ejectionTimeMillis(2000).maxEjectionTimeMillis(10_000))
 *     .retryPolicy(RetryPolicy.custom().maxAttempts(3).build())
 *     .perAttemptTimeoutMillis(1000)
 *     .deadlineMillis(3000)
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Active check</b> {@code GET /health} every {@value #CHECK_INTERVAL_MILLIS} ms, each given
 *       {@value #CHECK_TIMEOUT_MILLIS} ms; {@value #FALL} failed checks in a row take a backend out
 *       ({@code DOWN}: a stopped server is out within about a second) and {@value #RISE} passed ones
 *       bring it back (which also ends an ejection at once). Production values are seconds, not
 *       milliseconds: every client instance probes every backend.
 *   <li><b>Ejection</b> after {@value #CONSECUTIVE_FAILURES} failed attempts in a row (a 503, a reset,
 *       a refused connection, a timeout), for {@value #EJECTION_TIME_MILLIS} ms the first time,
 *       doubling on each repeat up to {@value #MAX_EJECTION_TIME_MILLIS} ms. This is the fast signal:
 *       real traffic notices a broken backend before the next check does.
 *   <li><b>Retries</b>: at most {@value #MAX_ATTEMPTS} attempts, each on a backend the request has not
 *       tried: one more than the primary tier has backends, so that when all of them fail at once
 *       (before their ejection) a request still reaches the backup. Within the default retry budget
 *       (20% of recent requests plus a small floor), so a broad outage is not multiplied. A GET is retried after a 503, a reset or a timeout;
 *       a POST only when its connection was refused (it certainly never reached a server): a POST
 *       whose attempt may have reached one fails instead, and is never sent twice.
 *   <li><b>Timeouts</b>: {@value #PER_ATTEMPT_TIMEOUT_MILLIS} ms per attempt (far above a local
 *       backend's latency on a loaded machine) and {@value #DEADLINE_MILLIS} ms for the whole request,
 *       retries and back-off included.
 *   <li><b>Backup</b>: the backup backend serves only while no primary one is available, and hands
 *       back as soon as one is.
 * </ul>
 *
 * <p>Thread-safe: {@link #price} and {@link #quote} may be called from many threads at once.
 */
public final class PricingService implements AutoCloseable {

  /** The service name: requests go to {@code http://pricing/...}. */
  public static final String SERVICE = "pricing";
  /** Active check interval: {@value} ms. */
  public static final int CHECK_INTERVAL_MILLIS = 500;
  /** Active check timeout: {@value} ms. */
  public static final int CHECK_TIMEOUT_MILLIS = 1000;
  /** Passed checks in a row that bring a backend back: {@value}. */
  public static final int RISE = 2;
  /** Failed checks in a row that take a backend out: {@value}. */
  public static final int FALL = 2;
  /** Failed attempts in a row that eject a backend: {@value}. */
  public static final int CONSECUTIVE_FAILURES = 3;
  /** First ejection time: {@value} ms. */
  public static final int EJECTION_TIME_MILLIS = 2000;
  /** Longest ejection time, however often a backend is ejected again: {@value} ms. */
  public static final int MAX_EJECTION_TIME_MILLIS = 10_000;
  /** Attempts per request, the first included: {@value}. */
  public static final int MAX_ATTEMPTS = 4;
  /** Timeout of one attempt: {@value} ms. */
  public static final int PER_ATTEMPT_TIMEOUT_MILLIS = 1000;
  /** Time a request may take over all its attempts: {@value} ms. */
  public static final int DEADLINE_MILLIS = 3000;

  private final LoadBalancedHttpClient client;

  private PricingService(LoadBalancedHttpClient client) {
    this.client = client;
  }

  /**
   * Builds the client over every backend of {@code backends} (primary and backup, with their
   * weights); its health checks start at once.
   */
  public static PricingService over(Backends backends) {
    requireNonNull(backends, "backends");
    LoadBalancedHttpClientBuilder builder = LoadBalancedHttpClient.builder(SERVICE);
    for (Backend b : backends.backends()) {
      if (b.tier() == Tier.BACKUP) {
        builder.backupEndpoint(b.id(), backends.uri(b.id()), b.weight());
      } else {
        builder.endpoint(b.id(), backends.uri(b.id()), b.weight());
      }
    }
    LoadBalancedHttpClient client = builder
        .health(h -> h.check(Backends.HEALTH_PATH)
            .intervalMillis(CHECK_INTERVAL_MILLIS)
            .timeoutMillis(CHECK_TIMEOUT_MILLIS)
            .rise(RISE)
            .fall(FALL)
            .consecutiveFailures(CONSECUTIVE_FAILURES)
            .ejectionTimeMillis(EJECTION_TIME_MILLIS)
            .maxEjectionTimeMillis(MAX_EJECTION_TIME_MILLIS))
        .retryPolicy(RetryPolicy.custom().maxAttempts(MAX_ATTEMPTS).build())
        .perAttemptTimeoutMillis(PER_ATTEMPT_TIMEOUT_MILLIS)
        .deadlineMillis(DEADLINE_MILLIS)
        .build();
    return new PricingService(client);
  }

  /**
   * Returns the price of a sku: {@code GET /price?sku=...}, the JSON body of the 200. Idempotent: an
   * attempt that gets a 503, a reset or a timeout is retried on another backend.
   *
   * @throws AllAttemptsFailedException if no attempt succeeded; it lists every attempt
   * @throws IOException if a backend answered with a status other than 200 (not retried)
   * @throws InterruptedException if the thread was interrupted
   */
  public String price(String sku) throws IOException, InterruptedException {
    requireNonNull(sku, "sku");
    HttpRequest request = client.newRequest(Backends.PRICE_PATH + "?sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8))
        .GET()
        .build();
    return bodyOf(client.send(request, HttpResponse.BodyHandlers.ofString()), 200);
  }

  /**
   * Asks for a quote: {@code POST /quote} with {@value Backends#REQUEST_ID} {@code requestId}, and
   * returns the JSON body of the 201. Not idempotent: sent again only if its connection was refused
   * (it never reached a server); an attempt that may have reached one (reset, 503, timeout) fails
   * the call.
   *
   * @param requestId a unique id of this quote, letters, digits and {@code -}
   * @throws IllegalArgumentException if {@code requestId} is empty or holds other characters
   * @throws AllAttemptsFailedException if the POST failed; it lists every attempt
   * @throws IOException if a backend answered with a status other than 201
   * @throws InterruptedException if the thread was interrupted
   */
  public String quote(String requestId) throws IOException, InterruptedException {
    requireNonNull(requestId, "requestId");
    if (!requestId.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException("requestId: '" + requestId + "' (expected: letters, digits and '-')");
    }
    HttpRequest request = client.newRequest(Backends.QUOTE_PATH)
        .header(Backends.REQUEST_ID, requestId)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"" + requestId + "\"}"))
        .build();
    return bodyOf(client.send(request, HttpResponse.BodyHandlers.ofString()), 201);
  }

  private static String bodyOf(HttpResponse<String> response, int expected) throws IOException {
    if (response.statusCode() != expected) {
      throw new IOException(response.request().method() + " " + response.uri().getRawPath() + " to service '"
          + SERVICE + "': status " + response.statusCode() + " (expected: " + expected + ")");
    }
    return response.body();
  }

  /**
   * Returns the client: for {@link LoadBalancedHttpClient#snapshot()}, listeners and
   * {@link LoadBalancedHttpClient#setWeight(String, int)}.
   */
  public LoadBalancedHttpClient client() {
    return client;
  }

  /** Stops the client's health checks; the backends keep running. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "PricingService{" + client + '}';
  }
}
