package io.rota.examples.demo;

import io.rota.examples.demo.http.Backends;
import io.rota.examples.demo.http.PricingService;
import io.rota.examples.demo.view.ConsoleDashboard;
import io.rota.examples.demo.view.HtmlReport;
import io.rota.examples.demo.view.LiveView;
import io.rota.examples.demo.view.SummaryTable;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import io.rota.core.EndpointState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One run of the demo: start the servers, run the workload with the fault schedule while the
 * dashboard redraws once a second, then print the summary, write the report and return the exit
 * status. Everything it starts it stops, also when it fails half-way.
 */
final class DemoRun {

  /** Exit status: every promise held. */
  static final int PASSED = 0;
  /** Exit status: a promise did not hold (see the summary's violations). */
  static final int FAILED = 1;
  /** Exit status: the command line was wrong. */
  static final int BAD_OPTIONS = 2;
  /** Exit status: a server could not start. */
  static final int NOT_STARTED = 3;

  private static final int EVENT_FEED = 8;

  private final DemoOptions options;
  private final PrintStream out;
  private final boolean ansi;
  private long startNanos;

  DemoRun(DemoOptions options, PrintStream out, boolean ansi) {
    this.options = options;
    this.out = out;
    this.ansi = ansi;
  }

  private long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Runs the demo; returns the exit status. */
  int run() throws InterruptedException {
    out.println("Rota demo: an order service with its database cluster and pricing backends, balanced inside the");
    out.println("application; no balancer box. Starting the servers (all on 127.0.0.1, from Maven dependencies):");
    long t0 = System.nanoTime();
    DemoDatabase db;
    try {
      db = DemoDatabase.start(options.database(), line -> out.println("  " + line));
    } catch (RuntimeException e) {
      out.println();
      out.println("Could not start the database cluster: " + e.getMessage());
      return NOT_STARTED;
    }
    try (db) {
      Backends backends;
      try {
        backends = Backends.start(line -> out.println("  " + line));
      } catch (RuntimeException e) {
        out.println();
        out.println("Could not start the HTTP backends: " + e.getMessage());
        return NOT_STARTED;
      }
      try (backends; PricingService pricing = PricingService.over(backends)) {
        RoutingDataSource routing = db.routing(options.threads());
        OrderService orders = new OrderService(routing, db);
        try {
          orders.createSchema();
        } catch (SQLException e) {
          out.println("Could not create the orders table on the primary: " + e.getMessage());
          return NOT_STARTED;
        }
        awaitHealthy(routing, pricing);
        out.printf(Locale.ROOT, "All servers up in %.1f s. Running for %s with %d threads%s.%n",
            (System.nanoTime() - t0) / 1e9, DemoOptions.format(options.duration()), options.threads(),
            options.faults() ? ", faults on a schedule" : ", no faults");
        return runWorkload(db, backends, pricing, routing, orders);
      }
    }
  }

  private int runWorkload(DemoDatabase db, Backends backends, PricingService pricing, RoutingDataSource routing,
      OrderService orders) throws InterruptedException {
    String title = db.title() + ", HTTP backends a, b, c + backup";
    Tally tally = new Tally();
    startNanos = System.nanoTime();
    Instant startedAt = Instant.now();
    Recorder recorder = new Recorder(pricing.client(), routing, this::elapsedMillis);
    FaultSchedule schedule = new FaultSchedule(options.faults() ? faults(db, backends, pricing) : List.of(),
        options.duration(), this::elapsedMillis, (at, text) -> recorder.event(at, "fault", text));
    Workload workload = new Workload(orders, pricing, tally, schedule::phase, this::elapsedMillis,
        node -> !node.equals(DemoDatabase.NODES.get(0)), 10);
    ConsoleDashboard dashboard = new ConsoleDashboard(ansi);
    long lagLimit = db.lagLimit().toMillis();
    try {
      workload.start(options.threads());
      schedule.start();
      long total = options.duration().toMillis();
      long next = 1000;
      while (elapsedMillis() < total) {
        long wait = Math.min(next, total) - elapsedMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        next += 1000;
        RunRecord.Second second = recorder.sample();
        LiveView view = new LiveView(title, elapsedMillis(), total, second, recorder.recentEvents(EVENT_FEED),
            schedule.activeFaults(elapsedMillis()), lagLimit);
        out.print(dashboard.render(view));
        out.flush();
      }
    } finally {
      for (String stuck : workload.stop()) {
        out.println(stuck);
      }
      schedule.close();
    }
    long end = elapsedMillis();
    recorder.event(end, "demo", "workload stopped");
    for (String id : backends.duplicatePosts()) {
      tally.violation("POST " + id + " reached the backends more than once");
    }
    RunRecord.Summary summary = new RunRecord.Summary(tally.kinds(), tally.readsOnReplicas.sum(),
        tally.readsOnPrimary.sum(), tally.writesOnPrimary.sum(), tally.writesOnReplicas.sum(),
        tally.staleOwnReads.sum(), pricing.client().snapshot().retries(), pricing.client().snapshot().retriesRefused(),
        tally.violations());
    List<String> endpoints = pricing.client().endpoints().stream().map(e -> e.id()).toList();
    RunRecord record = new RunRecord(title, startedAt, endpoints, DemoDatabase.NODES, recorder.seconds(),
        recorder.events(), schedule.faults(end), tally.latencies(), summary, lagLimit);
    out.println();
    out.println(SummaryTable.render(summary));
    writeReport(record);
    return summary.passed() ? PASSED : FAILED;
  }

