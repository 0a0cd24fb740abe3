package io.rota.examples.demo.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.Objects.requireNonNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.rota.core.Tier;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The demo's HTTP backends: real WireMock servers on {@code 127.0.0.1}, each on a free port, that a
 * {@link PricingService} balances over. By default ({@link #DEMO}) three primary backends of weights
 * 5, 3 and 2 ({@value #A}, {@value #B}, {@value #C}) and one backup ({@value #BACKUP}).
 *
 * <h2>What a backend serves</h2>
 * <ul>
 *   <li>{@code GET /health}: 200 {@code ok};
 *   <li>{@code GET /price?sku=X}: 200, {@code {"backend":"a","sku":"X","price":12.34}} (the price
 *       depends on the sku only, so every backend quotes the same);
 *   <li>{@code POST /quote}: 201, {@code {"backend":"a","requestId":"..."}} echoing the
 *       {@value #REQUEST_ID} header;
 *   <li>anything else: 404.
 * </ul>
 *
 * <h2>Faults</h2>
 * {@link #setMode(String, Mode)} changes what a backend does, at run time: {@link Mode#ERROR_503}
 * (every path answers 503, {@code /health} included), {@link Mode#RESET} (every request is answered
 * with a TCP reset), {@link Mode#DOWN} (the server is stopped: connections are refused) and back to
 * {@link Mode#OK} (restarted on the same port if it was down, with the new mode's stubs in place before
 * it listens). The fault is a stub of higher priority laid over the normal ones, which stay: no
 * request ever finds no stub.
 *
 * <h2>What the backends received</h2>
 * Every request that reached a backend (in any mode but {@code DOWN}) is counted per path
 * ({@link #received(String)}). Each {@code POST /quote} carries a unique {@value #REQUEST_ID}; the ids
 * that reached any backend more than once are {@link #duplicatePosts()}, which stays empty when no
 * POST is ever resent. The ids seen are kept in one set (about 100 bytes each, so a few MB for
 * minutes of traffic), at most {@value #MAX_TRACKED_IDS}; ids beyond that are counted, not tracked
 * ({@link #untrackedPosts()}). WireMock's own request journal is off: memory stays bounded however
 * long the run.
 *
 * <h2>Threads</h2>
 * Each server has {@value #CONTAINER_THREADS} Jetty threads (the demo runs four servers and several
 * databases on two cores). Thread-safe: modes may be changed from any thread while requests run;
 * changes to one backend are serialized.
 */
public final class Backends implements AutoCloseable {

  /** The id of the first primary backend, weight 5 in {@link #DEMO}. */
  public static final String A = "a";
  /** The id of the second primary backend, weight 3 in {@link #DEMO}. */
  public static final String B = "b";
  /** The id of the third primary backend, weight 2 in {@link #DEMO}. */
  public static final String C = "c";
  /** The id of the backup backend, which serves only while no primary one can. */
  public static final String BACKUP = "backup";

  /** The header that carries a POST's unique id: {@value}. */
  public static final String REQUEST_ID = "X-Request-Id";
  /** The health path: {@value}. */
  public static final String HEALTH_PATH = "/health";
  /** The price path: {@value} ({@code GET /price?sku=X}). */
  public static final String PRICE_PATH = "/price";
  /** The quote path: {@value} ({@code POST /quote}). */
  public static final String QUOTE_PATH = "/quote";
  /** The key of {@link #received(String)} for requests to any other path: {@value}. */
  public static final String OTHER_PATH = "other";

  /** Jetty threads per server: {@value}. */
  public static final int CONTAINER_THREADS = 8;
  /** The most POST ids tracked for {@link #duplicatePosts()}: {@value}. */
  public static final int MAX_TRACKED_IDS = 200_000;

  /**
   * One backend: its id, its weight in the client and its tier.
   *
   * @param id a short unique id such as {@code a}: letters, digits, {@code -} and {@code _}
   * @param weight its weight in the load-balanced client, 1 to 10000
   * @param tier primary, or backup (serves only while no primary can)
   */
  public record Backend(String id, int weight, Tier tier) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the id is not letters, digits, {@code -} and {@code _}, or the
     *     weight is outside 1..10000
     */
    public Backend {
      requireNonNull(id, "id");
      requireNonNull(tier, "tier");
      if (!id.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("backend id: '" + id + "' (expected: letters, digits, '-' and '_')");
      }
      if (weight < 1 || weight > 10_000) {
        throw new IllegalArgumentException("backend " + id + " weight: " + weight + " (expected: 1..10000)");
      }
    }
  }

  /** The demo's backends: {@code a} weight 5, {@code b} 3, {@code c} 2 (primary) and {@code backup}. */
  public static final List<Backend> DEMO = List.of(
      new Backend(A, 5, Tier.PRIMARY),
      new Backend(B, 3, Tier.PRIMARY),
      new Backend(C, 2, Tier.PRIMARY),
      new Backend(BACKUP, 1, Tier.BACKUP));

  /** What a backend does with requests. */
  public enum Mode {
    /** Serves normally. */
    OK,
    /** Answers every request, {@code /health} included, with 503 Service Unavailable. */
    ERROR_503,
    /** Resets the TCP connection of every request, once its headers are read. */
    RESET,
    /** Stopped: nothing listens on its port, connections are refused. */
    DOWN
  }

  static {
    quietServerLogs();
  }

  /**
   * Keeps Jetty's start and stop lines (six INFO lines per server start, on standard output under the
   * examples' slf4j-simple settings) out of the demo's console: Jetty and its servlet context log at
   * WARN unless a system property already says otherwise. slf4j-simple reads a logger's level when the
   * logger is created, so this works as long as it runs before the first server is built.
   */
  private static void quietServerLogs() {
    for (String logger : List.of("org.eclipse.jetty", "ROOT")) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
  }

  /** Every backend's server, in the order given. */
  private final Map<String, Server> servers;
  /** The POST ids received so far, from any backend. */
  private final Set<String> seenIds = ConcurrentHashMap.newKeySet();
  /** The POST ids received more than once. */
  private final Set<String> duplicateIds = ConcurrentHashMap.newKeySet();
  private final LongAdder untracked = new LongAdder();
  private final LongAdder postsWithoutId = new LongAdder();

  private Backends(List<Backend> backends) {
    Map<String, Server> map = new LinkedHashMap<>();
    for (Backend b : backends) {
      if (map.put(b.id(), new Server(b)) != null) {
        throw new IllegalArgumentException("backend id: '" + b.id() + "' (expected: unique; it is given twice)");
      }
    }
    if (map.isEmpty()) {
      throw new IllegalArgumentException("backends: none (expected: at least one)");
    }
    this.servers = Collections.unmodifiableMap(map);
  }

  /**
   * Starts the {@link #DEMO} backends, one after the other, and reports progress to {@code progress}.
   *
   * @throws IllegalStateException as {@link #start(List, Consumer)}
   */
  public static Backends start(Consumer<String> progress) {
    return start(DEMO, progress);
  }

  /**
   * Starts the backends, one after the other. For each, {@code progress} gets
   * {@code "starting HTTP backend a ..."}, then {@code "HTTP backend a ready on 127.0.0.1:41234 in 312 ms"}
   * (or, if it fails, {@code "HTTP backend a failed to start after 40 ms: ..."}). If one fails, those
   * already started are stopped.
   *
   * @param backends the backends, with unique ids
   * @param progress receives one line per step, on the calling thread
   * @throws IllegalArgumentException if the list is empty or repeats an id
   * @throws IllegalStateException if a server fails to start; the message names it and says why
   */
  public static Backends start(List<Backend> backends, Consumer<String> progress) {
    requireNonNull(progress, "progress");
    Backends all = new Backends(List.copyOf(requireNonNull(backends, "backends")));
    try {
      for (Server s : all.servers.values()) {
        progress.accept("starting HTTP backend " + s.backend.id() + " ...");
        long t0 = System.nanoTime();
        try {
          synchronized (s) {
            all.startServer(s, 0, Mode.OK);
          }
        } catch (IllegalStateException e) {
          progress.accept("HTTP backend " + s.backend.id() + " failed to start after " + millisSince(t0) + " ms: "
              + e.getMessage());
          throw e;
        }
        progress.accept("HTTP backend " + s.backend.id() + " ready on 127.0.0.1:" + s.port + " in "
            + millisSince(t0) + " ms");
      }
    } catch (RuntimeException e) {
      all.close();
      throw e;
    }
    return all;
  }

  private static long millisSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** Returns the backends, in the order they were given. */
  public List<Backend> backends() {
    List<Backend> list = new ArrayList<>(servers.size());
    for (Server s : servers.values()) {
      list.add(s.backend);
    }
    return Collections.unmodifiableList(list);
  }

  /**
   * Returns the base URI of a backend, {@code http://127.0.0.1:PORT}; the same for its whole life.
   *
   * @throws IllegalArgumentException if no backend has that id
   */
  public URI uri(String id) {
    return URI.create("http://127.0.0.1:" + server(id).port);
  }

  /**
   * Returns the port of a backend; the same for its whole life, also after {@link Mode#DOWN}.
   *
   * @throws IllegalArgumentException if no backend has that id
   */
  public int port(String id) {
    return server(id).port;
  }

  /**
   * Returns what a backend does now.
   *
   * @throws IllegalArgumentException if no backend has that id
   */
  public Mode mode(String id) {
    return server(id).mode;
  }

  /**
   * Changes what a backend does; effective for requests that arrive once this returns. From
   * {@link Mode#DOWN} to any other mode the server is started again on the same port.
   *
   * @throws IllegalArgumentException if no backend has that id
   * @throws IllegalStateException if the backend is closed, or fails to start again (for example
   *     because another process took its port); it then stays {@code DOWN}
   */
  public void setMode(String id, Mode mode) {
    requireNonNull(mode, "mode");
    Server s = server(id);
    synchronized (s) {
      if (s.closed) {
        throw new IllegalStateException("HTTP backend " + id + " is closed");
      }
      if (s.mode == mode) {
        return;
      }
      if (mode == Mode.DOWN) {
        stopServer(s);
      } else {
        WireMockServer running = s.wireMock;
        if (running == null) {
          startServer(s, s.port, mode);
        } else {
          overlay(running, s, mode);
        }
      }
      s.mode = mode;
    }
  }

  /**
   * Returns the ids of the POSTs that reached a backend (any of them) more than once: empty as long as
   * no POST was resent. A copy.
   */
  public Set<String> duplicatePosts() {
    return Set.copyOf(duplicateIds);
  }

  /** Returns how many POSTs arrived after {@value #MAX_TRACKED_IDS} ids were tracked (not checked for duplicates). */
  public long untrackedPosts() {
    return untracked.sum();
  }

  /** Returns how many POSTs to {@value #QUOTE_PATH} arrived without a {@value #REQUEST_ID} header. */
  public long postsWithoutRequestId() {
    return postsWithoutId.sum();
  }

  /**
   * Returns how many requests reached a backend, per path: {@value #HEALTH_PATH},
   * {@value #PRICE_PATH}, {@value #QUOTE_PATH} and {@value #OTHER_PATH}, in that order; requests that
   * got a 503 or a reset count, refused connections do not.
   *
   * @throws IllegalArgumentException if no backend has that id
   */
  public Map<String, Long> received(String id) {
    Server s = server(id);
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put(HEALTH_PATH, s.health.sum());
    counts.put(PRICE_PATH, s.price.sum());
    counts.put(QUOTE_PATH, s.quote.sum());
    counts.put(OTHER_PATH, s.other.sum());
    return Collections.unmodifiableMap(counts);
  }

  /**
   * Returns how many requests to a path reached a backend.
   *
   * @param path {@value #HEALTH_PATH}, {@value #PRICE_PATH}, {@value #QUOTE_PATH} or {@value #OTHER_PATH}
   * @throws IllegalArgumentException if no backend has that id, or the path is none of those
   */
  public long received(String id, String path) {
    Long n = received(id).get(path);
    if (n == null) {
      throw new IllegalArgumentException("path: '" + path + "' (expected: one of " + received(id).keySet() + ")");
    }
    return n;
  }

  /** Forgets every count and every POST id received so far (for example between two phases of a test). */
  public void resetCounts() {
    for (Server s : servers.values()) {
      s.health.reset();
      s.price.reset();
      s.quote.reset();
      s.other.reset();
    }
    seenIds.clear();
    duplicateIds.clear();
    untracked.reset();
    postsWithoutId.reset();
  }

  /** Stops every server. Idempotent. */
  @Override
  public void close() {
    for (Server s : servers.values()) {
      synchronized (s) {
        s.closed = true;
        stopServer(s);
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Backends{");
    for (Server s : servers.values()) {
      if (sb.length() > 9) {
        sb.append(", ");
      }
      sb.append(s.backend.id()).append('@').append(s.port).append(' ').append(s.mode);
    }
    return sb.append('}').toString();
  }

  // ---------------------------------------------------------------------------------------------

  private Server server(String id) {
    requireNonNull(id, "id");
    Server s = servers.get(id);
    if (s == null) {
      throw new IllegalArgumentException("backend id: '" + id + "' (expected: one of " + servers.keySet() + ")");
    }
    return s;
  }

  /** One backend's server, mode and counters. Fields other than the counters change under its monitor. */
  private static final class Server {
    final Backend backend;
    /** The stub that lays a fault over the normal stubs; one id, so a change replaces it. */
    final UUID overlayId = UUID.randomUUID();
    final LongAdder health = new LongAdder();
    final LongAdder price = new LongAdder();
    final LongAdder quote = new LongAdder();
    final LongAdder other = new LongAdder();
    @Nullable WireMockServer wireMock;
    /** The port, once started; kept across DOWN. */
    volatile int port;
    volatile Mode mode = Mode.OK;
    boolean closed;

    Server(Backend backend) {
      this.backend = backend;
    }
  }

  /**
   * Starts a server for {@code s} on {@code port} (0: a free one) with the normal stubs and the fault
   * of {@code mode}; call holding its monitor.
   */
  private void startServer(Server s, int port, Mode mode) {
    String id = s.backend.id();
    WireMockConfiguration options = options()
        .bindAddress("127.0.0.1")
        .http2PlainDisabled(true)
        .containerThreads(CONTAINER_THREADS)
        .jettyAcceptors(1)
        .jettyStopTimeout(0L)
        .disableRequestJournal()
        .notifier(new Slf4jNotifier(false))
        .extensions(new Counting(s), new Bodies(id));
    if (port == 0) {
      options.dynamicPort();
    } else {
      options.port(port);
    }
    WireMockServer server = new WireMockServer(options);
    // Stubs are set before the server listens: no request ever finds none.
    server.stubFor(get(urlPathEqualTo(HEALTH_PATH)).atPriority(5)
        .willReturn(aResponse().withStatus(200).withBody("ok")));
    server.stubFor(get(urlPathEqualTo(PRICE_PATH)).atPriority(5)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withTransformers(Bodies.NAME)));
    server.stubFor(post(urlPathEqualTo(QUOTE_PATH)).atPriority(5)
        .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
            .withTransformers(Bodies.NAME)));
    server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404).withBody("not found")));
    overlay(server, s, mode);
    try {
      server.start();
    } catch (RuntimeException e) {
      try {
        server.stop();
      } catch (RuntimeException ignored) {
        // It did not start; nothing to stop.
      }
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new IllegalStateException("HTTP backend " + id + " could not listen on 127.0.0.1:"
          + (port == 0 ? "<free port>" : String.valueOf(port)) + ": " + root.getClass().getSimpleName() + ": "
          + root.getMessage(), e);
    }
    s.wireMock = server;
    s.port = server.port();
  }

  private static void stopServer(Server s) {
    WireMockServer server = s.wireMock;
    if (server != null) {
      s.wireMock = null;
      server.stop();
    }
  }

  /** Lays the mode's fault over the normal stubs of {@code s}'s server, or lifts it for {@link Mode#OK}. */
  private static void overlay(WireMockServer server, Server s, Mode mode) {
    ResponseDefinitionBuilder response;
    switch (mode) {
      case OK:
        if (hasStub(server, s.overlayId)) {
          server.removeStub(s.overlayId);
        }
        return;
      case ERROR_503:
        response = aResponse().withStatus(503).withHeader("Content-Type", "application/json")
            .withBody("{\"backend\":\"" + s.backend.id() + "\",\"error\":\"unavailable\"}");
        break;
      case RESET:
        response = aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
        break;
      default:
        throw new IllegalArgumentException("mode: " + mode + " (expected: a mode of a running server)");
    }
    MappingBuilder fault = any(anyUrl()).atPriority(1).withId(s.overlayId).willReturn(response);
    if (hasStub(server, s.overlayId)) {
      server.editStub(fault);
    } else {
      server.stubFor(fault);
    }
  }

  private static boolean hasStub(WireMockServer server, UUID id) {
    try {
      return server.getSingleStubMapping(id) != null;
    } catch (RuntimeException notFound) {
      return false;
    }
  }

  /** Counts each request as it arrives, before any stub answers it, and tracks POST ids. */
  private final class Counting implements ServeEventListener {
    private final Server server;

    Counting(Server server) {
      this.server = server;
    }

    @Override
    public String getName() {
      return "rota-demo-counting-" + server.backend.id();
    }

    @Override
    public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
      Request request = serveEvent.getRequest();
      String url = request.getUrl();
      int q = url.indexOf('?');
      String path = q < 0 ? url : url.substring(0, q);
      switch (path) {
        case HEALTH_PATH:
          server.health.increment();
          break;
        case PRICE_PATH:
          server.price.increment();
          break;
        case QUOTE_PATH:
          server.quote.increment();
          if ("POST".equals(request.getMethod().getName())) {
            track(request.containsHeader(REQUEST_ID) ? request.getHeader(REQUEST_ID) : null);
          }
          break;
        default:
          server.other.increment();
      }
    }
  }

  private void track(@Nullable String id) {
    if (id == null || id.isEmpty()) {
      postsWithoutId.increment();
    } else if (seenIds.size() < MAX_TRACKED_IDS) {
      if (!seenIds.add(id)) {
        duplicateIds.add(id);
      }
    } else if (seenIds.contains(id)) {
      duplicateIds.add(id);
    } else {
      untracked.increment();
    }
  }

  /** Writes the JSON bodies of {@code /price} and {@code /quote}. */
  private static final class Bodies implements ResponseDefinitionTransformerV2 {
    static final String NAME = "rota-demo-bodies";
    private final String backendId;

    Bodies(String backendId) {
      this.backendId = backendId;
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
      Request request = serveEvent.getRequest();
      String body;
      if ("POST".equals(request.getMethod().getName())) {
        String id = request.containsHeader(REQUEST_ID) ? request.getHeader(REQUEST_ID) : "";
        body = "{\"backend\":\"" + backendId + "\",\"requestId\":\"" + json(id) + "\"}";
      } else {
        QueryParameter sku = request.queryParameter("sku");
        String value = sku.isPresent() ? sku.firstValue() : "";
        body = "{\"backend\":\"" + backendId + "\",\"sku\":\"" + json(value) + "\",\"price\":" + priceOf(value) + "}";
      }
      return ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition()).but().withBody(body).build();
    }
  }

  /** Returns the price of a sku, the same on every backend: 1.00 to 99.99. */
  static String priceOf(String sku) {
    int cents = 100 + Math.floorMod(sku.hashCode(), 9_900);
    return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
  }

  /** Escapes a string for a JSON string literal. */
  static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
