package io.rota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmoothScheduleTest {

  private static final int[] SHAPE = {1, 1, 2, 2, 3, 3, 5, 5, 8, 10};

  private static double[] fresh(int n) {
    double[] p = new double[n];
    Arrays.fill(p, SmoothSchedule.FRESH_PROGRESS);
    return p;
  }

  @Test
  void weightsOneTwoThreeInterleave() {
    SmoothSchedule s = SmoothSchedule.build(new int[] {1, 2, 3}, fresh(3));
    StringBuilder order = new StringBuilder();
    for (int k = 0; k < 12; k++) {
      order.append((char) ('a' + s.slot(k % s.length())));
    }
    assertThat(order.toString()).isEqualTo("cbcacbcbcacb");
  }

  @Test
  void everyWindowIsWithinTwoOfItsShare() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(12);
      int[] w = new int[n];
      double[] progress = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = random.nextInt(20);
        progress[i] = random.nextDouble();
      }
      if (Arrays.stream(w).sum() == 0) {
        w[0] = 1;
      }
      assertWindowsSmooth(SmoothSchedule.build(w, progress), w);
    }
    assertWindowsSmooth(SmoothSchedule.build(SHAPE, fresh(SHAPE.length)), SHAPE);
  }

  private static void assertWindowsSmooth(SmoothSchedule s, int[] w) {
    int total = Arrays.stream(w).sum();
    int len = s.length();
    assertThat(len).isEqualTo(total);
    // Windows of every size up to two periods, at every start: prefix sums over two periods.
    int[][] prefix = new int[w.length][2 * len + 1];
    for (int k = 0; k < 2 * len; k++) {
      int e = s.slot(k % len);
      for (int i = 0; i < w.length; i++) {
        prefix[i][k + 1] = prefix[i][k] + (i == e ? 1 : 0);
      }
    }
    for (int i = 0; i < w.length; i++) {
      assertThat(prefix[i][len]).as("picks of %s per period", i).isEqualTo(w[i]);
      for (int start = 0; start < len; start++) {
        for (int size = 1; size <= len; size++) {
          int count = prefix[i][start + size] - prefix[i][start];
          double expected = (double) size * w[i] / total;
          assertThat(Math.abs(count - expected))
              .as("weights %s, endpoint %s, window [%s, +%s)", Arrays.toString(w), i, start, size)
              .isLessThan(2.0);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 20, 39, 40, 41, 100, 1000})
  void weightFlippingOnACadenceHasNoBias(int k) {
    assertNoBias(() -> k);
  }

  @Test
  void weightFlippingAtRandomGapsHasNoBias() {
    Random random = new Random(7);
    assertNoBias(() -> 1 + random.nextInt(60));
  }

  private static void assertNoBias(LongSupplier gaps) {
    assertThat(maxRelativeError(gaps, Rebuild.CARRY_PROGRESS)).isLessThan(0.015);
  }

  /** How a harness run rebuilds after a weight change. */
  private enum Rebuild {
    /** Ours: every endpoint keeps its progress. */
    CARRY_PROGRESS,
    /** Armeria-style: the new schedule starts from its first slot. */
    RESTART,
    /** One global counter taken modulo the new period's length. */
    GLOBAL_MODULO
  }

  /** The control runs: the harness must be able to fail, or the no-bias tests prove nothing. */
  @Test
  void harnessDetectsRestartBiasAndModuloResonance() {
    assertThat(maxRelativeError(() -> 7, Rebuild.RESTART)).isGreaterThan(0.5);
    assertThat(maxRelativeError(() -> 20, Rebuild.GLOBAL_MODULO)).isGreaterThan(0.1);
  }

  /**
   * Weights 1,1,2,2,3,3,5,5,8,10 with the last flipping 10 <-> 11 after each gap, over 1,000,000
   * picks; returns the largest relative error of an endpoint's count against its time-weighted
   * expected count.
   */
  private static double maxRelativeError(LongSupplier gaps, Rebuild rebuild) {
    int n = SHAPE.length;
    int[] w = SHAPE.clone();
    SmoothSchedule s = SmoothSchedule.build(w, fresh(n));
    long[] counts = new long[n];
    double[] expected = new double[n];
    long picks = 0;
    long taken = 0;
    final long total = 1_000_000;
    while (picks < total) {
      long gap = Math.min(gaps.getAsLong(), total - picks);
      int sum = Arrays.stream(w).sum();
      for (long j = 0; j < gap; j++) {
        long position = rebuild == Rebuild.GLOBAL_MODULO ? picks + j : taken + j;
        counts[s.slot((int) (position % s.length()))]++;
      }
      for (int i = 0; i < n; i++) {
        expected[i] += (double) gap * w[i] / sum;
      }
      taken += gap;
      picks += gap;
      double[] p = rebuild == Rebuild.CARRY_PROGRESS ? s.progressAt(taken) : fresh(n);
      w[n - 1] = w[n - 1] == 10 ? 11 : 10;
      s = SmoothSchedule.build(w, p);
      taken = 0;
    }
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.abs(counts[i] - expected[i]) / expected[i]);
    }
    return max;
  }

  @Test
  void aRebuildWithTheSameWeightsContinuesSmoothly() {
    SmoothSchedule s = SmoothSchedule.build(SHAPE, fresh(SHAPE.length));
    int len = s.length();
    int total = Arrays.stream(SHAPE).sum();
    for (int taken = 0; taken < 3 * len; taken++) {
      SmoothSchedule next = SmoothSchedule.build(SHAPE, s.progressAt(taken));
      int[] seq = new int[taken + 2 * len];
      for (int k = 0; k < taken; k++) {
        seq[k] = s.slot(k % len);
      }
      for (int k = 0; k < 2 * len; k++) {
        seq[taken + k] = next.slot(k % len);
      }
      for (int i = 0; i < SHAPE.length; i++) {
        for (int start = 0; start < seq.length; start++) {
          int count = 0;
          for (int end = start; end < seq.length; end++) {
            count += seq[end] == i ? 1 : 0;
            double expected = (double) (end - start + 1) * SHAPE[i] / total;
            assertThat(Math.abs(count - expected))
                .as("rebuilt after %s picks: endpoint %s, window [%s, %s]", taken, i, start, end)
                .isLessThan(2.0);
          }
        }
      }
    }
  }

  @Test
  void zeroWeightIsNeverScheduled() {
    SmoothSchedule s = SmoothSchedule.build(new int[] {0, 3, 0, 1}, fresh(4));
    assertThat(s.length()).isEqualTo(4);
    for (int k = 0; k < s.length(); k++) {
      assertThat(s.slot(k)).isIn(1, 3);
    }
    assertThat(s.progressAt(2)[0]).isNaN();
  }

  @Test
  void build_allZero() {
    assertThatThrownBy(() -> SmoothSchedule.build(new int[] {0, 0}, fresh(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total weight: 0");
  }
}