  private void writeReport(RunRecord record) {
    Path file = options.report().toAbsolutePath();
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      HtmlReport.write(record, file);
      out.println("Report: " + file.toUri());
    } catch (IOException | RuntimeException e) {
      out.println("Could not write the report to " + file + ": " + e);
    }
  }

  /** Waits (at most 20 s) until every replica and HTTP backend is healthy, so the run starts clean. */
  private void awaitHealthy(RoutingDataSource routing, PricingService pricing) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      RoutingSnapshot r = routing.snapshot();
      boolean dbReady = r.replicas().stream().allMatch(n -> n.state() == EndpointState.HEALTHY);
      boolean httpReady = pricing.client().snapshot().endpoints().stream().allMatch(e -> e.state() == EndpointState.HEALTHY);
      if (dbReady && httpReady) {
        return;
      }
      Thread.sleep(100);
    }
    out.println("  (not every replica and backend was healthy after 20 s; starting anyway)");
  }

  /**
   * The fault schedule, in seconds of a 60 s run (scaled to the run's length): two tracks that
   * overlap, HTTP and database, each fault announced when it begins and ends.
   */
  private static List<FaultSchedule.Window> faults(DemoDatabase db, Backends backends, PricingService pricing) {
    List<FaultSchedule.Window> w = new ArrayList<>();
    w.add(new FaultSchedule.Window("b returns 503", Backends.B, 5, 11,
        () -> backends.setMode(Backends.B, Backends.Mode.ERROR_503),
        () -> backends.setMode(Backends.B, Backends.Mode.OK), "b stops returning 503"));
    w.add(new FaultSchedule.Window("b resets connections", Backends.B, 11, 17,
        () -> backends.setMode(Backends.B, Backends.Mode.RESET),
        () -> backends.setMode(Backends.B, Backends.Mode.OK), "b recovers"));
    int weight = weightOf(Backends.C);
    w.add(new FaultSchedule.Window("c weight " + weight + " -> " + weight * 4, Backends.C, 20, 30,
        () -> pricing.client().setWeight(Backends.C, weight * 4),
        () -> pricing.client().setWeight(Backends.C, weight), "c weight back to " + weight));
    w.add(new FaultSchedule.Window("a, b, c down", "a,b,c", 36, 46,
        () -> {
          for (String id : List.of(Backends.A, Backends.B, Backends.C)) {
            backends.setMode(id, Backends.Mode.DOWN);
          }
        },
        () -> {
          for (String id : List.of(Backends.A, Backends.B, Backends.C)) {
            backends.setMode(id, Backends.Mode.OK);
          }
        }, "a, b, c back up"));
    String r1 = DemoDatabase.NODES.get(1);
    String r2 = DemoDatabase.NODES.get(2);
    w.add(new FaultSchedule.Window(r1 + " " + db.pauseName(), r1, 6, 16,
        () -> db.pauseReplay(1), () -> db.resumeReplay(1), r1 + " replays again"));
    w.add(new FaultSchedule.Window(r2 + " killed", r2, 22, 31,
        () -> db.kill(2), () -> db.restart(2), r2 + " restarted"));
    w.add(new FaultSchedule.Window(r1 + " frozen (SIGSTOP)", r1, 38, 48,
        () -> db.freeze(1), () -> db.thaw(1), r1 + " thawed (SIGCONT)"));
    return w;
  }

  private static int weightOf(String id) {
    for (Backends.Backend b : Backends.DEMO) {
      if (b.id().equals(id)) {
        return b.weight();
      }
    }
    throw new IllegalArgumentException("no backend " + id);
  }
}
