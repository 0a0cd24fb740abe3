package io.rota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The smoothness promise, checked on thousands of random weight vectors against nginx's smooth
 * weighted round robin as the reference: in every window of every length of the cyclic sequence each
 * endpoint is within two picks of its share, and no endpoint runs longer than it does under nginx.
 *
 * <p>The window error is computed exactly: with {@code f_i(t)} = picks of {@code i} in the first
 * {@code t} slots minus {@code t * w_i / L}, over one period (the sequence repeats and
 * {@code f_i(L) = f_i(0)}), the worst error over all windows of {@code i} is
 * {@code max f_i - min f_i}. Kept in integers: {@code F_i(t) = L * f_i(t)}.
 */
class SmoothSchedulePropertyTest {

  private static final int[] PRIMES = primes(1000);

  // ---------------------------------------------------------------------------------------------
  // The reference and the measures

  /** nginx's smooth weighted round robin, one period: current += weight for all, pick max, picked -= total. */
  static int[] nginx(int[] w) {
    int n = w.length;
    int total = Arrays.stream(w).sum();
    long[] current = new long[n];
    int[] seq = new int[total];
    for (int k = 0; k < total; k++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (w[i] > 0) {
          current[i] += w[i];
          if (best < 0 || current[i] > current[best]) {
            best = i;
          }
        }
      }
      current[best] -= total;
      seq[k] = best;
    }
    return seq;
  }

  /** The longest run of one endpoint in the cyclic sequence (at most its length). */
  static int longestRun(int[] seq) {
    int len = seq.length;
    int best = 1;
    int run = 1;
    for (int k = 1; k < 2 * len && best < len; k++) {
      run = seq[k % len] == seq[(k - 1) % len] ? run + 1 : 1;
      best = Math.max(best, Math.min(run, len));
    }
    return best;
  }

  /** The worst window error of any endpoint, in picks, over all windows of the cyclic sequence. */
  static double windowError(int[] seq, int[] w) {
    int len = seq.length;
    long[] count = new long[w.length];
    long[] max = new long[w.length];
    long[] min = new long[w.length];
    for (int k = 0; k < len; k++) {
      int i = seq[k];
      min[i] = Math.min(min[i], count[i] * len - (long) k * w[i]); // just before a pick: a local minimum
      count[i]++;
      max[i] = Math.max(max[i], count[i] * len - (long) (k + 1) * w[i]); // just after: a local maximum
    }
    long worst = 0;
    for (int i = 0; i < w.length; i++) {
      assertThat(count[i]).as("picks of %s per period", i).isEqualTo(w[i]);
      worst = Math.max(worst, max[i] - min[i]);
    }
    return (double) worst / len;
  }

  /**
   * The worst window error of any endpoint over the old schedule's first {@code taken} picks followed
   * by one period and a wrap of the new one, where each slot's share is that of the schedule it came
   * from.
   */
  static double straddlingError(SmoothSchedule old, int[] oldW, long taken, SmoothSchedule next, int[] newW) {
    int n = oldW.length;
    int oldLen = old.length();
    int newLen = next.length();
    int before = (int) Math.min(taken, 2L * oldLen);
    long start = taken - before;
    double[] f = new double[n];
    double[] max = new double[n];
    double[] min = new double[n];
    for (int k = 0; k < before + 2 * newLen; k++) {
      boolean isOld = k < before;
      int e = isOld ? old.slot((int) ((start + k) % oldLen)) : next.slot((k - before) % newLen);
      for (int i = 0; i < n; i++) {
        f[i] += (i == e ? 1 : 0) - (isOld ? (double) oldW[i] / oldLen : (double) newW[i] / newLen);
        max[i] = Math.max(max[i], f[i]);
        min[i] = Math.min(min[i], f[i]);
      }
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, max[i] - min[i]);
    }
    return worst;
  }

  static double[] fresh(int n) {
    double[] p = new double[n];
    Arrays.fill(p, Double.NaN);
    return p;
  }

  // ---------------------------------------------------------------------------------------------
  // Random weight vectors

  /**
   * 1..200 endpoints (mostly few), weights 1..1000 (up to 1000 for up to 8 endpoints, 200 for up to
   * 40, 30 beyond; one huge weight at any size), in shapes that stress smoothness.
   */
  static int[] randomWeights(Random random) {
    int shape = random.nextInt(7);
    int n = 1 + (int) (199 * Math.pow(random.nextDouble(), 3));
    int[] w = new int[n];
    int cap = n <= 8 ? 1000 : n <= 40 ? 200 : 30; // keeps nginx's O(n * L) reference fast
    for (int i = 0; i < n; i++) {
      switch (shape) {
        case 0: // uniform
          w[i] = 1 + random.nextInt(cap);
          break;
        case 1: // one huge, many 1s
          w[i] = i == 0 ? 1 + random.nextInt(1000) : 1;
          break;
        case 2: // a few heavy, many 1s
          w[i] = random.nextInt(10) == 0 ? 1 + random.nextInt(cap) : 1;
          break;
        case 3: // powers of two
          w[i] = 1 << random.nextInt(n <= 8 ? 10 : n <= 40 ? 8 : 5);
          break;
        case 4: // primes
          w[i] = PRIMES[random.nextInt(n <= 8 ? PRIMES.length : n <= 40 ? 46 : 10)];
          break;
        case 5: // all equal
          w[i] = i == 0 ? 1 + random.nextInt(cap) : w[0];
          break;
        default: // two distinct weights
          w[i] = random.nextBoolean() ? 1 + random.nextInt(7) : 1 + random.nextInt(cap);
          break;
      }
    }
    shuffle(w, random);
    return w;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static int[] primes(int max) {
    return java.util.stream.IntStream.rangeClosed(2, max)
        .filter(p -> java.util.stream.IntStream.rangeClosed(2, (int) Math.sqrt(p)).noneMatch(d -> p % d == 0))
        .toArray();
  }

  // ---------------------------------------------------------------------------------------------
  // The properties

  @Test
  void freshSchedulesAreWithinTwoPicksInEveryWindowAndRunNoLongerThanNginx() {
    Random random = new Random(20261207);
    for (int round = 0; round < 3000; round++) {
      int[] w = randomWeights(random);
      SmoothSchedule s = SmoothSchedule.build(w, fresh(w.length));
      String as = Arrays.toString(w);
      assertThat(windowError(s.slots(), w)).as("window error, weights %s", as).isLessThan(2.0);
      assertThat(longestRun(s.slots())).as("longest run, weights %s", as).isLessThanOrEqualTo(longestRun(nginx(w)));
      assertThat(s.movedPhases()).as("fresh phases needed no move, weights %s", as).isZero();
    }
  }

  @Test
  void anyCarriedProgressStillGivesAScheduleWithinTwoPicksInEveryWindow() {
    Random random = new Random(7);
    double[] edges = {0.0, 1.0, 2.0, 0.5, 1e-9, 2 - 1e-9, -1, 3, Double.POSITIVE_INFINITY};
    int moved = 0;
    for (int round = 0; round < 1000; round++) {
      int[] w = randomWeights(random);
      double[] progress = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        int kind = random.nextInt(4);
        progress[i] = kind == 0 ? edges[random.nextInt(edges.length)] : kind == 1 ? Double.NaN : 2 * random.nextDouble();
      }
      SmoothSchedule s = SmoothSchedule.build(w, progress);
      moved += s.movedPhases() > 0 ? 1 : 0;
      assertThat(windowError(s.slots(), w))
          .as("window error, weights %s, progress %s", Arrays.toString(w), Arrays.toString(progress))
          .isLessThan(2.0);
    }
    // Arbitrary progress is often infeasible (two endpoints both due now): the moves were exercised.
    assertThat(moved).isGreaterThan(50);
  }

  @Test
  void rebuildsCarryEveryLagSoWindowsAcrossThemStayWithinTwoPicksUnlessAPhaseHadToMove() {
    Random random = new Random(11);
    int moved = 0;
    int straddled = 0;
    double worstMoved = 0;
    for (int chain = 0; chain < 150; chain++) {
      int[] w = randomWeights(random);
      int n = w.length;
      double[] stored = fresh(n); // what the pool keeps per endpoint, also while it is out
      SmoothSchedule s = SmoothSchedule.build(w, stored);
      for (int step = 0; step < 8; step++) {
        long taken = random.nextInt(3) == 0 ? random.nextInt(3 * s.length() + 1) : random.nextInt(Math.min(50, s.length()) + 1);
        double[] p = s.progressAt(taken);
        for (int i = 0; i < n; i++) {
          if (!Double.isNaN(p[i])) {
            stored[i] = p[i];
          }
        }
        int[] next = changeWeights(w, random);
        SmoothSchedule ns = SmoothSchedule.build(next, stored);
        String as = Arrays.toString(w) + " -> " + Arrays.toString(next) + " after " + taken;
        assertThat(windowError(ns.slots(), next)).as("window error, weights %s", as).isLessThan(2.0);
        moved += ns.movedPhases() > 0 ? 1 : 0;
        if (sameMembers(w, next) && s.length() * (long) n < 2_000_000) {
          straddled++;
          double e = straddlingError(s, w, taken, ns, next);
          if (ns.movedPhases() == 0) {
            assertThat(e).as("window error across the rebuild, weights %s", as).isLessThan(2.0 + 1e-6);
          } else {
            worstMoved = Math.max(worstMoved, e);
          }
        }
        w = next;
        s = ns;
      }
    }
    assertThat(straddled).isGreaterThan(250);
    assertThat(moved).as("rebuilds whose carried lags were infeasible").isBetween(1, 200);
    assertThat(worstMoved).isLessThan(3.0);
  }

  private static int[] changeWeights(int[] w, Random random) {
    int n = w.length;
    int[] next = w.clone();
    int changes = 1 + random.nextInt(Math.max(1, n / 4));
    for (int c = 0; c < changes; c++) {
      int i = random.nextInt(n);
      switch (random.nextInt(4)) {
        case 0: // leaves (or stays out)
          next[i] = 0;
          break;
        case 1: // a small step, as slow start makes
          next[i] = Math.max(1, next[i] + random.nextInt(5) - 2);
          break;
        default: // anything, also a comeback
          next[i] = 1 + random.nextInt(next[i] == 0 ? 100 : 2 * next[i]);
          break;
      }
    }
    if (Arrays.stream(next).sum() == 0) {
      next[0] = 1;
    }
    return next;
  }

  private static boolean sameMembers(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if ((a[i] == 0) != (b[i] == 0)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void carriedLagsThatCannotGoOnAreMovedAndTheScheduleKeepsTheBound() {
    // Two light endpoints both almost due (lag 0.9) and a heavy one just ahead (lag -0.9): with
    // weights 1, 1, 2 both light ones would have to take the first slot.
    int[] w = {1, 1, 2};
    SmoothSchedule s = SmoothSchedule.build(w, new double[] {0.1, 0.1, 1.9});

    assertThat(s.movedPhases()).isEqualTo(1);
    // One light endpoint keeps its lag; the other is moved later by the least amount: it is then due
    // in the second slot, a lag of 3/4 (it misses 0.15 of a pick once).
    assertThat(Math.max(s.phase(0), s.phase(1))).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Math.min(s.phase(0), s.phase(1))).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(s.phase(2)).isCloseTo(-0.9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(windowError(s.slots(), w)).isLessThan(2.0);
  }

  // ---------------------------------------------------------------------------------------------
  // The three cases of the issue, with their measured numbers (ours against nginx's)

  @Test
  void fourLightAndOneTenfoldEndpoint() {
    // Was: d e e e e e e e e e e a b c, a run of 10 and an error of 2.86 picks. nginx: run 4, 1.14.
    assertCase(new int[] {1, 1, 1, 1, 10}, 3, 0.93, 4, 1.14);
  }

  @Test
  void nineLightAndOneHundredfoldEndpoint() {
    // Was: a run of 100 and an error of 8.3 picks. nginx: run 20, 1.65.
    int[] w = new int[10];
    Arrays.fill(w, 1);
    w[9] = 100;
    assertCase(w, 12, 0.99, 20, 1.65);
  }

  @Test
  void fiftyLightAndThreeHeavyEndpoints() {
    // Was: an error of 38.5 picks. nginx: run 6, 1.85.
    int[] w = new int[53];
    Arrays.fill(w, 1);
    w[50] = 7;
    w[51] = 13;
    w[52] = 200;
    assertCase(w, 3, 1.14, 6, 1.85);
  }

  private static void assertCase(int[] w, int run, double error, int nginxRun, double nginxError) {
    int[] ours = SmoothSchedule.build(w, fresh(w.length)).slots();
    int[] reference = nginx(w);
    org.assertj.core.data.Offset<Double> twoDecimals = org.assertj.core.data.Offset.offset(0.005);
    assertThat(longestRun(reference)).isEqualTo(nginxRun);
    assertThat(windowError(reference, w)).isCloseTo(nginxError, twoDecimals);
    assertThat(longestRun(ours)).isEqualTo(run);
    assertThat(windowError(ours, w)).isCloseTo(error, twoDecimals);
  }
}
