package io.rota.examples.demo.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.examples.demo.RunRecord.Failover;
import io.rota.examples.demo.RunRecord.KindCount;
import io.rota.examples.demo.RunRecord.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

  private static Summary summary(long writesOnReplicas, long stale, List<String> violations) {
    return new Summary(
        List.of(new KindCount("place order", 1200, 0), new KindCount("price GET", 3400, 7)),
        5000, 150, 1200, writesOnReplicas, stale, 88, 4, violations);
  }

  @Test
  void passingRunHasTheCountersAsExactLinesAndEndsWithPass() {
    String text = SummaryTable.render(summary(0, 0, List.of()));
    assertThat(text.lines()).contains(
        "writes on replicas: 0", "stale own-reads: 0", "reads on replicas: 5000", "reads on primary: 150",
        "writes on primary: 1200", "HTTP retries: 88", "retries refused by the budget: 4");
    assertThat(text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b)).hasValue("RESULT: PASS");
    assertThat(text).doesNotContain("FAIL");
  }

  @Test
  void requestsAndFailuresByKindWithATotal() {
    List<String> lines = SummaryTable.render(summary(0, 0, List.of())).lines().toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+place order\\s+1200\\s+0"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+price GET\\s+3400\\s+7"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+total\\s+4600\\s+7"));
  }

  @Test
  void failingRunListsEachViolationOnItsOwnLine() {
    String text = SummaryTable.render(summary(2, 1, List.of(
        "2 writes reached a replica", "1 own order not found\nright after placing it")));
    List<String> lines = text.lines().toList();
    assertThat(lines).contains("writes on replicas: 2", "stale own-reads: 1");
    int fail = lines.indexOf("RESULT: FAIL");
    assertThat(fail).isPositive();
    assertThat(lines.subList(fail + 1, lines.size()))
        .containsExactly("  - 2 writes reached a replica", "  - 1 own order not found right after placing it");
    assertThat(text).doesNotContain("PASS");
  }

  @Test
  void failoverPhaseShowsTheGapTheRefusalsAndTheLostWriteCheck() {
    Failover f = new Failover("db-1", "db-3", 50_000, 51_600, 50_010, 50_300, 51_800, 140, 3, 2, 1, 51_900, 2400, 0);
    Summary s = new Summary(List.of(new KindCount("place order", 2540, 142)), 5000, 150, 2400, 0, 0, 88, 4,
        List.of(), f);
    List<String> lines = SummaryTable.render(s).lines().toList();
    assertThat(lines).containsSubsequence(
        "failover: db-1 (primary) stopped at 50.0 s; db-3 promoted at 51.6 s",
        "writes refused for 1.5 s; resumed on db-3 0.3 s after the promotion",
        "writes refused at once: 140 (slowest 3 ms); failed in flight on db-1: writes 2, reads 1",
        "acknowledged writes missing on db-3 at the end: 0 of 2400",
        "RESULT: PASS");
    assertThat(lines).contains("writes on replicas: 0");
  }

  @Test
  void failoverThatDidNotPromoteOrResumeSaysSo() {
    Failover f = new Failover("db-1", "db-3", 50_000, -1, 50_010, -1, -1, 0, 0, 5, 0, -1, 2400, 0);
    assertThat(f.resumed()).isFalse();
    assertThat(SummaryTable.failoverLines(f)).startsWith(
        "failover: db-1 (primary) stopped at 50.0 s; db-3 not promoted",
        "no write refused by Rota; writes did not resume on db-3");
  }

  @Test
  void runWithoutFailoverHasNoFailoverLines() {
    assertThat(SummaryTable.render(summary(0, 0, List.of()))).doesNotContain("failover");
  }
}
