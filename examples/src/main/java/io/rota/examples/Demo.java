package io.rota.examples;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointSnapshot;
import io.rota.core.EndpointState;
import io.rota.core.Lease;
import io.rota.core.PoolSnapshot;
import io.rota.core.Tier;
import io.rota.core.event.PoolEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A tour of Rota in one program: weighted spreading, ejection of a failing endpoint, backup takeover
 * and recovery. The "servers" are in-process {@link Backend} objects, so it needs no network and
 * finishes in about a second. Run it from the repository root with
 * {@code mvn -q -pl examples -am compile exec:java}.
 */
public final class Demo {

  /** How long an ejected endpoint waits before it gets trial calls; short, as this is a demo. */
  static final Duration EJECTION_TIME = Duration.ofMillis(500);

  /** A stand-in for a remote server: handles requests until it is switched off. */
  static final class Backend {
    private final String name;
    volatile boolean up = true;

    Backend(String name) {
      this.name = name;
    }

    String handle() throws IOException {
      if (!up) {
        throw new IOException(name + " is down");
      }
      return "OK from " + name;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    run(System.out);
  }

  /** Runs the tour, printing to {@code out}, and returns what each step sent where. */
  static Result run(PrintStream out) throws InterruptedException {
    Backend alpha = new Backend("alpha");
    Backend bravo = new Backend("bravo");
    Backend charlie = new Backend("charlie");
    Backend spare = new Backend("spare");

    EndpointPoolConfig config = EndpointPoolConfig.custom()
        .consecutiveFailures(3)      // 3 failures in a row eject an endpoint (its breaker opens)
        .ejectionTime(EJECTION_TIME) // for 500 ms, twice as long each time it is ejected again;
        .halfOpenTrialCalls(3)       // then 3 trial calls decide whether it is back.
        .build();

    long t0 = System.nanoTime(); // event stamps come from System.nanoTime() (the default Ticker)
    try (EndpointPool<Backend> pool = EndpointPool.<Backend>builder("demo")
        .endpoint(Endpoint.of("alpha", alpha, 3))
        .endpoint(Endpoint.of("bravo", bravo, 2))
        .endpoint(Endpoint.of("charlie", charlie, 1))
        .endpoint(Endpoint.of("spare", spare, 1).withTier(Tier.BACKUP)) // only when no primary can
        .config(config)
        .build()) {
      // Listeners hear about every change. They run on the thread that made it (a caller reporting an
      // outcome, or the pool's timer thread), so keep them quick; two events from different threads a
      // moment apart may arrive out of order, but their time stamps are in the order they happened.
      pool.addListener(event -> out.println(describe(event, t0)));

      out.println("\n1. Traffic is spread by weight (3:2:1); the backup waits.");
      Tally weighted = send(pool, 6_000);
      printTally(out, pool, weighted);

      out.println("\n2. bravo goes down: 3 failures eject it, and alpha and charlie share its traffic.");
      bravo.up = false;
      Tally oneDown = send(pool, 3_000);
      printTally(out, pool, oneDown);

      out.println("\n3. alpha and charlie go down too: once they are ejected, the backup takes over.");
      alpha.up = false;
      charlie.up = false;
      Tally allDown = send(pool, 2_000);
      printTally(out, pool, allDown);

      out.println("\n4. alpha comes back. Traffic keeps flowing; when alpha's ejection time is over it "
          + "takes trial calls,\n   and once they succeed the primaries take over again. bravo and "
          + "charlie fail their trials\n   and are ejected for longer each time.");
      alpha.up = true;
      long waitStart = System.nanoTime();
      Tally recovering = sendUntilHealthy(pool, "alpha", Duration.ofSeconds(10));
      out.printf("   alpha is healthy again after %d ms; meanwhile %d requests, %d to the backup.%n",
          (System.nanoTime() - waitStart) / 1_000_000, recovering.total(), recovering.requests("spare"));
      Tally recovered = send(pool, 2_000);
      printTally(out, pool, recovered);

      out.println("\n5. The pool's own view: pool.snapshot()");
      PoolSnapshot snapshot = pool.snapshot();
      printSnapshot(out, snapshot);
      return new Result(weighted, oneDown, allDown, recovering, recovered, snapshot);
    } // close() stops the pool's timers and threads
  }

