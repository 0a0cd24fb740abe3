package io.rota.examples.demo.view;

import io.rota.examples.demo.RunRecord.Failover;
import io.rota.examples.demo.RunRecord.KindCount;
import io.rota.examples.demo.RunRecord.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end-of-run summary as plain text: requests and failures by kind, then one {@code name: value}
 * line per counter, the failover phase when the run had one, then {@code RESULT: PASS}, or
 * {@code RESULT: FAIL} and one line per broken promise.
 * The lines {@code writes on replicas: <n>} and {@code stale own-reads: <n>} appear exactly so, for
 * scripts to grep (CI checks {@code writes on replicas: 0}). Stateless and thread-safe.
 */
public final class SummaryTable {

  /** The line that ends a passing run's summary. */
  public static final String PASS = "RESULT: PASS";
  /** The line that starts the list of broken promises of a failing run. */
  public static final String FAIL = "RESULT: FAIL";

  private SummaryTable() {}

  /**
   * Returns the summary of {@code s} as text, each line ending with a newline: a table of requests
   * by kind with a total, the counters, and the result with each violation on its own line.
   */
  public static String render(Summary s) {
    int kindWidth = "total".length();
    for (KindCount k : s.kinds()) {
      kindWidth = Math.max(kindWidth, flat(k.kind()).length());
    }
    String row = "  %-" + kindWidth + "s  %10s  %10s%n";
    StringBuilder out = new StringBuilder(1024).append("Summary\n");
    out.append(String.format(Locale.ROOT, row, "kind", "requests", "failed"));
    long requests = 0;
    long failed = 0;
    for (KindCount k : s.kinds()) {
      out.append(String.format(Locale.ROOT, row, flat(k.kind()), k.requests(), k.failed()));
      requests += k.requests();
      failed += k.failed();
    }
    out.append(String.format(Locale.ROOT, row, "total", requests, failed));
    out.append('\n');
    counter(out, "reads on replicas", s.readsOnReplicas());
    counter(out, "reads on primary", s.readsOnPrimary());
    counter(out, "writes on primary", s.writesOnPrimary());
    counter(out, "writes on replicas", s.writesOnReplicas());
    counter(out, "stale own-reads", s.staleOwnReads());
    counter(out, "HTTP retries", s.httpRetries());
    counter(out, "retries refused by the budget", s.retriesRefused());
    if (s.failover() != null) {
      out.append('\n');
      for (String line : failoverLines(s.failover())) {
        out.append(line).append('\n');
      }
    }
    out.append('\n');
    if (s.passed()) {
      out.append(PASS).append('\n');
    } else {
      out.append(FAIL).append('\n');
      for (String v : s.violations()) {
        out.append("  - ").append(flat(v)).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * Returns the failover phase in a few lines: when the primary stopped and the replica was
   * promoted, the gap ({@link Failover#gapLine()}), the writes refused and failed, and whether every
   * acknowledged write is on the new primary. The HTML report shows the same lines.
   */
  public static List<String> failoverLines(Failover f) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "failover: %s (primary) stopped at %.1f s; %s", f.oldPrimary(),
        f.stoppedMillis() / 1000.0, f.promotedMillis() < 0 ? f.newPrimary() + " not promoted"
            : String.format(Locale.ROOT, "%s promoted at %.1f s", f.newPrimary(), f.promotedMillis() / 1000.0)));
    lines.add(f.gapLine());
    lines.add(String.format(Locale.ROOT, "writes refused at once: %d (slowest %d ms); failed in flight on %s:"
        + " writes %d, reads %d", f.refused(), f.slowestRefusalMillis(), f.oldPrimary(), f.failedOther(),
        f.readsFailedOnOld()));
    lines.add(String.format(Locale.ROOT, "acknowledged writes missing on %s at the end: %d of %d", f.newPrimary(),
        f.missing(), f.acknowledged()));
    return lines;
  }

  private static void counter(StringBuilder out, String name, long value) {
    out.append(name).append(": ").append(value).append('\n');
  }

  /** Returns {@code text} on one line: line breaks become spaces, so one item stays one line. */
  private static String flat(String text) {
    return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }
}
