package io.rota.examples.demo.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.rota.examples.demo.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report in a real headless Chromium, driven over the DevTools Protocol: every chart
 * renders with a size, the series, fault windows, state segments and bars are there in the numbers
 * the record gives, no two labels overlap, and the page logs no error. Writes a full-page screenshot
 * to {@code target/report-screenshot.png} and one per chart to {@code target/report-<chart>.png}.
 *
 * <p>Checks a synthetic report, and also {@code -Ddemo.report=PATH} when given (CI runs the demo
 * first): for that one, that the charts exist and are not empty and nothing logs an error.
 * Chromium comes from {@code -Dchromium.path}, {@code CHROMIUM}, {@code /usr/bin/chromium} or the
 * {@code PATH}; without one the test is skipped, unless {@code -Drota.requireBrowser=true}.
 */
class HtmlReportBrowserIT {

  private static final String INSTALL = "Chromium not found (tried -Dchromium.path, $CHROMIUM, /usr/bin/chromium, "
      + "chromium-browser and chromium on the PATH). Install it (Debian/Ubuntu: sudo apt-get install -y chromium; "
      + "Fedora: sudo dnf install chromium) or pass -Dchromium.path=/path/to/chromium.";

  /** Per chart: its size, its bounding box and, per class, how many elements and how many have a size. */
  private static final String MEASURE = String.join("\n",
      "(() => {",
      "  const sized = e => { const b = e.getBBox(); return b.width > 0 && b.height > 0; };",
      "  const wide = e => e.getBBox().width > 0;",
      "  const out = {};",
      "  for (const s of document.querySelectorAll('svg[data-chart]')) {",
      "    const r = s.getBoundingClientRect(); const b = s.getBBox();",
      "    const all = c => Array.from(s.querySelectorAll('.' + c));",
      "    const labels = Array.from(s.querySelectorAll('.legend-item text, .fault-label text, text.tick, text.lane-label,"
          + " text.phase-label, text.axis-label, text.note'));",
      "    const boxes = labels.map(t => [t.textContent, t.getBoundingClientRect()]);",
      "    const overlaps = [];",
      "    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {",
      "      const [ta, a] = boxes[i]; const [tb, c] = boxes[j];",
      "      if (a.left < c.right - 1 && c.left < a.right - 1 && a.top < c.bottom - 1 && c.top < a.bottom - 1)"
          + " overlaps.push(ta + ' / ' + tb);",
      "    }",
      "    out[s.dataset.chart] = { width: r.width, height: r.height, top: r.top + window.scrollY, left: r.left,",
      "      bboxWidth: b.width, bboxHeight: b.height,",
      "      series: all('series').length, seriesDrawn: all('series').filter(wide).length,",
      "      fault: all('fault').length, faultDrawn: all('fault').filter(sized).length,",
      "      segment: all('segment').length, segmentDrawn: all('segment').filter(sized).length,",
      "      bar: all('bar').length, barDrawn: all('bar').filter(sized).length,",
      "      outside: labels.filter(t => { const q = t.getBoundingClientRect();"
          + " return q.left < r.left - 1 || q.right > r.right + 1; }).map(t => t.textContent),",
      "      overlaps: overlaps };",
      "  }",
      "  return JSON.stringify({ charts: out, pwned: typeof window.pwned !== 'undefined',",
      "    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight });",
      "})()");

  private static DevTools browser;

  /** Starts Chromium once for all tests; without one, skips (or fails) each test with how to install it. */
  @BeforeEach
  void startChromium() throws Exception {
    if (browser != null) {
      return;
    }
    Optional<Path> chromium = DevTools.findChromium();
    if (chromium.isEmpty()) {
      if (Boolean.getBoolean("rota.requireBrowser")) {
        fail(INSTALL + " -Drota.requireBrowser=true makes a missing browser a failure.");
      }
      Assumptions.abort(INSTALL);
    }
    browser = DevTools.launch(chromium.get());
  }

  @AfterAll
  static void stopChromium() {
    if (browser != null) {
      browser.close();
    }
  }

  /** What one page load gave: the measures, the console errors and the session. */
  record Loaded(Map<String, Map<String, Object>> charts, boolean pwned, List<String> errors, String session,
      double width, double height) {}

