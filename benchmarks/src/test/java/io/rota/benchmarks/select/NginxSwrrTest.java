package io.rota.benchmarks.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rota.benchmarks.Shapes;
import io.rota.benchmarks.fairness.FairnessReport;
import io.rota.benchmarks.fairness.PickTally;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NginxSwrrTest {

  @Test
  void weightsFiveOneOneGiveNginxsOrder() {
    NginxSwrr swrr = new NginxSwrr(new int[] {5, 1, 1});
    List<Integer> picks = new ArrayList<>();
    for (int k = 0; k < 14; k++) {
      picks.add(swrr.next());
    }
    // a a b a c a a, twice
    assertThat(picks).containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
  }

  @Test
  void prefixErrorOnShapeTenStaysBelowOnePick() {
    PickTally t = FairnessReport.staticRun(Peer.NGINX_SWRR, Shapes.weights(Shapes.TEN), 40 * 1000);
    assertThat(t.prefixError()).isLessThan(1);
    assertThat(t.windowError()).isLessThan(2);
    assertThat(t.worstShareDeviation()).isCloseTo(0, within(1e-9)); // a whole number of periods
  }

  @Test
  void setWeightKeepsCurrentWeights() {
    NginxSwrr swrr = new NginxSwrr(new int[] {1, 1});
    assertThat(swrr.next()).isEqualTo(0); // currents 1, 1 -> a; then -1, 1
    swrr.setWeight(1, 3);
    // currents -1 + 1 = 0, 1 + 3 = 4 -> b (a restart from 0, 0 would give 1, 3 -> b as well, then a)
    assertThat(swrr.next()).isEqualTo(1); // now 0, 0
    assertThat(swrr.next()).isEqualTo(1); // 1, 3 -> b; now 1, -1
    assertThat(swrr.next()).isEqualTo(0); // 2, 2 -> a (first on ties); now -2, 2
  }
}
