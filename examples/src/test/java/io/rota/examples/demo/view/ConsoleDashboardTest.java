package io.rota.examples.demo.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.examples.demo.RunRecord;
import io.rota.examples.demo.RunRecord.Event;
import io.rota.examples.demo.RunRecord.Fault;
import io.rota.examples.demo.RunRecord.HttpSample;
import io.rota.examples.demo.RunRecord.Second;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleDashboardTest {

  private static final RunRecord RUN = SampleRuns.typical();

  /** The view 12 s in: b is ejected while it returns 503s. */
  private static LiveView viewAt(int second) {
    Second s = RUN.seconds().get(second - 1);
    List<Event> events = RUN.events().stream().filter(e -> e.atMillis() <= s.atMillis()).toList();
    List<Fault> faults = RUN.faults().stream()
        .filter(f -> f.startMillis() < s.atMillis() && f.endMillis() >= s.atMillis()).toList();
    return new LiveView(RUN.title(), s.atMillis(), 60_000, s, events, faults, SampleRuns.LAG_LIMIT);
  }

  private static String share(Second s, String id) {
    long total = s.http().values().stream().mapToLong(HttpSample::requests).sum();
    return Math.round(100.0 * s.http().get(id).requests() / total) + "%";
  }

  private static String strip(String ansi) {
    return ansi.replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
  }

  private static String lineOf(String text, String start) {
    return text.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(
        "no line starting with '" + start + "' in\n" + text));
  }

  @Test
  void frameShowsEveryEndpointWithItsTierWeightShareAndState() {
    LiveView view = viewAt(12);
    String frame = strip(new ConsoleDashboard(true).frame(view));
    for (String id : SampleRuns.HTTP) {
      HttpSample h = view.latest().http().get(id);
      String line = lineOf(frame, String.format("%-12s ", id));
      assertThat(line).contains(h.tier(), h.state(), share(view.latest(), id), " " + h.weight() + " ");
    }
    assertThat(lineOf(frame, "b ")).contains("EJECTED", "0%", "5 consecutive failures");
    assertThat(lineOf(frame, "backup ")).contains("BACKUP");
  }

  @Test
  void frameShowsEveryNodeWithRoleStateReadsWritesAndLag() {
    LiveView view = viewAt(47); // pg-2 lagging past the limit
    String frame = strip(new ConsoleDashboard(true).frame(view));
    assertThat(lineOf(frame, "pg-1 ")).contains("PRIMARY", "HEALTHY", " " + view.latest().db().get("pg-1").writes() + " ");
    assertThat(lineOf(frame, "pg-2 ")).contains("REPLICA", "EJECTED", "7.0 s", "over 5000 ms");
    assertThat(lineOf(frame, "pg-3 ")).contains(" " + view.latest().db().get("pg-3").reads() + " ");
    assertThat(frame).contains("faults: pg-2 replay paused");
  }

  @Test
  void frameClearsTheScreenColoursByStateAndFitsTheWidth() {
    String frame = new ConsoleDashboard(true).frame(viewAt(12));
    assertThat(frame).startsWith("\u001b[2J\u001b[H");
    assertThat(frame).contains("\u001b[31mEJECTED").contains("\u001b[32mHEALTHY");
    assertThat(strip(frame).lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(ConsoleDashboard.WIDTH));
  }

  @Test
  void frameFeedShowsTheLastEightEvents() {
    LiveView view = viewAt(40);
    String frame = strip(new ConsoleDashboard(true).frame(view));
    List<Event> events = view.recentEvents();
    assertThat(events).hasSizeGreaterThan(ConsoleDashboard.FEED_LINES);
    for (Event e : events.subList(events.size() - ConsoleDashboard.FEED_LINES, events.size())) {
      assertThat(frame).contains(e.text());
    }
    assertThat(frame).doesNotContain(events.get(0).text());
  }

  @Test
  void frameBeforeTheFirstSecondSaysItWaits() {
    LiveView view = new LiveView("t", 200, 60_000, null, List.of(), List.of(), 0);
    assertThat(strip(new ConsoleDashboard(true).frame(view))).contains("waiting for the first second");
    assertThat(new ConsoleDashboard(false).plainLine(view)).contains("waiting for the first second");
  }

  @Test
  void plainModeHasEveryEndpointShareAndStateAndNoEscapeCodes() {
    LiveView view = viewAt(12);
    String plain = new ConsoleDashboard(false).render(view);
    assertThat(plain).doesNotContain("\u001b");
    for (String id : SampleRuns.HTTP) {
      assertThat(plain).contains(id + " " + share(view.latest(), id) + " " + view.latest().http().get(id).state());
    }
    assertThat(plain).contains("b 0% EJECTED (5 consecutive failures)", "pg-2 REPLICA HEALTHY", "faults: b returns 503");
    assertThat(plain.lines()).first().asString().startsWith("[12 s/60 s] http: ");
  }

  @Test
  void plainModePrintsEachEventOnce() {
    ConsoleDashboard dashboard = new ConsoleDashboard(false);
    String first = dashboard.plainLine(viewAt(9));
    String second = dashboard.plainLine(viewAt(10));
    String third = dashboard.plainLine(viewAt(10));
    assertThat(first).contains("event 8 s fault: b returns 503 starts").doesNotContain("-> EJECTED");
    assertThat(second).contains("event 10 s http: b HEALTHY -> EJECTED").doesNotContain("b returns 503 starts");
    assertThat(third.lines().filter(l -> l.contains(" event ")).count()).isZero();
    String later = dashboard.plainLine(viewAt(15));
    assertThat(later).contains("event 14 s fault: b returns 503 ends").doesNotContain("-> EJECTED");
  }

  @Test
  void plainModePrintsEveryEventOfOneMillisecondEvenWhenTheyArriveApart() {
    ConsoleDashboard dashboard = new ConsoleDashboard(false);
    Event one = new Event(5000, "demo", "one");
    Event two = new Event(5000, "demo", "two");
    assertThat(dashboard.plainLine(new LiveView("t", 5000, 0, null, List.of(one), List.of(), 0))).contains("one");
    String next = dashboard.plainLine(new LiveView("t", 6000, 0, null, List.of(one, two), List.of(), 0));
    assertThat(next).contains("two").doesNotContain("demo: one");
  }

  @Test
  void plainModePrintsAnEventThatArrivesLateWithAnEarlierTime() {
    ConsoleDashboard dashboard = new ConsoleDashboard(false);
    Event later = new Event(7000, "http", "b HEALTHY -> EJECTED");
    Event earlier = new Event(6900, "db", "pg-2 HEALTHY -> DOWN");
    Event next = new Event(8000, "fault", "c resets connections starts");
    dashboard.plainLine(new LiveView("t", 7000, 0, null, List.of(later), List.of(), 0));
    String text = dashboard.plainLine(new LiveView("t", 8000, 0, null, List.of(later, earlier, next), List.of(), 0));
    assertThat(text).contains("pg-2 HEALTHY -> DOWN", "c resets connections starts").doesNotContain("b HEALTHY -> EJECTED");
    // the window slides on: what left it is not printed again, what stays is not printed twice
    String slid = dashboard.plainLine(new LiveView("t", 9000, 0, null, List.of(earlier, next), List.of(), 0));
    assertThat(slid.lines().filter(l -> l.contains(" event ")).count()).isZero();
  }

  @Test
  void escapeCodesInRecordedTextNeverReachThePlainOutput() {
    Event evil = new Event(1000, "demo", "\u001b[2Jgone\nsecond line");
    String plain = new ConsoleDashboard(false).plainLine(new LiveView("t", 1000, 0, null, List.of(evil), List.of(), 0));
    assertThat(plain).doesNotContain("\u001b").contains("?[2Jgone second line");
  }

  @Test
  void liveView_negativeTimes() {
    assertThatThrownBy(() -> new LiveView("t", -1, 0, null, List.of(), List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("elapsedMillis: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new LiveView("t", 0, 0, null, List.of(), List.of(), -5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("lagLimitMillis: -5 (expected: >= 0)");
  }
}