  @Test
  void syntheticReportRendersEveryChartWithoutErrors() throws Exception {
    RunRecord r = SampleRuns.typical();
    Loaded page = loadClean(r, "sample-report.html");
    assertCount(page, "traffic", "series", r.httpEndpoints().size());
    assertCount(page, "db", "series", 2 * r.dbNodes().size());
    assertCount(page, "lag", "series", 2);
    int runs = 0;
    for (String id : List.of("a", "b", "c", "backup", "pg-1", "pg-2", "pg-3")) {
      runs += SampleRuns.stateRuns(r, id);
    }
    assertCount(page, "states", "segment", runs);
    assertCount(page, "latency", "bar", 3 * r.latencies().size());
    assertThat(page.width()).as("page width: no horizontal scrolling at 1100 px").isLessThanOrEqualTo(1100);
    screenshots(page, Path.of("target"));
  }

  @Test
  void crowdedFaultsAndPhasesStillGiveNoOverlappingLabels() throws Exception {
    RunRecord r = SampleRuns.crowded();
    Loaded page = loadClean(r, "crowded-report.html");
    assertCount(page, "latency", "bar", 3 * r.latencies().size());
    screenshots(page, Path.of("target", "browser-it", "crowded"));
  }

  @Test
  void hostileTextRunsNoScriptAndBreaksNoChart() throws Exception {
    Path file = Path.of("target", "browser-it", "hostile-report.html").toAbsolutePath();
    HtmlReport.write(SampleRuns.hostile(), file);
    Loaded page = load(file);
    assertThat(page.pwned()).as("a script or handler from the record ran").isFalse();
    assertThat(page.errors()).as("console errors").isEmpty();
    assertThat(page.charts().keySet()).containsExactlyInAnyOrderElementsOf(HtmlReportTest.CHARTS);
    assertCount(page, "traffic", "fault", SampleRuns.FAULTS.size() + 1);
  }

  @Test
  void demoReportFromTheCommandLineRendersWithoutErrors() throws Exception {
    String given = System.getProperty("demo.report", "");
    Assumptions.assumeFalse(given.isBlank(), "no -Ddemo.report=PATH given");
    Path file = Path.of(given);
    if (!Files.exists(file) && Files.exists(Path.of("..").resolve(given))) {
      file = Path.of("..").resolve(given); // a path relative to the repository root
    }
    assertThat(file).as("-Ddemo.report").isRegularFile();
    Loaded page = load(file.toAbsolutePath());
    assertThat(page.errors()).as("console errors").isEmpty();
    assertThat(page.charts().keySet()).containsExactlyInAnyOrderElementsOf(HtmlReportTest.CHARTS);
    for (Map.Entry<String, Map<String, Object>> c : page.charts().entrySet()) {
      assertNotEmpty(c.getKey(), c.getValue());
    }
    assertThat(page.charts().get("traffic").get("seriesDrawn")).as("traffic lines drawn").isNotEqualTo(0.0);
    assertThat(page.charts().get("states").get("segmentDrawn")).as("state segments drawn").isNotEqualTo(0.0);
    screenshots(page, Path.of("target", "demo-report"));
  }

  /**
   * Writes the report of {@code r} to {@code target/browser-it/<name>}, loads it and checks what holds
   * for every synthetic run: no console error, every chart drawn with no overlapping or clipped label,
   * one shaded window per fault in each chart that shades them.
   */
  private static Loaded loadClean(RunRecord r, String name) throws Exception {
    Path file = Path.of("target", "browser-it", name).toAbsolutePath();
    HtmlReport.write(r, file);
    Loaded page = load(file);
    assertThat(page.errors()).as("console errors").isEmpty();
    assertThat(page.charts().keySet()).containsExactlyInAnyOrderElementsOf(HtmlReportTest.CHARTS);
    for (Map.Entry<String, Map<String, Object>> c : page.charts().entrySet()) {
      assertNotEmpty(c.getKey(), c.getValue());
      assertThat(c.getValue().get("overlaps")).as("overlapping labels in %s", c.getKey()).isEqualTo(List.of());
      assertThat(c.getValue().get("outside")).as("labels outside %s", c.getKey()).isEqualTo(List.of());
    }
    for (String chart : HtmlReportTest.FAULT_CHARTS) {
      assertCount(page, chart, "fault", r.faults().size());
    }
    return page;
  }

