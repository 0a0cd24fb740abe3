package io.rota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SmoothSchedulePeriodTest {

  private static int[] counts(SmoothSchedule s, int n) {
    int[] counts = new int[n];
    for (int k = 0; k < s.length(); k++) {
      counts[s.slot(k)]++;
    }
    return counts;
  }

  @Test
  void everyEndpointGetsExactlyItsWeightPerPeriodWhenProgressSitsOnTheBoundaries() {
    // Progress 1.0 (just picked) and 0.0 (due now) put deadlines on the period boundary: a tie there
    // must not hand one endpoint's slot to another.
    SmoothSchedule s = SmoothSchedule.build(new int[] {10, 1, 10}, new double[] {1.0, 1.0, 0.0});

    assertThat(counts(s, 3)).containsExactly(10, 1, 10);
  }

  @Test
  void everyEndpointGetsExactlyItsWeightPerPeriodWhateverTheProgress() {
    Random random = new Random(11);
    double[] edges = {0.0, 1.0, 0.5, 1.0 / 3, 2.0 / 3, 0.1, 0.9};
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + random.nextInt(6);
      int[] w = new int[n];
      double[] progress = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = 1 + random.nextInt(12);
        progress[i] = edges[random.nextInt(edges.length)];
      }

      assertThat(counts(SmoothSchedule.build(w, progress), n))
          .as("weights %s, progress %s", java.util.Arrays.toString(w), java.util.Arrays.toString(progress))
          .containsExactly(w);
    }
  }
}
