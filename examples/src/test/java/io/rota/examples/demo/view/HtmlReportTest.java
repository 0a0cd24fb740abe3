package io.rota.examples.demo.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.examples.demo.RunRecord;
import io.rota.examples.demo.RunRecord.HttpSample;
import io.rota.examples.demo.RunRecord.Latency;
import io.rota.examples.demo.RunRecord.Second;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

  static final List<String> CHARTS = List.of("traffic", "db", "states", "lag", "latency");
  /** The charts that shade the fault windows: one {@code .fault} element per fault in each. */
  static final List<String> FAULT_CHARTS = List.of("traffic", "db", "states", "lag");

  /** Returns each chart of {@code html} parsed as XML (which also proves each is well-formed). */
  static Map<String, Document> charts(String html) throws Exception {
    Matcher m = Pattern.compile("<svg data-chart=\"([a-z]+)\".*?</svg>", Pattern.DOTALL).matcher(html);
    Map<String, Document> charts = new java.util.LinkedHashMap<>();
    while (m.find()) {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
      assertThat(charts.put(m.group(1), doc)).as("chart %s drawn twice", m.group(1)).isNull();
    }
    return charts;
  }

  static List<Element> byClass(Document doc, String cls) {
    List<Element> found = new ArrayList<>();
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        found.add(e);
      }
    }
    return found;
  }

  @Test
  void reportHasEveryChartWithItsSeriesFaultsAndSegments() throws Exception {
    RunRecord r = SampleRuns.typical();
    Map<String, Document> charts = charts(HtmlReport.render(r));
    assertThat(charts.keySet()).containsExactlyElementsOf(CHARTS);
    for (String chart : FAULT_CHARTS) {
      assertThat(byClass(charts.get(chart), "fault")).as(chart).hasSize(SampleRuns.FAULTS.size());
    }
    assertThat(byClass(charts.get("traffic"), "series")).extracting(e -> e.getAttribute("data-series"))
        .containsExactly("a", "b", "c", "backup");
    assertThat(byClass(charts.get("db"), "series")).extracting(e -> e.getAttribute("data-series"))
        .containsExactly("pg-1 reads", "pg-1 writes", "pg-2 reads", "pg-2 writes", "pg-3 reads", "pg-3 writes");
    assertThat(byClass(charts.get("lag"), "series")).extracting(e -> e.getAttribute("data-series"))
        .containsExactly("pg-2", "pg-3");
    assertThat(byClass(charts.get("lag"), "limit")).hasSize(1);
    int runs = 0;
    for (String id : List.of("a", "b", "c", "backup", "pg-1", "pg-2", "pg-3")) {
      runs += SampleRuns.stateRuns(r, id);
    }
    assertThat(byClass(charts.get("states"), "segment")).hasSize(runs);
    assertThat(byClass(charts.get("latency"), "bar")).hasSize(3 * r.latencies().size());
  }

  @Test
  void stateSegmentsFollowTheStatesOfTheRun() throws Exception {
    Document states = charts(HtmlReport.render(SampleRuns.typical())).get("states");
    List<String> b = byClass(states, "segment").stream().filter(e -> e.getAttribute("data-lane").equals("b"))
        .map(e -> e.getAttribute("data-state")).toList();
    assertThat(b).containsExactly("HEALTHY", "EJECTED", "HALF_OPEN", "RAMPING", "HEALTHY", "DOWN", "RAMPING", "HEALTHY");
    Element ejected = byClass(states, "segment").stream()
        .filter(e -> e.getAttribute("data-lane").equals("b") && e.getAttribute("data-state").equals("EJECTED"))
        .findFirst().orElseThrow();
    assertThat(ejected.getTextContent()).isEqualTo("b: EJECTED from 9 s to 14 s (5 consecutive failures)");
  }

  @Test
  void faultWindowsAreLabelledAndShadedWhereTheyRan() throws Exception {
    Map<String, Document> charts = charts(HtmlReport.render(SampleRuns.typical()));
    Document traffic = charts.get("traffic");
    assertThat(byClass(traffic, "fault-label")).extracting(Element::getTextContent)
        .anySatisfy(t -> assertThat(t).startsWith("b returns 503"));
    Element first = byClass(traffic, "fault").get(0);
    double x = Double.parseDouble(first.getAttribute("x"));
    double width = Double.parseDouble(first.getAttribute("width"));
    double plot = TimeChart.WIDTH - TimeChart.LEFT - TimeChart.RIGHT;
    assertThat(x).isCloseTo(TimeChart.LEFT + plot * 8 / 60, org.assertj.core.api.Assertions.within(0.2));
    assertThat(width).isCloseTo(plot * 6 / 60, org.assertj.core.api.Assertions.within(0.2));
  }

  @Test
  void everyTextFromTheRecordIsEscaped() throws Exception {
    String html = HtmlReport.render(SampleRuns.hostile());
    assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>");
    assertThat(html).contains("&lt;script&gt;window.pwned=1&lt;/script&gt; a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
    assertThat(html).contains("&lt;b&gt;&quot;503&quot; &amp; &#39;reset&#39;&lt;/b&gt;");
    assertThat(html).contains("<span class=\"badge fail\">RESULT: FAIL</span>");
    Map<String, Document> charts = charts(html);
    assertThat(byClass(charts.get("traffic"), "fault")).hasSize(SampleRuns.FAULTS.size() + 1);
  }

  @Test
  void noNanOrInfinityEvenWhenTheRecordHasThem() {
    RunRecord typical = SampleRuns.typical();
    List<Second> seconds = new ArrayList<>(typical.seconds());
    Second s = seconds.get(3);
    Map<String, HttpSample> http = new java.util.HashMap<>(s.http());
    HttpSample a = http.get("a");
    http.put("a", new HttpSample(a.tier(), a.weight(), Double.NaN, a.state(), a.reason(), a.requests(), 0, 0));
    seconds.set(3, new Second(s.atMillis(), http, s.db()));
    List<Latency> latencies = List.of(
        new Latency("steady", "price GET", 0, Double.NaN, Double.POSITIVE_INFINITY, 0, Double.NaN));
    RunRecord odd = new RunRecord(typical.title(), typical.startedAt(), typical.httpEndpoints(), typical.dbNodes(), seconds,
        typical.events(), typical.faults(), latencies, typical.summary(), 0);
    for (RunRecord r : List.of(typical, odd, SampleRuns.oneSecond(), SampleRuns.empty())) {
      assertThat(HtmlReport.render(r)).as(r.title()).doesNotContain("NaN").doesNotContain("Infinity");
    }
  }

  @Test
  void emptyAndOneSecondRunsStillDrawEveryChart() throws Exception {
    for (RunRecord r : List.of(SampleRuns.oneSecond(), SampleRuns.empty())) {
      Map<String, Document> charts = charts(HtmlReport.render(r));
      assertThat(charts.keySet()).as(r.title()).containsExactlyElementsOf(CHARTS);
      for (Document chart : charts.values()) {
        assertThat(byClass(chart, "fault")).isEmpty();
      }
    }
    Map<String, Document> one = charts(HtmlReport.render(SampleRuns.oneSecond()));
    Element line = byClass(one.get("traffic"), "series").get(0);
    assertThat(line.getAttribute("d")).as("a lone second is drawn across its second").matches("M[0-9.]+ [0-9.]+L[0-9.]+ [0-9.]+");
    assertThat(byClass(one.get("lag"), "series")).isEmpty();
    assertThat(byClass(one.get("states"), "segment")).hasSize(2);
    assertThat(HtmlReport.render(SampleRuns.empty())).contains("no latency measured", "no faults", "no events");
  }

  @Test
  void replicaWithoutLagSamplesIsNamedInTheLegend() throws Exception {
    RunRecord r = SampleRuns.typical();
    List<Second> seconds = new ArrayList<>();
    for (Second s : r.seconds()) {
      Map<String, RunRecord.DbSample> db = new java.util.HashMap<>(s.db());
      RunRecord.DbSample d = db.get("pg-3");
      db.put("pg-3", new RunRecord.DbSample(d.role(), d.state(), d.reason(), d.reads(), d.writes(), null));
      seconds.add(new Second(s.atMillis(), s.http(), db));
    }
    RunRecord noLag = new RunRecord(r.title(), r.startedAt(), r.httpEndpoints(), r.dbNodes(), seconds, r.events(),
        r.faults(), r.latencies(), r.summary(), r.lagLimitMillis());
    Document lag = charts(HtmlReport.render(noLag)).get("lag");
    assertThat(byClass(lag, "series")).extracting(e -> e.getAttribute("data-series")).containsExactly("pg-2");
    assertThat(byClass(lag, "legend-item")).extracting(Element::getTextContent).contains("pg-3 (no lag samples)");
  }

  @Test
  void summaryShowsPassAndTheCounters() {
    String html = HtmlReport.render(SampleRuns.typical());
    assertThat(html).contains("<span class=\"badge pass\">RESULT: PASS</span>");
    assertThat(html).contains("<tr class=\"must ok\"><td>writes on replicas (must be 0)</td><td class=\"n\">0</td></tr>");
    assertThat(html).contains("<td>price GET</td><td class=\"n\">3300</td><td class=\"n\">2</td>");
  }

  @Test
  void summaryShowsTheFailoverPhaseWhenTheRunHadOne() {
    RunRecord r = SampleRuns.typical();
    assertThat(HtmlReport.render(r)).doesNotContain("Primary failover");
    RunRecord.Summary s = r.summary();
    RunRecord.Failover f = new RunRecord.Failover("db-1", "db-3", 50_000, 51_600, 50_010, 50_300, 51_800, 140, 3, 2, 1,
        51_900, 2400, 0);
    RunRecord withFailover = new RunRecord(r.title(), r.startedAt(), r.httpEndpoints(), r.dbNodes(), r.seconds(),
        r.events(), r.faults(), r.latencies(), new RunRecord.Summary(s.kinds(), s.readsOnReplicas(), s.readsOnPrimary(),
            s.writesOnPrimary(), s.writesOnReplicas(), s.staleOwnReads(), s.httpRetries(), s.retriesRefused(),
            s.violations(), f), r.lagLimitMillis());
    assertThat(HtmlReport.render(withFailover)).contains("<h3>Primary failover</h3>")
        .contains("<li>writes refused for 1.5 s; resumed on db-3 0.3 s after the promotion</li>")
        .contains("<li>acknowledged writes missing on db-3 at the end: 0 of 2400</li>");
  }

  @Test
  void reportIsSelfContained() {
    String html = HtmlReport.render(SampleRuns.typical());
    assertThat(html).doesNotContainPattern("(src|href)=\"(?!#)").doesNotContain("@import").doesNotContain("url(");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void writeCreatesTheFileAndItsDirectories(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a/b/report.html");
    HtmlReport.write(SampleRuns.typical(), file);
    assertThat(Files.readString(file)).isEqualTo(HtmlReport.render(SampleRuns.typical()));
  }
}
