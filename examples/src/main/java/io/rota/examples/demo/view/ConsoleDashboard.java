package io.rota.examples.demo.view;

import io.rota.examples.demo.RunRecord.DbSample;
import io.rota.examples.demo.RunRecord.Event;
import io.rota.examples.demo.RunRecord.Fault;
import io.rota.examples.demo.RunRecord.HttpSample;
import io.rota.examples.demo.RunRecord.Second;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Draws the demo's live dashboard from a {@link LiveView}, about once a second: per HTTP endpoint its
 * tier, weight, effective weight, state and reason, share of the last second's traffic, errors and
 * retries; per database node its role, state and reason, reads and writes per second and lag; and the
 * latest events.
 *
 * <p>Two forms: {@link #frame} is a whole ANSI screen (clear, home, colours by state, a fixed-width
 * table no wider than {@value #WIDTH} columns); {@link #plainLine} is a few compact lines with no escape
 * codes, for pipes and CI logs, followed by the events not printed before. {@link #render} picks the
 * form chosen at construction (see {@link Terminal}).
 *
 * <p>Endpoints are listed primary tier first, then by id; nodes primary first, then by id. A share is
 * the endpoint's attempts divided by all attempts in that second.
 *
 * <p>{@link #frame} is a pure function. {@link #plainLine} remembers the events it printed (those of
 * the last view it got; the recent-events window must overlap from one call to the next), so an
 * instance is not thread-safe: call it from the one thread that redraws.
 */
public final class ConsoleDashboard {

  /** The widest line {@link #frame} draws, in columns. */
  public static final int WIDTH = 100;
  /** How many of the latest events the frame's feed shows. */
  public static final int FEED_LINES = 8;

  private static final String ESC = "\u001b[";
  private static final String CLEAR_HOME = ESC + "2J" + ESC + "H";
  private static final String RESET = ESC + "0m";
  private static final String BOLD = ESC + "1m";
  private static final String DIM = ESC + "2m";
  private static final String RED = ESC + "31m";
  private static final String GREEN = ESC + "32m";
  private static final String YELLOW = ESC + "33m";
  private static final String BLUE = ESC + "34m";
  private static final String MAGENTA = ESC + "35m";
  private static final String CYAN = ESC + "36m";
  private static final int BAR = 6;

  private final boolean ansi;
  /** The events of the last list {@link #plainLine} saw, with how often each occurred. */
  private final Map<Event, Integer> printed = new HashMap<>();

  /**
   * Creates a dashboard.
   *
   * @param ansi whether {@link #render} draws ANSI frames ({@code true}) or plain lines
   */
  public ConsoleDashboard(boolean ansi) {
    this.ansi = ansi;
  }

  /** Returns {@link #frame} or {@link #plainLine} of {@code view}, as chosen at construction. */
  public String render(LiveView view) {
    return ansi ? frame(view) : plainLine(view);
  }

  /**
   * Returns a whole ANSI screen for {@code view}: clear and home, then the table and the event feed;
   * every line at most {@value #WIDTH} columns wide (escape codes aside).
   */
  public String frame(LiveView view) {
    StringBuilder out = new StringBuilder(4096).append(CLEAR_HOME);
    line(out, BOLD, clip("Rota demo: " + view.title(), WIDTH));
    line(out, "", progress(view));
    String faults = view.activeFaults().isEmpty() ? "faults: none" : "faults: " + faultNames(view.activeFaults());
    line(out, view.activeFaults().isEmpty() ? DIM : YELLOW, clip(faults, WIDTH));
    out.append('\n');
    Second s = view.latest();
    if (s == null) {
      line(out, DIM, "waiting for the first second of traffic...");
    } else {
      httpTable(out, s);
      out.append('\n');
      dbTable(out, s, view.lagLimitMillis());
    }
    out.append('\n');
    line(out, BOLD, "Events");
    List<Event> events = view.recentEvents();
    if (events.isEmpty()) {
      line(out, DIM, "  none yet");
    }
    for (Event e : events.subList(Math.max(0, events.size() - FEED_LINES), events.size())) {
      String text = String.format(Locale.ROOT, "%8s  %-5s  %s", seconds(e.atMillis()), e.source(), e.text());
      line(out, colourOfSource(e.source()), clip(text, WIDTH));
    }
    return out.toString();
  }

  /**
   * Returns the plain form of {@code view}: one line for HTTP, one for the database, one for the
   * faults running now, then one line per event not printed by an earlier call; no escape codes. Each
   * line ends with a newline.
   */
  public String plainLine(LiveView view) {
    String at = "[" + seconds(view.elapsedMillis())
        + (view.totalMillis() > 0 ? "/" + seconds(view.totalMillis()) : "") + "] ";
    StringBuilder out = new StringBuilder(512);
    Second s = view.latest();
    if (s == null) {
      out.append(at).append("waiting for the first second of traffic\n");
    } else {
      long total = totalRequests(s);
      long failures = 0;
      long retries = 0;
      List<String> parts = new ArrayList<>();
      for (String id : httpOrder(s.http())) {
        HttpSample h = s.http().get(id);
        failures += h.failures();
        retries += h.retries();
        parts.add(id + " " + percent(h.requests(), total) + " " + h.state() + because(h.reason()));
      }
      out.append(at).append("http: ").append(String.join(", ", parts))
          .append(" | ").append(total).append(" req/s, ").append(failures).append(" failed, ")
          .append(retries).append(" retries\n");
      parts.clear();
      for (String id : dbOrder(s.db())) {
        DbSample d = s.db().get(id);
        parts.add(id + " " + d.role() + " " + d.state() + because(d.reason())
            + " r" + d.reads() + " w" + d.writes() + (d.lagMillis() == null ? "" : " lag " + lag(d.lagMillis())));
      }
      out.append(at).append("db: ").append(parts.isEmpty() ? "no nodes" : String.join(", ", parts)).append('\n');
    }
    if (!view.activeFaults().isEmpty()) {
      out.append(at).append("faults: ").append(faultNames(view.activeFaults())).append('\n');
    }
    for (Event e : unprinted(view.recentEvents())) {
      out.append(at).append("event ").append(seconds(e.atMillis())).append(' ')
          .append(e.source()).append(": ").append(e.text().replace('\n', ' ').replace('\r', ' ')).append('\n');
    }
    return out.toString().replace('\u001b', '?'); // text from the run never carries escape codes out
  }

  /**
   * Returns the events of {@code events} that the previous call's list did not have, and remembers
   * this list. Comparing whole lists (not times) keeps an event that arrived late, with an earlier time
   * stamp than one already printed, and two equal events in one millisecond.
   */
  private List<Event> unprinted(List<Event> events) {
    Map<Event, Integer> before = new HashMap<>(printed);
    List<Event> fresh = new ArrayList<>();
    for (Event e : events) {
      Integer left = before.get(e);
      if (left == null || left == 0) {
        fresh.add(e);
      } else {
        before.put(e, left - 1);
      }
    }
    printed.clear();
    for (Event e : events) {
      printed.merge(e, 1, Integer::sum);
    }
    return fresh;
  }

  private static void httpTable(StringBuilder out, Second s) {
    line(out, BOLD, String.format(Locale.ROOT, "%-12s %-7s %6s %5s %-9s %-11s %6s %5s %5s  %s",
        "HTTP", "tier", "weight", "eff", "state", "share", "req/s", "err", "retry", "reason"));
    long total = totalRequests(s);
    for (String id : httpOrder(s.http())) {
      HttpSample h = s.http().get(id);
      double share = total == 0 ? 0 : (double) h.requests() / total;
      int filled = (int) Math.round(share * BAR);
      String bar = "#".repeat(filled) + ".".repeat(BAR - filled);
      out.append(String.format(Locale.ROOT, "%-12s %-7s %6d %5s ",
          clip(id, 12), clip(h.tier(), 7), h.weight(), effective(h.effectiveWeight())));
      out.append(colourOfState(h.state())).append(String.format(Locale.ROOT, "%-9s", clip(h.state(), 9))).append(RESET);
      out.append(String.format(Locale.ROOT, " %4s %s %6d ", percent(h.requests(), total), bar, h.requests()));
      out.append(h.failures() > 0 ? RED : "").append(String.format(Locale.ROOT, "%5d", h.failures()))
          .append(h.failures() > 0 ? RESET : "");
      out.append(String.format(Locale.ROOT, " %5d  ", h.retries()));
      out.append(DIM).append(clip(h.reason() == null ? "" : h.reason(), WIDTH - 76)).append(RESET).append('\n');
    }
  }

  private static void dbTable(StringBuilder out, Second s, long lagLimitMillis) {
    line(out, BOLD, String.format(Locale.ROOT, "%-12s %-7s %-9s %8s %8s %9s  %s",
        "DB", "role", "state", "reads/s", "writes/s", "lag", "reason"));
    for (String id : dbOrder(s.db())) {
      DbSample d = s.db().get(id);
      out.append(String.format(Locale.ROOT, "%-12s %-7s ", clip(id, 12), clip(d.role(), 7)));
      out.append(colourOfState(d.state())).append(String.format(Locale.ROOT, "%-9s", clip(d.state(), 9))).append(RESET);
      out.append(String.format(Locale.ROOT, " %8d ", d.reads()));
      boolean badWrite = d.writes() > 0 && !"PRIMARY".equals(d.role());
      out.append(badWrite ? RED : "").append(String.format(Locale.ROOT, "%8d", d.writes())).append(badWrite ? RESET : "");
      Long lag = d.lagMillis();
      boolean over = lag != null && lagLimitMillis > 0 && lag > lagLimitMillis;
      out.append(' ').append(over ? YELLOW : "")
          .append(String.format(Locale.ROOT, "%9s", lag == null ? "-" : lag(lag))).append(over ? RESET : "");
      out.append("  ").append(DIM).append(clip(d.reason() == null ? "" : d.reason(), WIDTH - 60)).append(RESET).append('\n');
    }
  }

  private static String progress(LiveView view) {
    String head = "t = " + seconds(view.elapsedMillis());
    if (view.totalMillis() <= 0) {
      return head;
    }
    int width = 40;
    double done = Math.min(1, (double) view.elapsedMillis() / view.totalMillis());
    int filled = (int) Math.round(done * width);
    return head + " of " + seconds(view.totalMillis()) + "  [" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }

  private static void line(StringBuilder out, String colour, String text) {
    if (colour.isEmpty()) {
      out.append(text).append('\n');
    } else {
      out.append(colour).append(text).append(RESET).append('\n');
    }
  }

  /** Returns the HTTP endpoint ids of {@code http}, primary tier first, then by id. */
  static List<String> httpOrder(Map<String, HttpSample> http) {
    List<String> ids = new ArrayList<>(http.keySet());
    ids.sort(Comparator.comparing((String id) -> !"PRIMARY".equals(http.get(id).tier())).thenComparing(id -> id));
    return ids;
  }

  /** Returns the node ids of {@code db}, the primary first, then by id. */
  static List<String> dbOrder(Map<String, DbSample> db) {
    List<String> ids = new ArrayList<>(db.keySet());
    ids.sort(Comparator.comparing((String id) -> !"PRIMARY".equals(db.get(id).role())).thenComparing(id -> id));
    return ids;
  }

  private static long totalRequests(Second s) {
    long total = 0;
    for (HttpSample h : s.http().values()) {
      total += h.requests();
    }
    return total;
  }

  private static String percent(long part, long total) {
    return total == 0 ? "0%" : Math.round(100.0 * part / total) + "%";
  }

  private static String effective(double weight) {
    return Double.isFinite(weight) ? String.format(Locale.ROOT, "%.1f", weight) : "?";
  }

  private static String because(@Nullable String reason) {
    return reason == null || reason.isEmpty() ? "" : " (" + reason + ")";
  }

  private static String faultNames(List<Fault> faults) {
    List<String> names = new ArrayList<>();
    for (Fault f : faults) {
      names.add(f.name());
    }
    return String.join(", ", names);
  }

  /** Returns {@code millis} as seconds, e.g. {@code "23 s"} or {@code "2.5 s"}. */
  static String seconds(long millis) {
    return millis % 1000 == 0
        ? millis / 1000 + " s"
        : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  /** Returns a lag, e.g. {@code "12 ms"} or {@code "3.4 s"}. */
  static String lag(long millis) {
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String clip(String text, int width) {
    String one = text.replace('\n', ' ').replace('\r', ' ').replace('\u001b', '?');
    return one.length() <= width ? one : one.substring(0, Math.max(0, width - 3)) + "...";
  }

  private static String colourOfState(String state) {
    switch (state) {
      case "HEALTHY":
        return GREEN;
      case "RAMPING":
      case "HALF_OPEN":
        return CYAN;
      case "DRAINED":
        return BLUE;
      case "EJECTED":
      case "DOWN":
        return RED;
      default:
        return MAGENTA;
    }
  }

  private static String colourOfSource(String source) {
    return "fault".equals(source) ? YELLOW : "";
  }
}
