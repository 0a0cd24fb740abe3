package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionTest extends PoolTestSupport {

  private EndpointPool<String> pool(int... weights) {
    EndpointPoolBuilder<String> b = builder("test");
    for (int i = 0; i < weights.length; i++) {
      String id = String.valueOf((char) ('a' + i));
      b.endpoint(Endpoint.of(id, "addr-" + id, weights[i]));
    }
    return build(b);
  }

  private static String picks(EndpointPool<String> pool, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(pool.select().id());
    }
    return sb.toString();
  }

  @Test
  void weightsOneTwoThreeInterleaveSmoothly() {
    EndpointPool<String> pool = pool(1, 2, 3);
    String seq = picks(pool, 12);
    // A fresh pool starts at a random point of its period: the order is a rotation of c b c a c b.
    String period = "cbcacb";
    assertThat((period + period + period)).contains(seq);
  }

  @Test
  void countsFollowWeightsOverAMillionPicks() {
    EndpointPool<String> pool = pool(1, 1, 2, 2, 3, 3, 5, 5, 8, 10);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1_000_000; i++) {
      counts.merge(pool.select().id(), 1, Integer::sum);
    }
    int[] w = {1, 1, 2, 2, 3, 3, 5, 5, 8, 10};
    for (int i = 0; i < w.length; i++) {
      double expected = 1_000_000.0 * w[i] / 40;
      int count = counts.get(String.valueOf((char) ('a' + i)));
      assertThat(Math.abs(count - expected)).isLessThanOrEqualTo(Math.max(2, expected * 0.001));
    }
  }
}
