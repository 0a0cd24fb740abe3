package io.rota.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The main job as a user runs it, in a short mode: the real clusters and backends, the whole fault
 * schedule, the summary, the exit status, the report, and Rota's meters scraped from the demo's
 * Prometheus endpoint while it runs (they must move as traffic and faults happen).
 */
class DemoIT {

  private static final HttpClient SCRAPER = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A finished run: its exit status and everything it printed. */
  private record Run(int status, String output) {}

  private static Run run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = DemoMain.run(args, out);
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The scrape, or {@code null} while the endpoint is not up. */
  private static String scrape(int port) {
    try {
      HttpResponse<String> r = SCRAPER.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** The sum of every sample of {@code metric} whose labels contain {@code labels}. */
  private static double sum(String scrape, String metric, String labels) {
    double total = 0;
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static void assertPromisesKept(Run run, Path report) throws Exception {
    assertThat(run.output()).contains("writes on replicas: 0").contains("stale own-reads: 0").contains("RESULT: PASS");
    assertThat(run.status()).as("exit status; output:%n%s", run.output()).isZero();
    String html = Files.readString(report);
    for (String chart : new String[] {"traffic", "db", "states", "lag", "latency"}) {
      assertThat(html).contains("data-chart=\"" + chart + "\"");
    }
  }

  /**
   * The last phase: the primary stopped, Rota refused writes at once, db-3 was promoted and took the
   * writes, and every acknowledged order is on it (the summary's own checks, read as a user does).
   */
  private static void assertFailedOver(String out) {
    assertThat(out).contains("db: writes refused: Primary 'db-1' of 'orders-db' unreachable since ")
        .contains("db: writes now go to db-3")
        .containsPattern("(?m)^writes refused for \\d+\\.\\d s; resumed on db-3 \\d+\\.\\d s after the promotion$")
        .containsPattern("(?m)^acknowledged writes missing on db-3 at the end: 0 of [1-9]\\d*$")
        .containsPattern("(?m)^writes refused at once: [1-9]\\d* ");
  }

  @Test
  void postgresWithEveryFaultKeepsEveryPromiseAndItsMetersMove() throws Exception {
    int port = freePort();
    Path report = Path.of("target", "demo-it-postgres.html").toAbsolutePath();
    Files.deleteIfExists(report);
    CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> {
      try {
        return run("--duration", "20s", "--plain", "--report", report.toString(), "--prometheus", Integer.toString(port));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // Scrape while it runs: once early, once near the end.
    String first = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (first == null && !running.isDone() && System.nanoTime() < deadline) {
      first = scrape(port);
      Thread.sleep(200);
    }
    assertThat(first).as("a scrape while the demo runs").isNotNull();
    Thread.sleep(12_000);
    String later = scrape(port);
    Run run = running.get(3, TimeUnit.MINUTES);
    assertThat(later).as("a second scrape while the demo runs").isNotNull();

    assertThat(sum(later, "rota_jdbc_connections_total", "kind=\"read\""))
        .as("reads routed").isGreaterThan(sum(first, "rota_jdbc_connections_total", "kind=\"read\""));
    assertThat(sum(later, "rota_jdbc_connections_total", "kind=\"write\""))
        .as("writes routed").isGreaterThan(sum(first, "rota_jdbc_connections_total", "kind=\"write\""));
    assertThat(sum(later, "rota_http_client_requests_total", ""))
        .as("HTTP requests").isGreaterThan(sum(first, "rota_http_client_requests_total", ""));
    assertThat(sum(later, "rota_http_client_attempt_failures_total", "endpoint=\"b\""))
        .as("b's failed attempts while it returned 503 and reset connections").isPositive();
    assertThat(later).contains("rota_jdbc_replica_lag_seconds").contains("rota_jdbc_replica_serving")
        .contains("rota_pool_endpoint_state");

    assertPromisesKept(run, report);
    String out = run.output();
    // Every fault is announced when it begins and when it ends, and Rota's reaction shows.
    for (String announced : new String[] {"FAULT  b returns 503", "ENDED  b recovers", "FAULT  b resets connections",
        "FAULT  c weight 2 -> 8", "ENDED  c weight back to 2", "FAULT  a, b, c down", "ENDED  a, b, c back up",
        "FAULT  db-2 WAL replay paused", "ENDED  db-2 replays again", "FAULT  db-3 killed",
        "ENDED  db-3 restarted", "FAULT  db-2 frozen (SIGSTOP)", "ENDED  db-2 thawed (SIGCONT)",
        "FAULT  db-1 (primary) stopped", "FAULT  db-3 promoted, db-2 follows it"}) {
      assertThat(out).contains(announced);
    }
    assertThat(out).contains("serving tier now BACKUP").contains("serving tier now PRIMARY")
        .contains("exceeds maxReplicationLag").containsPattern("db-3 \\w+ -> (DOWN|EJECTED)")
        .containsPattern("db-2 \\w+ -> (DOWN|EJECTED)");
    assertFailedOver(out);
  }

  @Test
  void mariadbWithEveryFaultKeepsEveryPromise() throws Exception {
    Path report = Path.of("target", "demo-it-mariadb.html").toAbsolutePath();
    Run run = run("--db", "mariadb", "--duration", "20s", "--plain", "--report", report.toString());
    assertPromisesKept(run, report);
    assertThat(run.output()).contains("MariaDB 11.4 primary + 2 GTID replicas")
        .contains("FAULT  db-2 replication delayed").contains("FAULT  db-2 frozen (SIGSTOP)");
    assertFailedOver(run.output());
  }

  @Test
  void badOptionsExitWithStatus2AndNameTheValue() throws Exception {
    Run run = run("--threads", "lots");
    assertThat(run.status()).isEqualTo(DemoRun.BAD_OPTIONS);
    assertThat(run.output()).contains("--threads lots").contains("--help");
    assertThat(run("--help").output()).contains("--duration").contains("--prometheus");
  }
}
