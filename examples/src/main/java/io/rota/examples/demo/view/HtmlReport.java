package io.rota.examples.demo.view;

import static io.rota.examples.demo.view.Markup.esc;

import io.rota.examples.demo.RunRecord;
import io.rota.examples.demo.RunRecord.Event;
import io.rota.examples.demo.RunRecord.Fault;
import io.rota.examples.demo.RunRecord.KindCount;
import io.rota.examples.demo.RunRecord.Latency;
import io.rota.examples.demo.RunRecord.Summary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The demo's report: one self-contained HTML file (inline CSS and SVG, no script, no fonts or anything
 * else from the network) that opens in any browser. It shows the summary with PASS or FAIL, then
 * (a) HTTP traffic per endpoint over time with the fault windows shaded and labelled, (b) database
 * reads and writes per node, (c) a state timeline with one lane per endpoint and node, (d) replica lag
 * with the limit, (e) latency percentiles per phase as grouped bars and a table, and the fault and
 * event lists.
 *
 * <p>Every chart is an {@code <svg data-chart="traffic|db|states|lag|latency">}; its parts carry the
 * classes {@code series} (a line), {@code fault} (a shaded window; one per fault in {@code traffic},
 * {@code db}, {@code states} and {@code lag}), {@code segment} (a run of one state) and {@code bar}
 * (a latency bar), so tools and tests can count them. All text from the record is HTML-escaped.
 * Stateless and thread-safe.
 */
public final class HtmlReport {

