package io.rota.benchmarks.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PickTallyTest {

  private static PickTally tally(int[] weights, int... picks) {
    PickTally t = new PickTally(weights);
    for (int p : picks) {
      t.record(p);
    }
    return t;
  }

  @Test
  void smoothOrderOfWeightsOneTwo() {
    // b a b: lags after each pick are a 1/3, -1/3, 0 and b -1/3, 1/3, 0
    PickTally t = tally(new int[] {1, 2}, 1, 0, 1);
    assertThat(t.picks()).isEqualTo(3);
    assertThat(t.worstShareDeviation()).isCloseTo(0, within(1e-12));
    assertThat(t.prefixError()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(t.windowError()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(t.longestRun()).isEqualTo(1);
    assertThat(t.longestRunEndpoint()).isEqualTo(1);
  }

  @Test
  void pairsOfEqualWeightsHaveErrorOneAndRunTwo() {
    // a a b b: a's lag goes -1/2, -1, -1/2, 0 and b's 1/2, 1, 1/2, 0
    PickTally t = tally(new int[] {1, 1}, 0, 0, 1, 1);
    assertThat(t.worstShareDeviation()).isCloseTo(0, within(1e-12));
    assertThat(t.prefixError()).isCloseTo(1, within(1e-12));
    assertThat(t.windowError()).isCloseTo(1, within(1e-12));
    assertThat(t.longestRun()).isEqualTo(2);
    assertThat(t.longestRunEndpoint()).isEqualTo(0);
  }

  @Test
  void windowErrorSeesAWindowThatDoesNotStartAtZero() {
    // a b a b b a (weights 1, 1): a's lag 1/2-1, 0, -1/2, 0, 1/2, 0 spans -1/2..1/2 with lag(0) = 0;
    // the window of picks 4..5 (b b) has b 2 against 1 expected
    PickTally t = tally(new int[] {1, 1}, 0, 1, 0, 1, 1, 0);
    assertThat(t.prefixError()).isCloseTo(0.5, within(1e-12));
    assertThat(t.windowError()).isCloseTo(1, within(1e-12));
  }

  @Test
  void shareDeviationIsRelativeToTheExpectedCount() {
    // four picks of b with weights 1, 3: a expected 1 got 0 (-100 %), b expected 3 got 4 (+33 %)
    PickTally t = tally(new int[] {1, 3}, 1, 1, 1, 1);
    assertThat(t.bias(0)).isCloseTo(-1, within(1e-12));
    assertThat(t.bias(1)).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(t.worstShareDeviation()).isCloseTo(1, within(1e-12));
    assertThat(t.worstShareDeviationEndpoint()).isEqualTo(0);
    assertThat(t.longestRun()).isEqualTo(4);
    assertThat(t.prefixError()).isCloseTo(1, within(1e-12));
  }

  @Test
  void expectedCountsAreTimeWeightedAcrossAWeightChange() {
    // a b under 1, 1, then b b under 1, 3: a expected 1/2 + 1/2 + 1/4 + 1/4 = 3/2, b 5/2
    PickTally t = tally(new int[] {1, 1}, 0, 1);
    t.setWeights(new int[] {1, 3});
    t.record(1);
    t.record(1);
    assertThat(t.expected(0)).isCloseTo(1.5, within(1e-12));
    assertThat(t.expected(1)).isCloseTo(2.5, within(1e-12));
    assertThat(t.bias(0)).isCloseTo(1 / 1.5 - 1, within(1e-12));
    assertThat(t.bias(1)).isCloseTo(3 / 2.5 - 1, within(1e-12));
    // b's lag: 1/2, -1/2, -1/4, 0; a's: -1/2, 0, 1/4, 1/2
    assertThat(t.windowError()).isCloseTo(1, within(1e-12));
    assertThat(t.prefixError()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void record_indexOutOfRange() {
    PickTally t = new PickTally(new int[] {1, 1});
    assertThatThrownBy(() -> t.record(2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index: 2 (expected: 0..1)");
  }

  @Test
  void setWeights_wrongLengthOrZeroSum() {
    PickTally t = new PickTally(new int[] {1, 1});
    assertThatThrownBy(() -> t.setWeights(new int[] {1})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length 1 (expected: 2)");
    assertThatThrownBy(() -> t.setWeights(new int[] {0, 0})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sum > 0");
  }
}
