package io.rota.benchmarks.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlipPlanTest {

  private static List<Long> flips(FlipPlan plan, long picks) {
    List<Long> at = new ArrayList<>();
    for (long k = 0; k < picks; k++) {
      if (plan.flipsBefore(k)) {
        at.add(k);
      }
    }
    return at;
  }

  @Test
  void fixedGapsFlipEveryGapPicks() {
    assertThat(flips(FlipPlan.fixed(7), 30)).containsExactly(7L, 14L, 21L, 28L);
  }

  @Test
  void randomGapsAreReproducibleWithinOneToTwiceTheGapAndAverageTheGap() {
    List<Long> a = flips(FlipPlan.random(20), 1_000_000);
    assertThat(flips(FlipPlan.random(20), 1_000_000)).isEqualTo(a);
    long previous = 0;
    for (long at : a) {
      assertThat(at - previous).isBetween(1L, 39L);
      previous = at;
    }
    assertThat(1_000_000.0 / a.size()).isCloseTo(20, within(0.5));
  }

  @Test
  void gapBelowOne() {
    assertThatThrownBy(() -> FlipPlan.fixed(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gap: 0 (expected: >= 1)");
  }
}
