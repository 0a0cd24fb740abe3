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

  /**
   * Events handed to the dashboard each second: the screen shows the last few, plain mode prints
   * each new one once, so this covers a busy second.
   */
  private static final int EVENT_FEED = 200;

  private final DemoOptions options;
  private final PrintStream out;
  private final boolean ansi;
  private long startNanos;
  /** When the failover phase stopped the primary and when the promotion returned, or -1. */
  private volatile long stoppedAtMillis = -1;
  private volatile long promotedAtMillis = -1;

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
        PrometheusEndpoint prometheus = null;
        if (options.prometheusPort() != null) {
          try {
            prometheus = new PrometheusEndpoint(options.prometheusPort(), routing, pricing.client());
          } catch (RuntimeException e) {
            out.println(e.getMessage());
            return NOT_STARTED;
          }
          out.println("Prometheus scrape: " + prometheus.url());
        }
        out.printf(Locale.ROOT, "All servers up in %.1f s: %s. Running for %s with %d threads%s.%n",
            (System.nanoTime() - t0) / 1e9, db.title(), DemoOptions.format(options.duration()), options.threads(),
            options.faults() ? ", faults on a schedule" : ", no faults");
        try {
          return runWorkload(db, backends, pricing, routing, orders);
        } finally {
          if (prometheus != null) {
            prometheus.close();
          }
        }
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
    List<FaultSchedule.Window> windows = new ArrayList<>();
    if (options.faults()) {
      windows.addAll(faults(db, backends, pricing));
      windows.addAll(failover(db, routing, tally));
    }
    FaultSchedule schedule = new FaultSchedule(windows, options.duration(), this::elapsedMillis,
        (at, text) -> recorder.event(at, "fault", text));
    Workload workload = new Workload(orders, pricing, tally, schedule::phase, this::elapsedMillis,
        node -> !node.equals(db.primaryNode()), 10);
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
    RunRecord.Failover failover = judgeWrites(db, orders, tally);
    RunRecord.Summary summary = new RunRecord.Summary(tally.kinds(), tally.readsOnReplicas.sum(),
        tally.readsOnPrimary.sum(), tally.writesOnPrimary.sum(), tally.writesOnReplicas.sum(),
        tally.staleOwnReads.sum(), pricing.client().snapshot().retries(), pricing.client().snapshot().retriesRefused(),
        tally.violations(), failover);
    List<String> endpoints = pricing.client().endpoints().stream().map(e -> e.id()).toList();
    RunRecord record = new RunRecord(title, startedAt, endpoints, DemoDatabase.NODES, recorder.seconds(),
        recorder.events(), schedule.faults(end), tally.latencies(), summary, lagLimit);
    out.println();
    out.println(SummaryTable.render(summary));
    writeReport(record);
    return summary.passed() ? PASSED : FAILED;
  }

  /**
   * Checks that no acknowledged write was lost (each is on the node that takes writes at the end)
   * and, when the primary was stopped, that writes resumed on the promoted node; returns what the
   * failover did, or {@code null} when the run had none.
   */
  private RunRecord.Failover judgeWrites(DemoDatabase db, OrderService orders, Tally tally) {
    java.util.Set<Long> acknowledged = tally.acknowledged();
    long missing = acknowledged.size();
    String checkedOn = db.primaryNode();
    try {
      OrderService.Stored stored = orders.storedIds();
      checkedOn = stored.node();
      List<Long> lost = new ArrayList<>();
      for (long id : acknowledged) {
        if (!stored.ids().contains(id)) {
          lost.add(id);
        }
      }
      missing = lost.size();
      if (!lost.isEmpty()) {
        java.util.Collections.sort(lost);
        tally.violation(lost.size() + " of " + acknowledged.size() + " acknowledged orders are missing on " + checkedOn
            + ", the primary at the end (first ids: " + lost.subList(0, Math.min(5, lost.size())) + ")");
      }
    } catch (SQLException e) {
      tally.violation("could not read the orders back from the primary at the end: " + Workload.oneLine(e));
    }
    if (stoppedAtMillis < 0) {
      return null;
    }
    String oldPrimary = DemoDatabase.NODES.get(0);
    String newPrimary = DemoDatabase.NODES.get(PROMOTED);
    long resumed = tally.firstCommitMillis(newPrimary);
    if (promotedAtMillis < 0) {
      tally.violation(newPrimary + " was not promoted after " + oldPrimary + " stopped (see the events)");
    } else if (resumed < 0) {
      tally.violation(String.format(Locale.ROOT, "writes did not resume on %s after its promotion at %.1f s",
          newPrimary, promotedAtMillis / 1000.0));
    }
    return new RunRecord.Failover(oldPrimary, newPrimary, stoppedAtMillis, promotedAtMillis,
        tally.lastCommitMillis(oldPrimary), tally.firstRefusalMillis(), tally.lastRefusalMillis(), tally.writesRefused.sum(),
        tally.slowestRefusalMillis(), tally.writesFailedInFailover.sum(), tally.readsFailedOnStoppedPrimary.sum(), resumed, acknowledged.size(), missing);
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
   * overlap, HTTP and database, each fault announced when it begins and ends; the failover phase
   * ({@link #failover}) follows them.
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

  /** The replica the failover phase promotes (db-3), and the one re-pointed to it (db-2). */
  private static final int PROMOTED = 2;
  private static final int REPOINTED = 1;

  /**
   * The last phase, from 50 s to the end (of the 60 s base run): the primary is stopped for good,
   * then 1.5 s later a replica is promoted and the other replica re-pointed to it, as an operator or
   * an HA tool (Patroni, repmgr, Orchestrator) does. It starts after the other database faults have
   * ended (the freeze ends at 48 s), and promotes the replica that has been up longest.
   */
  private List<FaultSchedule.Window> failover(DemoDatabase db, RoutingDataSource routing, Tally tally) {
    String old = DemoDatabase.NODES.get(0);
    String promoted = DemoDatabase.NODES.get(PROMOTED);
    String repointed = DemoDatabase.NODES.get(REPOINTED);
    FaultSchedule.Window stop = new FaultSchedule.Window(old + " (primary) stopped", old, 50, 60,
        () -> {
          stoppedAtMillis = elapsedMillis();
          tally.failoverFrom(stoppedAtMillis, old);
          db.stopPrimary();
        },
        () -> { }, old + " stays down to the end (" + db.rejoinHint(promoted) + ")");
    FaultSchedule.Window promote = new FaultSchedule.Window(promoted + " promoted, " + repointed + " follows it",
        promoted, 51.5, 60,
        () -> {
          // An HA tool promotes once it has found the primary gone; this one waits (at most 5 s) until
          // Rota has found it so too, so that the gap in which writes are refused shows in short runs.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (routing.snapshot().writesRefused() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          db.promote(PROMOTED);
          promotedAtMillis = elapsedMillis();
          db.repoint(REPOINTED, PROMOTED);
        },
        () -> { }, promoted + " stays the primary");
    return List.of(stop, promote);
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