  private static void assertNotEmpty(String chart, Map<String, Object> m) {
    assertThat((Double) m.get("width")).as("%s width", chart).isGreaterThan(100);
    assertThat((Double) m.get("height")).as("%s height", chart).isGreaterThan(50);
    assertThat((Double) m.get("bboxWidth")).as("%s drawn width", chart).isGreaterThan(0);
    assertThat((Double) m.get("bboxHeight")).as("%s drawn height", chart).isGreaterThan(0);
  }

  private static void assertCount(Loaded page, String chart, String cls, int expected) {
    Map<String, Object> m = page.charts().get(chart);
    assertThat(((Double) m.get(cls)).intValue()).as("%s .%s elements", chart, cls).isEqualTo(expected);
    assertThat(((Double) m.get(cls + "Drawn")).intValue()).as("%s .%s elements with a size", chart, cls).isEqualTo(expected);
  }

  /** Loads {@code file} in a new page, waits for its load event and measures it. */
  @SuppressWarnings("unchecked")
  private static Loaded load(Path file) throws Exception {
    String session = browser.newPage();
    for (String domain : List.of("Runtime", "Log", "Page")) {
      browser.send(session, domain + ".enable", Map.of());
    }
    browser.send(session, "Emulation.setDeviceMetricsOverride",
        Map.of("width", 1100, "height", 900, "deviceScaleFactor", 1, "mobile", false));
    int from = browser.events().size();
    Map<String, Object> nav = browser.send(session, "Page.navigate", Map.of("url", file.toUri().toString()));
    assertThat(nav.get("errorText")).as("navigation error").isNull();
    browser.await(session, "Page.loadEventFired", from, e -> true);
    Map<String, Object> result = browser.send(session, "Runtime.evaluate",
        Map.of("expression", MEASURE, "returnByValue", true));
    if (result.containsKey("exceptionDetails")) {
      throw new AssertionError("measuring the page threw: " + Json.write(result.get("exceptionDetails")));
    }
    Map<String, Object> measured = (Map<String, Object>) Json.parse(
        (String) ((Map<String, Object>) result.get("result")).get("value"));
    List<String> errors = new ArrayList<>();
    for (Map<String, Object> e : browser.events().subList(from, browser.events().size())) {
      if (!session.equals(e.get("sessionId"))) {
        continue;
      }
      Map<String, Object> p = (Map<String, Object>) e.get("params");
      switch ((String) e.get("method")) {
        case "Runtime.consoleAPICalled" -> {
          if ("error".equals(p.get("type"))) {
            errors.add("console.error: " + Json.write(p.get("args")));
          }
        }
        case "Runtime.exceptionThrown" -> errors.add("exception: " + Json.write(p.get("exceptionDetails")));
        case "Log.entryAdded" -> {
          Map<String, Object> entry = (Map<String, Object>) p.get("entry");
          if ("error".equals(entry.get("level"))) {
            errors.add("log: " + entry.get("text") + " (" + entry.get("url") + ")");
          }
        }
        default -> { }
      }
    }
    return new Loaded((Map<String, Map<String, Object>>) measured.get("charts"), Boolean.TRUE.equals(measured.get("pwned")),
        errors, session, (Double) measured.get("width"), (Double) measured.get("height"));
  }

  /** Writes the whole page and each chart as PNG files into {@code dir}. */
  private static void screenshots(Loaded page, Path dir) throws Exception {
    Files.createDirectories(dir);
    Map<String, Object> whole = new LinkedHashMap<>(Map.of("x", 0, "y", 0, "width", 1100, "scale", 1));
    whole.put("height", page.height());
    shot(page.session(), whole, dir.resolve("report-screenshot.png"));
    for (Map.Entry<String, Map<String, Object>> c : page.charts().entrySet()) {
      Map<String, Object> m = c.getValue();
      Map<String, Object> clip = new LinkedHashMap<>();
      clip.put("x", m.get("left"));
      clip.put("y", m.get("top"));
      clip.put("width", m.get("width"));
      clip.put("height", m.get("height"));
      clip.put("scale", 1);
      shot(page.session(), clip, dir.resolve("report-" + c.getKey() + ".png"));
    }
  }

  private static void shot(String session, Map<String, Object> clip, Path file) throws Exception {
    Map<String, Object> png = browser.send(session, "Page.captureScreenshot",
        Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    byte[] bytes = Base64.getDecoder().decode((String) png.get("data"));
    assertThat(bytes).as("screenshot %s", file).hasSizeGreaterThan(1000);
    Files.write(file, bytes);
  }
}
