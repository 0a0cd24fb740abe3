package io.rota.benchmarks.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.benchmarks.Shapes;
import io.rota.benchmarks.select.Peer;
import org.junit.jupiter.api.Test;

class RestartBiasTest {

  @Test
  void rotaCarriesProgressSoAFlipEverySevenPicksBiasesNoEndpoint() {
    PickTally t = FairnessReport.flipRun(Peer.ROTA, Shapes.weights(Shapes.TEN), 9, FlipPlan.fixed(7), 40_000);
    assertThat(t.picks()).isEqualTo(40_000);
    // e9 expects about 10,250 picks; a bias of 0.1 % would be 10 picks, several times Rota's lag bound
    assertThat(Math.abs(t.bias(9))).isLessThan(0.001);
    assertThat(Math.abs(t.bias(0))).isLessThan(0.01); // e0 expects about 990
    assertThat(t.worstShareDeviation()).isLessThan(0.01);
  }

  @Test
  void theTallyFollowsTheFlipsItIsTold() {
    // nginx's reference keeps its current weights on a change, so it follows the time-weighted share
    PickTally t = FairnessReport.flipRun(Peer.NGINX_SWRR, Shapes.weights(Shapes.TEN), 9, FlipPlan.random(20), 40_000);
    double share = t.expected(9) / t.picks();
    assertThat(share).isBetween(10.0 / 40, 11.0 / 41);
    assertThat(Math.abs(t.bias(9))).isLessThan(0.01);
  }
}