  private static final DateTimeFormatter STARTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#202124;",
      "background:#fff;margin:0 auto;max-width:1000px;padding:16px 20px 48px;line-height:1.4}",
      "h1{font-size:24px;margin:8px 0 2px}h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #dadce0;padding-bottom:4px}",
      ".subtitle{color:#5f6368;margin:0 0 8px}.note{color:#5f6368;font-size:13px;margin:2px 0 6px}",
      ".badge{display:inline-block;font-weight:700;padding:2px 10px;border-radius:4px;color:#fff}",
      ".pass{background:#188038}.fail{background:#c5221f}",
      "table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{padding:3px 10px;text-align:left;",
      "border-bottom:1px solid #eceff1}th{background:#f1f3f4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}",
      "tr.must td{font-weight:600}tr.must.bad td{color:#c5221f}tr.must.ok td:last-child{color:#188038}",
      ".violations li{color:#c5221f}.cols{display:flex;gap:32px;flex-wrap:wrap;align-items:flex-start}",
      "svg{display:block;max-width:100%;height:auto;font-size:12px;fill:#202124}",
      "svg .tick{font-size:11px;fill:#5f6368}svg .axis-label{font-size:12px;fill:#3c4043}",
      "svg .lane-kind{font-size:10px;fill:#80868b}svg .phase-label{font-size:11px;fill:#3c4043}",
      "svg .note{font-size:11px;fill:#5f6368}svg .empty{fill:#80868b}",
      "td.src-fault{color:#b06000;font-weight:600}td.time{white-space:nowrap}",
      "nav a{margin-right:12px;font-size:14px;color:#1a73e8;text-decoration:none}");

  private HtmlReport() {}

  /**
   * Writes the report of {@code record} to {@code file} in UTF-8, replacing the file if it exists and
   * creating its parent directories.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(RunRecord record, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, render(record), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Returns the report of {@code record} as one HTML document. */
  public static String render(RunRecord record) {
    Summary s = record.summary();
    StringBuilder html = new StringBuilder(128 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Rota demo report: ").append(esc(record.title())).append("</title>\n")
        .append("<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
    html.append("<header>\n<h1>Rota demo report</h1>\n<p class=\"subtitle\">").append(esc(record.title())).append("</p>\n")
        .append("<p>Started ").append(esc(STARTED.format(record.startedAt()))).append(", ran ")
        .append(esc(ConsoleDashboard.seconds(Math.round(ReportCharts.length(record) * 1000)))).append(". ")
        .append(s.passed() ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>")
        .append("</p>\n</header>\n");
    html.append("<nav><a href=\"#summary\">Summary</a><a href=\"#traffic\">HTTP traffic</a><a href=\"#db\">Database</a>")
        .append("<a href=\"#states\">States</a><a href=\"#lag\">Lag</a><a href=\"#latency\">Latency</a>")
        .append("<a href=\"#events\">Events</a></nav>\n");
    summary(html, s);
    section(html, "traffic", "HTTP traffic per endpoint",
        "Attempts per second sent to each endpoint (retries included). Shaded: fault windows.",
        ReportCharts.traffic(record));
    section(html, "db", "Database reads and writes per node",
        "Read-only connections (solid) and read-write connections (dashed) routed to each node per second.",
        ReportCharts.db(record));
    section(html, "states", "Health states over time",
        "One lane per HTTP endpoint and database node; hover a segment for its reason. Outlined: fault windows on their target.",
        ReportCharts.states(record));
    section(html, "lag", "Replica lag",
        "Replication lag at each check" + (record.lagLimitMillis() > 0
            ? "; dashed: the limit above which a replica takes no reads (" + ConsoleDashboard.lag(record.lagLimitMillis()) + ")."
            : "; no lag limit was set."),
        ReportCharts.lag(record));
    section(html, "latency", "Latency per phase",
        "Percentiles per phase of the run and kind of request.", ReportCharts.latency(record));
    latencyTable(html, record);
    faultsAndEvents(html, record);
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void section(StringBuilder html, String id, String heading, String note, String svg) {
    html.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(heading)).append("</h2>\n<p class=\"note\">")
        .append(esc(note)).append("</p>\n").append(svg).append("</section>\n");
  }

  /** (f) The summary: requests by kind, the counters (those that must be 0 marked), PASS or FAIL. */
  private static void summary(StringBuilder html, Summary s) {
    html.append("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cols\">\n");
    html.append("<table class=\"kinds\">\n<tr><th>kind</th><th class=\"n\">requests</th><th class=\"n\">failed</th></tr>\n");
    long requests = 0;
    long failed = 0;
    for (KindCount k : s.kinds()) {
      html.append("<tr><td>").append(esc(k.kind())).append("</td><td class=\"n\">").append(k.requests())
          .append("</td><td class=\"n\">").append(k.failed()).append("</td></tr>\n");
      requests += k.requests();
      failed += k.failed();
    }
    html.append("<tr><th>total</th><th class=\"n\">").append(requests).append("</th><th class=\"n\">").append(failed)
        .append("</th></tr>\n</table>\n");
    html.append("<table class=\"counters\">\n");
    counter(html, "reads on replicas", s.readsOnReplicas(), false);
    counter(html, "reads on primary", s.readsOnPrimary(), false);
    counter(html, "writes on primary", s.writesOnPrimary(), false);
    counter(html, "writes on replicas (must be 0)", s.writesOnReplicas(), true);
    counter(html, "stale own-reads (must be 0 in causal mode)", s.staleOwnReads(), true);
    counter(html, "HTTP retries", s.httpRetries(), false);
    counter(html, "retries refused by the budget", s.retriesRefused(), false);
    html.append("</table>\n</div>\n");
    if (s.failover() != null) {
      html.append("<h3>Primary failover</h3>\n<ul class=\"failover\">\n");
      for (String line : SummaryTable.failoverLines(s.failover())) {
        html.append("<li>").append(esc(line)).append("</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("<p class=\"result\">").append(s.passed()
        ? "<span class=\"badge pass\">RESULT: PASS</span> every promise held."
        : "<span class=\"badge fail\">RESULT: FAIL</span>").append("</p>\n");
    if (!s.passed()) {
      html.append("<ul class=\"violations\">\n");
      for (String v : s.violations()) {
        html.append("<li>").append(esc(v)).append("</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("</section>\n");
  }

  private static void counter(StringBuilder html, String name, long value, boolean mustBeZero) {
    html.append(mustBeZero ? (value == 0 ? "<tr class=\"must ok\">" : "<tr class=\"must bad\">") : "<tr>")
        .append("<td>").append(esc(name)).append("</td><td class=\"n\">").append(value).append("</td></tr>\n");
  }

  /** (e) The numbers behind the latency bars. */
  private static void latencyTable(StringBuilder html, RunRecord r) {
    html.append("<table class=\"latencies\">\n<tr><th>phase</th><th>kind</th><th class=\"n\">count</th>")
        .append("<th class=\"n\">p50</th><th class=\"n\">p95</th><th class=\"n\">p99</th><th class=\"n\">max</th></tr>\n");
    for (Latency l : r.latencies()) {
      html.append("<tr><td>").append(esc(l.phase())).append("</td><td>").append(esc(l.kind())).append("</td><td class=\"n\">")
          .append(l.count()).append("</td><td class=\"n\">").append(ReportCharts.ms(l.p50Millis()))
          .append("</td><td class=\"n\">").append(ReportCharts.ms(l.p95Millis())).append("</td><td class=\"n\">")
          .append(ReportCharts.ms(l.p99Millis())).append("</td><td class=\"n\">").append(ReportCharts.ms(l.maxMillis()))
          .append("</td></tr>\n");
    }
    if (r.latencies().isEmpty()) {
      html.append("<tr><td colspan=\"7\">no latency measured</td></tr>\n");
    }
    html.append("</table>\n");
  }

  /** (g) The fault windows and every event, in order. */
  private static void faultsAndEvents(StringBuilder html, RunRecord r) {
    html.append("<section id=\"events\">\n<h2>Faults and events</h2>\n<table class=\"faults\">\n")
        .append("<tr><th>fault</th><th>target</th><th class=\"n\">from</th><th class=\"n\">to</th></tr>\n");
    for (Fault f : r.faults()) {
      html.append("<tr><td>").append(esc(f.name())).append("</td><td>").append(esc(f.target())).append("</td><td class=\"n\">")
          .append(ConsoleDashboard.seconds(f.startMillis())).append("</td><td class=\"n\">")
          .append(ConsoleDashboard.seconds(f.endMillis())).append("</td></tr>\n");
    }
    if (r.faults().isEmpty()) {
      html.append("<tr><td colspan=\"4\">no faults</td></tr>\n");
    }
    html.append("</table>\n<table class=\"events\">\n<tr><th class=\"n\">time</th><th>source</th><th>event</th></tr>\n");
    for (Event e : r.events()) {
      html.append("<tr class=\"event\"><td class=\"n time\">").append(esc(ConsoleDashboard.seconds(e.atMillis())))
          .append("</td><td class=\"src-").append(e.source().matches("[a-z]+") ? e.source() : "other").append("\">")
          .append(esc(e.source())).append("</td><td>").append(esc(e.text())).append("</td></tr>\n");
    }
    if (r.events().isEmpty()) {
      html.append("<tr><td colspan=\"3\">no events</td></tr>\n");
    }
    html.append("</table>\n</section>\n");
  }
}