  /** Sends {@code n} requests the way an application does: pick, call, report the outcome. */
  static Tally send(EndpointPool<Backend> pool, int n) {
    Tally tally = new Tally();
    for (int i = 0; i < n; i++) {
      try (Lease<Backend> lease = pool.acquire()) {
        try {
          lease.endpoint().address().handle();
          lease.success();
          tally.record(lease.endpoint().id(), false);
        } catch (IOException e) {
          lease.failure(e); // a real client would now retry on another endpoint
          tally.record(lease.endpoint().id(), true);
        }
      }
    }
    return tally;
  }

  /** Keeps a trickle of traffic going until the endpoint is healthy; fails after {@code timeout}. */
  static Tally sendUntilHealthy(EndpointPool<Backend> pool, String id, Duration timeout)
      throws InterruptedException {
    Tally tally = new Tally();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pool.snapshot().endpoint(id).state() != EndpointState.HEALTHY) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(id + " did not recover within " + timeout + ": " + pool.snapshot());
      }
      tally.add(send(pool, 10));
      Thread.sleep(5); // about 2,000 requests a second
    }
    return tally;
  }

  private static String describe(PoolEvent event, long t0) {
    String at = String.format("   event at %4d ms: ", (event.tickerNanos() - t0) / 1_000_000);
    if (event instanceof PoolEvent.StateChanged e) {
      return at + e.endpointId() + " " + e.from() + " -> " + e.to()
          + (e.cause().isEmpty() ? "" : " (" + e.cause() + ")");
    }
    if (event instanceof PoolEvent.ServingTierChanged e) {
      return at + "serving tier is now " + (e.tier() == null ? "none" : e.tier()) + (e.panic() ? " (panic)" : "");
    }
    return at + event;
  }

  /** Prints requests per endpoint beside the share the pool aims for now (its effective weights). */
  private static void printTally(PrintStream out, EndpointPool<Backend> pool, Tally tally) {
    PoolSnapshot snapshot = pool.snapshot();
    double totalWeight = snapshot.endpoints().stream().mapToDouble(EndpointSnapshot::effectiveWeight).sum();
    StringBuilder sb = new StringBuilder(String.format("   %-8s %-8s %6s %9s %7s %7s %9s%n",
        "endpoint", "tier", "weight", "requests", "failed", "share", "expected"));
    for (EndpointSnapshot e : snapshot.endpoints()) {
      sb.append(String.format("   %-8s %-8s %6d %9d %7d %6.1f%% %8.1f%%%n", e.id(), label(e.tier()), e.weight(),
          tally.requests(e.id()), tally.failures(e.id()), 100.0 * tally.requests(e.id()) / tally.total(),
          100.0 * e.effectiveWeight() / totalWeight));
    }
    out.print(sb); // one print, so that events from other threads do not land inside the table
  }

  private static void printSnapshot(PrintStream out, PoolSnapshot snapshot) {
    StringBuilder sb = new StringBuilder(String.format("   serving tier: %s, panic: %s%n",
        snapshot.servingTier(), snapshot.panic()));
    sb.append(String.format("   %-8s %-8s %-9s %6s %9s %9s %7s %9s%n",
        "endpoint", "tier", "state", "weight", "effective", "successes", "failures", "ejections"));
    for (EndpointSnapshot e : snapshot.endpoints()) {
      sb.append(String.format("   %-8s %-8s %-9s %6d %9.1f %9d %7d %9d%n", e.id(), label(e.tier()), e.state(),
          e.weight(), e.effectiveWeight(), e.successes(), e.failures(), e.ejections()));
    }
    out.print(sb);
  }

  private static String label(Tier tier) {
    return tier.name().toLowerCase(Locale.ROOT);
  }

  /** Requests and failures per endpoint id over one step of the demo. */
  static final class Tally {
    private final Map<String, Integer> requests = new LinkedHashMap<>();
    private final Map<String, Integer> failures = new LinkedHashMap<>();

    void record(String id, boolean failed) {
      requests.merge(id, 1, Integer::sum);
      failures.merge(id, failed ? 1 : 0, Integer::sum);
    }

    void add(Tally other) {
      other.requests.forEach((id, n) -> requests.merge(id, n, Integer::sum));
      other.failures.forEach((id, n) -> failures.merge(id, n, Integer::sum));
    }

    int requests(String id) {
      return requests.getOrDefault(id, 0);
    }

    int failures(String id) {
      return failures.getOrDefault(id, 0);
    }

    int total() {
      return requests.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** What each step of the demo sent where, and the pool's state at the end. */
  record Result(Tally weighted, Tally oneDown, Tally allDown, Tally recovering, Tally recovered, PoolSnapshot end) {}

  private Demo() {}
}
