package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weight changes on a steady cadence, as slow start makes them, must neither restart the rotation nor
 * favour anyone: weights 1,1,2,2,3,3,5,5,8,10 with the last one flipping 10 <-> 11 every K picks,
 * over 1,000,000 picks through the real pool, keep every endpoint within 1.5% (relative) of its
 * time-weighted expected share.
 */
class WeightChangeBiasTest extends PoolTestSupport {

  private static final int[] WEIGHTS = {1, 1, 2, 2, 3, 3, 5, 5, 8, 10};
  private static final int PICKS = 1_000_000;

  @ParameterizedTest(name = "every {0} picks")
  @ValueSource(ints = {1, 7, 20, 40, 41, 100})
  void flippingAWeightOnACadenceHasNoBias(int k) {
    assertNoBias(() -> k);
  }

  @Test
  void flippingAWeightAtRandomGapsHasNoBias() {
    Random random = new Random(20261127);
    assertNoBias(() -> 1 + random.nextInt(100));
  }

  private void assertNoBias(IntSupplier gaps) {
    EndpointPoolBuilder<Integer> b = builder("bias");
    for (int i = 0; i < WEIGHTS.length; i++) {
      b.endpoint(Endpoint.of("e" + i, i, WEIGHTS[i]));
    }
    EndpointPool<Integer> pool = build(b);
    int[] w = WEIGHTS.clone();
    int last = w.length - 1;
    long[] counts = new long[w.length];
    double[] expected = new double[w.length];
    int picks = 0;
    while (picks < PICKS) {
      int gap = Math.min(gaps.getAsInt(), PICKS - picks);
      for (int j = 0; j < gap; j++) {
        counts[pool.select().address()]++;
      }
      int sum = 0;
      for (int x : w) {
        sum += x;
      }
      for (int i = 0; i < w.length; i++) {
        expected[i] += (double) gap * w[i] / sum;
      }
      picks += gap;
      w[last] = w[last] == 10 ? 11 : 10;
      pool.setWeight("e" + last, w[last]);
    }
    for (int i = 0; i < w.length; i++) {
      double error = Math.abs(counts[i] - expected[i]) / expected[i];
      assertThat(error)
          .as("endpoint e%s (weight %s): %s picks, expected %.1f", i, WEIGHTS[i], counts[i], expected[i])
          .isLessThan(0.015);
    }
  }
}
