package io.rota.examples.demo.view;

import static io.rota.examples.demo.view.Markup.colour;
import static io.rota.examples.demo.view.Markup.esc;
import static io.rota.examples.demo.view.Markup.num;

import io.rota.examples.demo.RunRecord;
import io.rota.examples.demo.RunRecord.DbSample;
import io.rota.examples.demo.RunRecord.Fault;
import io.rota.examples.demo.RunRecord.HttpSample;
import io.rota.examples.demo.RunRecord.Latency;
import io.rota.examples.demo.RunRecord.Second;
import io.rota.examples.demo.view.TimeChart.Key;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/** The report's five SVG charts, each built from a {@link RunRecord}. Stateless. */
final class ReportCharts {

  private static final String FAULT_KEY_COLOUR = "#fce8b2";
  private static final int LANE = 20;
  private static final int LANE_GAP = 5;
  private static final int GROUP_GAP = 16;

  private ReportCharts() {}

  /** Returns the run's length in seconds: its last second, fault or event, at least 1. */
  static double length(RunRecord r) {
    long end = 1000;
    for (Second s : r.seconds()) {
      end = Math.max(end, s.atMillis());
    }
    for (Fault f : r.faults()) {
      end = Math.max(end, f.endMillis());
    }
    for (RunRecord.Event e : r.events()) {
      end = Math.max(end, e.atMillis());
    }
    return end / 1000.0;
  }

  /** Returns the HTTP endpoint ids: the record's list, then any others its samples name. */
  static List<String> httpIds(RunRecord r) {
    Set<String> ids = new LinkedHashSet<>(r.httpEndpoints());
    for (Second s : r.seconds()) {
      ids.addAll(ConsoleDashboard.httpOrder(s.http()));
    }
    return List.copyOf(ids);
  }

  /** Returns the database node ids: the record's list, then any others its samples name. */
  static List<String> dbIds(RunRecord r) {
    Set<String> ids = new LinkedHashSet<>(r.dbNodes());
    for (Second s : r.seconds()) {
      ids.addAll(ConsoleDashboard.dbOrder(s.db()));
    }
    return List.copyOf(ids);
  }

