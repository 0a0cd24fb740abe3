package io.rota.examples.demo;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the demo saw, in the form its console dashboard, summary and HTML report read: one
 * {@link Second} per second of the run, the events, the fault windows and latency per phase. Made by
 * the demo's recorder; immutable.
 *
 * @param title what ran, e.g. {@code "PostgreSQL primary + 2 streaming replicas, 3 HTTP backends + 1 backup"}
 * @param startedAt when the workload started (time 0 of every {@code atMillis})
 * @param httpEndpoints the HTTP endpoints, in the order the client has them
 * @param dbNodes the database nodes, the one that starts as the primary first
 * @param seconds one sample per second, in order
 * @param events what happened: state changes, faults starting and ending, weight changes
 * @param faults the fault windows (a fault still running at the end has {@code endMillis} = the run's length)
 * @param latencies latency percentiles per phase and kind of request
 * @param summary the end-of-run counters
 * @param lagLimitMillis the replicas' lag limit ({@code maxReplicationLag}) in milliseconds, or 0 when
 *     none was set; the report draws it over the lag chart
 */
public record RunRecord(
    String title,
    Instant startedAt,
    List<String> httpEndpoints,
    List<String> dbNodes,
    List<Second> seconds,
    List<Event> events,
    List<Fault> faults,
    List<Latency> latencies,
    Summary summary,
    long lagLimitMillis) {

  /** Copies the lists. */
  public RunRecord {
    if (lagLimitMillis < 0) {
      throw new IllegalArgumentException("lagLimitMillis: " + lagLimitMillis + " (expected: >= 0)");
    }
    httpEndpoints = List.copyOf(httpEndpoints);
    dbNodes = List.copyOf(dbNodes);
    seconds = List.copyOf(seconds);
    events = List.copyOf(events);
    faults = List.copyOf(faults);
    latencies = List.copyOf(latencies);
  }

  /** A record with no lag limit ({@link #lagLimitMillis()} = 0); the components as in the canonical constructor. */
  public RunRecord(
      String title,
      Instant startedAt,
      List<String> httpEndpoints,
      List<String> dbNodes,
      List<Second> seconds,
      List<Event> events,
      List<Fault> faults,
      List<Latency> latencies,
      Summary summary) {
    this(title, startedAt, httpEndpoints, dbNodes, seconds, events, faults, latencies, summary, 0);
  }

  /**
   * One second of the run.
   *
   * @param atMillis the end of the second, in milliseconds since {@link RunRecord#startedAt()}
   * @param http per HTTP endpoint id, what it did in that second and its state at its end
   * @param db per database node id, what it did in that second and its state at its end
   */
  public record Second(long atMillis, Map<String, HttpSample> http, Map<String, DbSample> db) {
    /** Copies the maps. */
    public Second {
      http = Map.copyOf(http);
      db = Map.copyOf(db);
    }
  }

  /**
   * One HTTP endpoint in one second.
   *
   * @param tier {@code PRIMARY} or {@code BACKUP}
   * @param weight the configured weight
   * @param effectiveWeight the weight selection used at the end of the second
   * @param state the health state ({@code HEALTHY}, {@code EJECTED}, {@code DOWN}, ...)
   * @param reason why it takes no traffic, or {@code null}
   * @param requests attempts sent to it in the second (retries included)
   * @param failures attempts that failed in the second
   * @param retries attempts sent to it in the second as a retry of an attempt that failed elsewhere
   */
  public record HttpSample(
      String tier,
      int weight,
      double effectiveWeight,
      String state,
      @Nullable String reason,
      long requests,
      long failures,
      long retries) {}

  /**
   * One database node in one second.
   *
   * @param role {@code PRIMARY}, {@code REPLICA} or {@code UNKNOWN}
   * @param state the health state
   * @param reason why it takes no reads, or {@code null}
   * @param reads read-only connections routed to it in the second
   * @param writes read-write connections routed to it in the second
   * @param lagMillis the replication lag at its last check, or {@code null} if unknown or the primary
   */
  public record DbSample(
      String role,
      String state,
      @Nullable String reason,
      long reads,
      long writes,
      @Nullable Long lagMillis) {}

  /**
   * Something that happened.
   *
   * @param atMillis when, since the start
   * @param source {@code "fault"}, {@code "http"}, {@code "db"} or {@code "demo"}
   * @param text one line, e.g. {@code "b EJECTED (5 consecutive failures)"}
   */
  public record Event(long atMillis, String source, String text) {}

  /**
   * A fault window.
   *
   * @param name short, e.g. {@code "b returns 503"}
   * @param target what it hits: an HTTP endpoint or database node id
   * @param startMillis when it began, since the start
   * @param endMillis when it ended, since the start
   */
  public record Fault(String name, String target, long startMillis, long endMillis) {}

  /**
   * Latency of one kind of request in one phase.
   *
   * @param phase the phase name: {@code "steady"} or the name of the fault running then
   * @param kind the kind of request, e.g. {@code "place order"}, {@code "price GET"}
   * @param count requests measured
   * @param p50Millis median
   * @param p95Millis 95th percentile
   * @param p99Millis 99th percentile
   * @param maxMillis the slowest
   */
  public record Latency(
      String phase, String kind, long count, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {}

  /**
   * Requests of one kind over the whole run.
   *
   * @param kind e.g. {@code "place order"}, {@code "list orders"}, {@code "own order"}, {@code "price GET"},
   *     {@code "quote POST"}
   * @param requests how many were made
   * @param failed how many failed (after Rota's retries and re-runs, and the demo's own)
   */
  public record KindCount(String kind, long requests, long failed) {}

  /**
   * The primary failover phase: the primary stopped, a replica promoted, and what the writes did in
   * between, as the workload saw it. Times are milliseconds since the start, {@code -1} for never.
   *
   * @param oldPrimary the node that was stopped
   * @param newPrimary the node that was promoted
   * @param stoppedMillis when the old primary was stopped
   * @param promotedMillis when the promotion returned, or -1 if it did not happen
   * @param lastOldCommitMillis the last commit on the old primary, or -1
   * @param firstRefusalMillis the first write Rota refused at once, or -1
   * @param lastRefusalMillis the last write Rota refused at once, or -1
   * @param refused writes Rota refused at once (no writable node)
   * @param slowestRefusalMillis the longest a refused write took to fail
   * @param failedOther writes that failed otherwise after the stop (in flight on the old primary, or
   *     routed to it before Rota saw it gone)
   * @param readsFailedOnOld reads that failed on the old primary as it stopped (kept there by
   *     read-your-writes, in flight then)
   * @param resumedMillis the first commit on the new primary, or -1 if writes did not resume
   * @param acknowledged orders whose commit was acknowledged over the whole run
   * @param missing acknowledged orders not found on the new primary at the end
   */
  public record Failover(
      String oldPrimary,
      String newPrimary,
      long stoppedMillis,
      long promotedMillis,
      long lastOldCommitMillis,
      long firstRefusalMillis,
      long lastRefusalMillis,
      long refused,
      long slowestRefusalMillis,
      long failedOther,
      long readsFailedOnOld,
      long resumedMillis,
      long acknowledged,
      long missing) {

    /** Whether a write committed on the new primary after its promotion. */
    public boolean resumed() {
      return resumedMillis >= 0 && promotedMillis >= 0;
    }

    /**
     * Returns one line for the summary, e.g. {@code "writes refused for 0.7 s; resumed on db-3 0.4 s
     * after the promotion"}.
     */
    public String gapLine() {
      String refusedPart = firstRefusalMillis < 0
          ? "no write refused by Rota"
          : String.format(Locale.ROOT, "writes refused for %.1f s", (lastRefusalMillis - firstRefusalMillis) / 1000.0);
      String resumedPart = !resumed()
          ? "writes did not resume on " + newPrimary
          : String.format(Locale.ROOT, "resumed on %s %.1f s after the promotion", newPrimary,
              (resumedMillis - promotedMillis) / 1000.0);
      return refusedPart + "; " + resumedPart;
    }
  }

  /**
   * The end-of-run counters, and what Rota promised and did not keep.
   *
   * @param kinds requests by kind, in a stable order
   * @param readsOnReplicas reads that ran on a replica (as the node that served them said)
   * @param readsOnPrimary reads that ran on the primary (fallback, read-your-writes)
   * @param writesOnPrimary write transactions committed on the primary
   * @param writesOnReplicas write statements that reached a replica: must be 0
   * @param staleOwnReads own orders not found right after placing them: must be 0 in causal mode
   * @param httpRetries attempts after the first, over all HTTP requests
   * @param retriesRefused retries the retry budget refused
   * @param violations each broken promise, one line each; empty when the run passed
   * @param failover what the primary failover did, or {@code null} when the run had none
   */
  public record Summary(
      List<KindCount> kinds,
      long readsOnReplicas,
      long readsOnPrimary,
      long writesOnPrimary,
      long writesOnReplicas,
      long staleOwnReads,
      long httpRetries,
      long retriesRefused,
      List<String> violations,
      @Nullable Failover failover) {
    /** Copies the lists. */
    public Summary {
      kinds = List.copyOf(kinds);
      violations = List.copyOf(violations);
    }

    /** A summary of a run without a failover; the components as in the canonical constructor. */
    public Summary(List<KindCount> kinds, long readsOnReplicas, long readsOnPrimary, long writesOnPrimary,
        long writesOnReplicas, long staleOwnReads, long httpRetries, long retriesRefused, List<String> violations) {
      this(kinds, readsOnReplicas, readsOnPrimary, writesOnPrimary, writesOnReplicas, staleOwnReads, httpRetries,
          retriesRefused, violations, null);
    }

    /** Whether every promise held. */
    public boolean passed() {
      return violations.isEmpty();
    }
  }
}