  /** (a) Requests per second per HTTP endpoint, one line each, fault windows shaded and labelled. */
  static String traffic(RunRecord r) {
    List<String> ids = httpIds(r);
    List<Key> keys = new ArrayList<>();
    double max = 0;
    for (int i = 0; i < ids.size(); i++) {
      keys.add(Key.line(ids.get(i), colour(i)));
    }
    faultKey(r, keys);
    for (Second s : r.seconds()) {
      for (HttpSample h : s.http().values()) {
        max = Math.max(max, h.requests());
      }
    }
    TimeChart c = new TimeChart("traffic", "HTTP requests per second per endpoint", length(r), keys, r.faults(), 220);
    c.valueAxis(max, "requests/s", 1);
    c.shadeFaults();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      c.series(id, colour(i), points(r, s -> s.http().get(id), h -> ((HttpSample) h).requests()), false, i, ids.size());
    }
    return c.finish();
  }

  /** (b) Reads (solid) and writes (dashed) per second per database node, faults shaded. */
  static String db(RunRecord r) {
    List<String> ids = dbIds(r);
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      keys.add(Key.line(ids.get(i), colour(i)));
    }
    keys.add(Key.line("reads", "#5f6368"));
    keys.add(Key.dash("writes", "#5f6368"));
    faultKey(r, keys);
    double max = 0;
    for (Second s : r.seconds()) {
      for (DbSample d : s.db().values()) {
        max = Math.max(max, Math.max(d.reads(), d.writes()));
      }
    }
    TimeChart c = new TimeChart("db", "Database reads and writes per second per node", length(r), keys, r.faults(), 200);
    c.valueAxis(max, "per second", 1);
    c.shadeFaults();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      c.series(id + " reads", colour(i), points(r, s -> s.db().get(id), d -> ((DbSample) d).reads()), false, i, ids.size());
      c.series(id + " writes", colour(i), points(r, s -> s.db().get(id), d -> ((DbSample) d).writes()), true, i, ids.size());
    }
    return c.finish();
  }

  /** (c) One lane per HTTP endpoint and database node, a coloured segment per run of one state. */
  static String states(RunRecord r) {
    List<String> http = httpIds(r);
    List<String> db = dbIds(r);
    Set<String> seen = new LinkedHashSet<>();
    for (Second s : r.seconds()) {
      for (String id : ConsoleDashboard.httpOrder(s.http())) {
        seen.add(s.http().get(id).state());
      }
      for (String id : ConsoleDashboard.dbOrder(s.db())) {
        seen.add(s.db().get(id).state());
      }
    }
    List<Key> keys = new ArrayList<>();
    for (String state : seen) {
      keys.add(Key.box(state, Markup.stateColour(state)));
    }
    if (!r.faults().isEmpty()) {
      keys.add(Key.outline("fault window on its target", "#e37400"));
    }
    int lanes = http.size() + db.size();
    int height = Math.max(LANE, lanes * (LANE + LANE_GAP) + (http.isEmpty() || db.isEmpty() ? 0 : GROUP_GAP));
    TimeChart c = new TimeChart("states", "Health state of each endpoint and node over time", length(r), keys, r.faults(), height);
    StringBuilder svg = c.svg();
    List<String> laneIds = new ArrayList<>();
    List<Double> laneTops = new ArrayList<>();
    double y = c.top() + LANE_GAP / 2.0;
    for (int i = 0; i < lanes; i++) {
      boolean isHttp = i < http.size();
      String id = isHttp ? http.get(i) : db.get(i - http.size());
      if (!isHttp && i == http.size() && !http.isEmpty()) {
        y += GROUP_GAP;
      }
      laneIds.add(id);
      laneTops.add(y);
      svg.append("<text class=\"lane-label\" x=\"").append(TimeChart.LEFT - 8).append("\" y=\"").append(num(y + 14))
          .append("\" text-anchor=\"end\">").append(esc(Markup.cut(id, 10))).append("<tspan class=\"lane-kind\" dx=\"4\">")
          .append(isHttp ? "http" : "db").append("</tspan><title>").append(esc(id)).append("</title></text>\n");
      segments(c, r, id, isHttp, y);
      y += LANE + LANE_GAP;
    }
    c.shadeFaults(f -> {
      int lane = laneIds.indexOf(f.target());
      return lane < 0 ? null : new double[] {laneTops.get(lane) - 2, laneTops.get(lane) + LANE + 2};
    }, true);
    return c.finish();
  }

  private static void segments(TimeChart c, RunRecord r, String id, boolean isHttp, double y) {
    List<Second> seconds = r.seconds();
    int i = 0;
    while (i < seconds.size()) {
      String[] first = stateOf(seconds.get(i), id, isHttp);
      if (first == null) {
        i++;
        continue;
      }
      String state = first[0];
      String reason = first[1];
      int j = i;
      String[] next;
      while (j + 1 < seconds.size() && (next = stateOf(seconds.get(j + 1), id, isHttp)) != null && state.equals(next[0])) {
        j++;
        if (reason == null) {
          reason = next[1];
        }
      }
      long from = Math.max(0, seconds.get(i).atMillis() - 1000);
      long to = seconds.get(j).atMillis();
      double x0 = c.x(from / 1000.0);
      double x1 = Math.max(x0 + 1, c.x(to / 1000.0));
      String title = id + ": " + state + " from " + ConsoleDashboard.seconds(from) + " to "
          + ConsoleDashboard.seconds(to) + (reason == null ? "" : " (" + reason + ")");
      c.svg().append("<rect class=\"segment\" data-lane=\"").append(esc(id)).append("\" data-state=\"").append(esc(state))
          .append("\" x=\"").append(num(x0)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(x1 - x0))
          .append("\" height=\"").append(LANE).append("\" fill=\"").append(Markup.stateColour(state)).append("\"><title>")
          .append(esc(title)).append("</title></rect>\n");
      i = j + 1;
    }
  }

  /** Returns the state and reason of lane {@code id} in second {@code s}, or {@code null} if it has no sample. */
  private static String @Nullable [] stateOf(Second s, String id, boolean isHttp) {
    if (isHttp) {
      HttpSample h = s.http().get(id);
      return h == null ? null : new String[] {h.state(), h.reason()};
    }
    DbSample d = s.db().get(id);
    return d == null ? null : new String[] {d.state(), d.reason()};
  }

  /** Returns the nodes the lag chart covers: every node after the primary, and any with a lag sample. */
  static List<String> lagNodes(RunRecord r) {
    List<String> ids = dbIds(r);
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0 || hasLag(r, ids.get(i))) {
        nodes.add(ids.get(i));
      }
    }
    return nodes;
  }

  private static boolean hasLag(RunRecord r, String id) {
    for (Second s : r.seconds()) {
      DbSample d = s.db().get(id);
      if (d != null && d.lagMillis() != null) {
        return true;
      }
    }
    return false;
  }

  /** (d) Replication lag per replica, the limit as a dashed line, faults shaded. */
  static String lag(RunRecord r) {
    List<String> all = dbIds(r);
    List<String> nodes = lagNodes(r);
    List<Key> keys = new ArrayList<>();
    double max = r.lagLimitMillis() * 1.25;
    for (String id : nodes) {
      String label = hasLag(r, id) ? id : id + " (no lag samples)";
      keys.add(Key.line(label, colour(all.indexOf(id))));
    }
    if (r.lagLimitMillis() > 0) {
      keys.add(Key.dash("limit " + ConsoleDashboard.lag(r.lagLimitMillis()), "#d93025"));
    }
    faultKey(r, keys);
    for (Second s : r.seconds()) {
      for (DbSample d : s.db().values()) {
        if (d.lagMillis() != null) {
          max = Math.max(max, d.lagMillis());
        }
      }
    }
    if (max <= 0) {
      max = 1000;
    }
    boolean inSeconds = max >= 5000;
    TimeChart c = new TimeChart("lag", "Replication lag per replica", length(r), keys, r.faults(), 180);
    c.valueAxis(max, inSeconds ? "lag (s)" : "lag (ms)", inSeconds ? 1000 : 1);
    c.shadeFaults();
    if (r.lagLimitMillis() > 0) {
      double py = c.y(r.lagLimitMillis());
      c.svg().append("<line class=\"limit\" x1=\"").append(TimeChart.LEFT).append("\" x2=\"")
          .append(TimeChart.WIDTH - TimeChart.RIGHT).append("\" y1=\"").append(num(py)).append("\" y2=\"").append(num(py))
          .append("\" stroke=\"#d93025\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>lag limit ")
          .append(ConsoleDashboard.lag(r.lagLimitMillis())).append("</title></line>\n");
    }
    for (String id : nodes) {
      List<double[]> pts = new ArrayList<>();
      for (Second s : r.seconds()) {
        DbSample d = s.db().get(id);
        Long lag = d == null ? null : d.lagMillis();
        pts.add(lag == null ? null : new double[] {s.atMillis() / 1000.0, lag});
      }
      c.series(id, colour(all.indexOf(id)), pts, false, nodes.indexOf(id), nodes.size());
    }
    return c.finish();
  }

  private static void faultKey(RunRecord r, List<Key> keys) {
    if (!r.faults().isEmpty()) {
      keys.add(Key.box("fault window", FAULT_KEY_COLOUR));
    }
  }

  /** Returns one point per second at the middle of the second, or {@code null} where there is no sample. */
  private static List<double[]> points(RunRecord r, Function<Second, @Nullable Object> sample, ToDoubleFunction<Object> value) {
    List<double[]> pts = new ArrayList<>(r.seconds().size());
    for (Second s : r.seconds()) {
      Object o = sample.apply(s);
      pts.add(o == null ? null : new double[] {(s.atMillis() - 500) / 1000.0, value.applyAsDouble(o)});
    }
    return pts;
  }

  /** (e) Grouped bars: per phase, per kind of request, its p50, p95 and p99 on a log scale. */
  static String latency(RunRecord r) {
    List<String> phases = new ArrayList<>(new LinkedHashSet<>(r.latencies().stream().map(Latency::phase).toList()));
    List<String> kinds = new ArrayList<>(new LinkedHashSet<>(r.latencies().stream().map(Latency::kind).toList()));
    int width = TimeChart.WIDTH;
    int left = 64;
    int right = TimeChart.RIGHT;
    int plotTop = 8 + 20 * legendRowsFor(kinds) + 26;
    int plotHeight = 220;
    int bottom = 44;
    int height = plotTop + plotHeight + bottom;
    StringBuilder svg = new StringBuilder(16_384);
    svg.append("<svg data-chart=\"latency\" role=\"img\" aria-label=\"Latency percentiles per phase and kind\" viewBox=\"0 0 ")
        .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    // legend: one colour per kind, then what the three shades mean
    double at = left;
    int row = 0;
    for (int k = 0; k < kinds.size(); k++) {
      double w = 28 + Markup.textWidth(kinds.get(k), 12) + 18;
      if (at + w > width - right && at > left) {
        row++;
        at = left;
      }
      svg.append("<g class=\"legend-item\"><rect x=\"").append(num(at)).append("\" y=\"").append(10 + row * 20)
          .append("\" width=\"20\" height=\"12\" fill=\"").append(colour(k)).append("\"/><text x=\"").append(num(at + 28))
          .append("\" y=\"").append(20 + row * 20).append("\">").append(esc(kinds.get(k))).append("</text></g>\n");
      at += w;
    }
    svg.append("<text class=\"note\" x=\"").append(left).append("\" y=\"").append(plotTop - 8)
        .append("\">each kind: p50, p95, p99 (darkest to lightest); log scale</text>\n");
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Latency l : r.latencies()) {
      for (double v : new double[] {l.p50Millis(), l.p95Millis(), l.p99Millis()}) {
        if (Double.isFinite(v) && v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    int lowDecade = max == 0 ? -1 : (int) Math.floor(Math.log10(min));
    int highDecade = max == 0 ? 3 : Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(max)));
    double span = highDecade - lowDecade;
    Function<Double, Double> yOf = v -> {
      double lv = Double.isFinite(v) && v > 0 ? Math.log10(v) : lowDecade;
      lv = Math.max(lowDecade, Math.min(highDecade, lv));
      return plotTop + plotHeight - plotHeight * (lv - lowDecade) / span;
    };
    svg.append("<rect class=\"plot-area\" x=\"").append(left).append("\" y=\"").append(plotTop).append("\" width=\"")
        .append(width - left - right).append("\" height=\"").append(plotHeight).append("\" fill=\"#fbfbfd\"/>\n");
    for (int d = lowDecade; d <= highDecade; d++) {
      double py = yOf.apply(Math.pow(10, d));
      svg.append("<line class=\"grid\" x1=\"").append(left).append("\" x2=\"").append(width - right).append("\" y1=\"")
          .append(num(py)).append("\" y2=\"").append(num(py)).append("\" stroke=\"#e3e5e8\"/><text class=\"tick\" x=\"")
          .append(left - 6).append("\" y=\"").append(num(py + 4)).append("\" text-anchor=\"end\">")
          .append(decadeLabel(d)).append("</text>\n");
    }
    svg.append("<text class=\"axis-label\" transform=\"translate(14 ").append(plotTop + plotHeight / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">latency (ms)</text>\n");
    if (phases.isEmpty()) {
      svg.append("<text class=\"empty\" x=\"").append(width / 2).append("\" y=\"").append(plotTop + plotHeight / 2)
          .append("\" text-anchor=\"middle\">no latency measured</text>\n");
    }
    double groupWidth = phases.isEmpty() ? 0 : (double) (width - left - right) / phases.size();
    double barWidth = kinds.isEmpty() ? 0 : Math.min(14, (groupWidth - 16) / (kinds.size() * 3 + (kinds.size() - 1) * 0.6));
    String[] shades = {"1", "0.62", "0.34"};
    for (int p = 0; p < phases.size(); p++) {
      double gx = left + p * groupWidth;
      double used = barWidth * (kinds.size() * 3 + (kinds.size() - 1) * 0.6);
      double bx = gx + (groupWidth - used) / 2;
      for (int k = 0; k < kinds.size(); k++) {
        Latency l = find(r.latencies(), phases.get(p), kinds.get(k));
        if (l != null) {
          double[] values = {l.p50Millis(), l.p95Millis(), l.p99Millis()};
          String[] names = {"p50", "p95", "p99"};
          for (int q = 0; q < 3; q++) {
            if (!Double.isFinite(values[q])) {
              continue; // not measured: no bar rather than one at the floor
            }
            double top = yOf.apply(values[q]);
            double bottomY = plotTop + plotHeight;
            svg.append("<rect class=\"bar\" data-phase=\"").append(esc(l.phase())).append("\" data-kind=\"").append(esc(l.kind()))
                .append("\" data-p=\"").append(names[q]).append("\" x=\"").append(num(bx + q * barWidth)).append("\" y=\"")
                .append(num(top)).append("\" width=\"").append(num(Math.max(1, barWidth - 1))).append("\" height=\"")
                .append(num(Math.max(1, bottomY - top))).append("\" fill=\"").append(colour(k)).append("\" fill-opacity=\"")
                .append(shades[q]).append("\"><title>").append(esc(l.phase() + ", " + l.kind() + ": " + names[q] + " "
                    + ms(values[q]))).append("</title></rect>\n");
          }
        }
        bx += barWidth * 3.6;
      }
      if (p > 0) {
        svg.append("<line x1=\"").append(num(gx)).append("\" x2=\"").append(num(gx)).append("\" y1=\"").append(plotTop)
            .append("\" y2=\"").append(plotTop + plotHeight + 6).append("\" stroke=\"#dadce0\"/>\n");
      }
      phaseLabel(svg, phases.get(p), gx + groupWidth / 2, plotTop + plotHeight + 15, groupWidth);
    }
    svg.append("<rect x=\"").append(left).append("\" y=\"").append(plotTop).append("\" width=\"").append(width - left - right)
        .append("\" height=\"").append(plotHeight).append("\" fill=\"none\" stroke=\"#9aa0a6\"/>\n</svg>\n");
    return svg.toString();
  }

  private static int legendRowsFor(List<String> kinds) {
    int rows = 1;
    double at = 64;
    for (String k : kinds) {
      double w = 28 + Markup.textWidth(k, 12) + 18;
      if (at + w > TimeChart.WIDTH - TimeChart.RIGHT && at > 64) {
        rows++;
        at = 64;
      }
      at += w;
    }
    return rows;
  }

  /** Writes a phase name under its group, on up to two lines that fit the group's width. */
  private static void phaseLabel(StringBuilder svg, String phase, double cx, int y, double width) {
    int perLine = Math.max(4, (int) (width / (11 * 0.56)) - 1);
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : phase.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > perLine) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    if (lines.size() > 2) {
      lines = List.of(lines.get(0), Markup.cut(String.join(" ", lines.subList(1, lines.size())), perLine));
    }
    svg.append("<text class=\"phase-label\" x=\"").append(num(cx)).append("\" y=\"").append(y).append("\" text-anchor=\"middle\">");
    for (int i = 0; i < lines.size(); i++) {
      svg.append("<tspan x=\"").append(num(cx)).append("\" dy=\"").append(i == 0 ? 0 : 13).append("\">")
          .append(esc(Markup.cut(lines.get(i), perLine))).append("</tspan>");
    }
    svg.append("<title>").append(esc(phase)).append("</title></text>\n");
  }

  private static String decadeLabel(int decade) {
    return decade >= 0 ? "1" + "0".repeat(decade) : "0." + "0".repeat(-decade - 1) + "1";
  }

  /** Returns the latency of {@code kind} in {@code phase}, or {@code null} if none was measured. */
  static @Nullable Latency find(List<Latency> latencies, String phase, String kind) {
    for (Latency l : latencies) {
      if (l.phase().equals(phase) && l.kind().equals(kind)) {
        return l;
      }
    }
    return null;
  }

  /** Returns a latency for people, e.g. {@code "12.3 ms"}. */
  static String ms(double millis) {
    if (!Double.isFinite(millis)) {
      return "-";
    }
    return millis >= 100 ? Math.round(millis) + " ms" : num(millis) + " ms";
  }
}
