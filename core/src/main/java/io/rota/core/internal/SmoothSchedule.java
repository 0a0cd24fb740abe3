package io.rota.core.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One period of a smooth weighted round-robin order, precomputed so that a pick is one array read.
 *
 * <h2>What holds</h2>
 * Let {@code L} be the period length (the sum of the schedule weights), {@code u_i = w_i / L} the share
 * of endpoint {@code i}, and {@code lag_i(t)} its ideal count minus its real count after {@code t}
 * picks. Every schedule keeps {@code -1 < lag_i(t) < 1} at every pick, forever (the period repeats and
 * every endpoint has exactly {@code w_i} slots in it). Hence in <em>every</em> window of consecutive
 * picks, of any length, at any start, including windows that wrap around the period, each endpoint's
 * count differs from its share by <em>less than two</em> picks. Weights 1, 2, 3 give
 * {@code c b c a c b}, never {@code a b b c c c}; weights 1, 1, 1, 1, 10 never give the heavy endpoint
 * more than three picks in a row. {@code SmoothSchedulePropertyTest} checks the bound exactly on
 * thousands of random weight vectors, fresh, with arbitrary carried progress and after random weight
 * changes, and checks against nginx's smooth weighted round robin that no fresh schedule has a longer
 * run of one endpoint than nginx gives on the same weights.
 *
 * <h2>Algorithm</h2>
 * Earliest deadline first with release times, as in proportionate-fair ("pfair") scheduling (Baruah,
 * Cohen, Plaxton and Varvel, 1996). Give endpoint {@code i} a phase {@code a_i} in {@code (-1, 1)}
 * and the ideal count {@code x_i(t) = a_i + t * u_i}. Its {@code j}-th pick ({@code j = 0, 1, ...}) is a
 * unit job that may take slot {@code k} only if {@code x_i(k + 1) > j} (it is released) and must take
 * a slot {@code k} with {@code x_i(k) < j + 1} (its deadline). Each slot goes to the released job
 * with the earliest slot deadline (the first slot it may no longer take); ties go to the larger
 * weight, then the earlier exact deadline, then the lower index. A job scheduled inside its
 * window keeps {@code floor(x_i(t)) <= count_i(t) <= ceil(x_i(t))}, which is the lag bound above.
 * EDF is optimal for unit jobs on one machine, so if any order meets every window, EDF does.
 *
 * <p>Whether one does depends on the phases (Hall's condition for intervals): it does if and only if
 * <ul>
 *   <li>(D) for every {@code e} in {@code 1..L}, at most {@code e} jobs must be done before slot
 *       {@code e}, and
 *   <li>(R) for every {@code s} in {@code 0..L-1}, at most {@code L - s} jobs are released at slot
 *       {@code s} or later
 * </ul>
 * (windows that neither start at {@code 0} nor end at {@code L} always fit, because
 * {@code sum floor(m * u_i) <= m}). Phase {@code 0} for all (a synchronous start) always satisfies
 * both; so does any mix of phases of one sign for (D) when it is non-positive and for (R) when it is
 * non-negative. {@link #build} runs EDF first (it fails exactly when the windows are infeasible)
 * and only then checks both in {@code O(L + n)} to move phases.
 *
 * <h2>Carried progress, and when it cannot be carried</h2>
 * A change of weights or membership builds a new schedule; where it starts matters. Restarting at
 * slot 0 favours whoever is first in the order, and keeping a global counter modulo a period whose
 * length changes resonates at some cadences. Instead every endpoint carries its lag across the change:
 * its <em>progress</em> {@code r_i = 1 - lag_i}, the number of its intervals until its next pick is
 * due ({@code 0} due now, {@code 1} just picked on time, up to {@code 2} picked early), becomes the
 * phase {@code a_i = 1 - r_i} of the new schedule. An endpoint that was about to be picked is still
 * about to be picked, whatever its new weight, and nobody gains or loses picks: the lag bound then
 * holds across the rebuild too, so windows that straddle it are also within two picks.
 *
 * <p>The carried phases can violate (D) or (R) for the <em>new</em> weights: for example, two light
 * endpoints both almost due while a heavy one has just run ahead (lags 0.9, 0.9, -0.9) cannot go on
 * when the weights become 1, 1, 2, since both must be picked in the first slot. No order can then keep
 * every lag inside {@code (-1, 1)} across the rebuild. {@code build} moves the phases of as few
 * endpoints as it can, each by the least amount that clears the first violated interval (an
 * endpoint that must be picked too early is moved later, one released too late is moved earlier),
 * repeats, and falls back to phase {@code 0} for one sign and then for all after a few rounds. Every
 * move goes toward {@code 0} without crossing it, so an endpoint's phase moves by less than one pick
 * in all. The new schedule itself still keeps the bound; only windows straddling such a rebuild can
 * exceed it, by at most that move: a window straddling one such rebuild stays under three picks. A
 * window straddling several of them can add up their moves (the benchmarks' {@code FairnessReport}
 * measured 3.72 picks with the weight 10 of 1, 1, 2, 2, 3, 3, 5, 5, 8, 10 flipping to 11 and back every
 * 7 picks); the moves point toward {@code 0} and never accumulate into a share that drifts.
 *
 * <p>Endpoints without history (fresh) have no lag to keep: the {@code k}-th of {@code m} fresh
 * endpoints (by index) gets phase {@code -k / (4m)}. One fresh endpoint joining others gets
 * {@code 0}, neither owed nor owing a pick; a whole fresh pool is staggered, because a synchronous
 * start makes every endpoint due at the period boundary at once and lengthens runs across it.
 *
 * <p>Arithmetic is exact: phases are integers on the common denominator {@code L * 2^s} and deadlines
 * are compared as quotient and remainder, so no floating-point error decides a slot, and
 * {@link #progressAt} computes lags in closed form from the counts.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SmoothSchedule {

  /** Progress of an endpoint that has no history: {@code NaN}, the schedule chooses its phase. */
  public static final double FRESH_PROGRESS = Double.NaN;

  /** The longest period {@link #build} accepts. */
  static final int MAX_LENGTH = 1 << 24;

  /** Rounds of targeted phase moves before {@link #build} falls back to phase 0. */
  private static final int REPAIR_ROUNDS = 16;

  private final int[] slots;
  private final int[] weights;
  /** Phase numerators on the denominator {@link #denominator}. */
  private final long[] phase;
  private final int shift;
  private final long denominator;
  /** How many endpoints had their carried phase moved to make the windows feasible. */
  private final int moved;

  private SmoothSchedule(int[] slots, int[] weights, long[] phase, int shift, long denominator, int moved) {
    this.slots = slots;
    this.weights = weights;
    this.phase = phase;
    this.shift = shift;
    this.denominator = denominator;
    this.moved = moved;
  }

  /**
   * Builds one period.
   *
   * @param weights schedule weight per endpoint index; {@code 0} leaves the endpoint out; the sum must
   *     be in {@code 1..2^24}
   * @param progress per endpoint index, the number of its intervals until its next pick is due, in
   *     {@code [0, 2]} (values outside are clamped), as returned by {@link #progressAt}; {@code NaN} for
   *     an endpoint with no history (fresh)
   * @throws IllegalArgumentException if a weight is negative, the sum is out of range, or the arrays
   *     differ in length
   */
  public static SmoothSchedule build(int[] weights, double[] progress) {
    int n = weights.length;
    if (progress.length != n) {
      throw new IllegalArgumentException(
          "progress: length " + progress.length + " (expected: " + n + ", one per weight)");
    }
    long total = 0;
    int maxWeight = 0;
    for (int w : weights) {
      if (w < 0) {
        throw new IllegalArgumentException("weight: " + w + " (expected: >= 0)");
      }
      total += w;
      maxWeight = Math.max(maxWeight, w);
    }
    if (total <= 0 || total > MAX_LENGTH) {
      throw new IllegalArgumentException("total weight: " + total + " (expected: 1.." + MAX_LENGTH + ")");
    }
    int len = (int) total;
    // Every w_i << shift stays below 2^31, so remainder products fit in a long.
    int shift = 31 - (32 - Integer.numberOfLeadingZeros(maxWeight));
    long den = (long) len << shift;
    long[] phase = new long[n];
    int fresh = 0;
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0 && !Double.isNaN(progress[i])) {
        double r = Math.min(2.0, Math.max(0.0, progress[i]));
        long a = Math.round((1.0 - r) * den);
        phase[i] = Math.max(-(den - 1), Math.min(den - 1, a));
      } else if (weights[i] > 0) {
        fresh++;
      }
    }
    if (fresh > 1) {
      staggerFresh(weights, progress, phase, fresh, den);
    }
    // EDF is optimal: it fills every slot within every window exactly when the windows are feasible,
    // so it runs first, and only if it fails are the phases moved (see Windows) and EDF run again.
    int moved = 0;
    int[] slots = new Edf(weights, len, shift, phase).run();
    if (slots == null) {
      moved = new Windows(weights, len, shift, phase).makeFeasible();
      slots = new Edf(weights, len, shift, phase).run();
      if (slots == null) {
        throw new IllegalStateException("no schedule for feasible windows (a bug), weights " + Arrays.toString(weights));
      }
    }
    return new SmoothSchedule(slots, weights.clone(), phase, shift, den, moved);
  }

  /**
   * Spreads the phases of the {@code m} fresh endpoints over a quarter of an interval: the {@code k}-th
   * by index gets phase {@code -k / (4m)}, so their releases and deadlines do not coincide. (A
   * synchronous start makes every endpoint due at the period boundary at once, which lengthens runs
   * across it; a quarter keeps the phases close enough to zero that (R) has held on every vector
   * tried, and {@link Windows} restores it if not.)
   */
  private static void staggerFresh(int[] weights, double[] progress, long[] phase, int m, long den) {
    long step = den / 4;
    int k = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0 && Double.isNaN(progress[i])) {
        phase[i] = -((step / m) * k + (step % m) * k / m);
        k++;
      }
    }
  }

  /** Returns the number of slots in one period (the sum of the schedule weights). */
  public int length() {
    return slots.length;
  }

  /** Returns the endpoint index at a slot, {@code 0 <= slot < length()}. */
  public int slot(int slot) {
    return slots[slot];
  }

  /** Returns the slots array itself; callers must not modify it. */
  int[] slots() {
    return slots;
  }

  /** Returns how many carried phases {@link #build} had to move (see the class comment). */
  int movedPhases() {
    return moved;
  }

  /** Returns endpoint {@code i}'s lag at the start of the period, in picks. */
  double phase(int i) {
    return (double) phase[i] / denominator;
  }

  /**
   * Returns each endpoint's progress (see the class comment) after {@code picks} picks from the start
   * of this schedule, to pass to the next {@link #build}. Endpoints with weight 0 here get
   * {@code NaN}: the caller keeps what it had.
   */
  public double[] progressAt(long picks) {
    int n = weights.length;
    int len = slots.length;
    int p = (int) Math.floorMod(picks, (long) len);
    long[] counts = new long[n];
    for (int k = 0; k < p; k++) {
      counts[slots[k]]++;
    }
    double[] progress = new double[n];
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0) {
        // lag * den = phase + p * w_i * 2^shift - count * den, exact in a long
        long lag = phase[i] + ((long) p * weights[i] << shift) - counts[i] * denominator;
        progress[i] = 1.0 - (double) lag / denominator;
      } else {
        progress[i] = Double.NaN;
      }
    }
    return progress;
  }

  @Override
  public String toString() {
    return "SmoothSchedule{weights=" + Arrays.toString(weights) + ", length=" + slots.length + '}';
  }

  /**
   * The job windows of one period and the two Hall conditions (D) and (R) of the class comment, with
   * the phase moves that restore them. All numbers are on the denominator {@code D = L << shift};
   * endpoint {@code i}'s rate is {@code d_i = w_i << shift} per slot, so {@code x_i(t) * D =
   * phase_i + t * d_i}.
   */
  private static final class Windows {
    private final int[] weights;
    private final int len;
    private final int shift;
    private final long den;
    private final long[] phase;
    /** dueBy[e]: jobs whose last allowed slot is e - 1; then, after the prefix sum, jobs due by e. */
    private final int[] due;
    /** releasedAt[s]: jobs first allowed at slot s. */
    private final int[] released;

    Windows(int[] weights, int len, int shift, long[] phase) {
      this.weights = weights;
      this.len = len;
      this.shift = shift;
      this.den = (long) len << shift;
      this.phase = phase;
      this.due = new int[len + 1];
      this.released = new int[len + 1];
    }

    /** Moves phases until (D) and (R) hold; returns how many endpoints were moved. */
    int makeFeasible() {
      boolean[] touched = null;
      for (int round = 0; ; round++) {
        count();
        int e = firstOverdue();
        int s = e < 0 ? lastStarved() : -1;
        if (e < 0 && s < 0) {
          return touched == null ? 0 : countTrue(touched);
        }
        if (touched == null) {
          touched = new boolean[weights.length];
        }
        if (round >= REPAIR_ROUNDS) {
          // Phase 0 for one sign satisfies that sign's condition; 0 for all satisfies both.
          boolean positive = e >= 0;
          for (int i = 0; i < phase.length; i++) {
            if (phase[i] != 0 && (positive ? phase[i] > 0 : phase[i] < 0 || round > REPAIR_ROUNDS)) {
              phase[i] = 0;
              touched[i] = true;
            }
          }
          continue;
        }
        if (e >= 0) {
          moveLater(e, due[e] - e, touched);
        } else {
          moveEarlier(s, (int) (suffixReleased(s) - (len - s)), touched);
        }
      }
    }

    private static int countTrue(boolean[] b) {
      int c = 0;
      for (boolean x : b) {
        c += x ? 1 : 0;
      }
      return c;
    }

    /** Fills {@link #due} (as a prefix count) and {@link #released} (per slot). */
    private void count() {
      Arrays.fill(due, 0);
      Arrays.fill(released, 0);
      for (int i = 0; i < weights.length; i++) {
        int w = weights[i];
        if (w == 0) {
          continue;
        }
        // Job j is released at slot max(0, floor((j*D - phase) / d)) and must take a slot below
        // ceil(((j+1)*D - phase) / d): one numerator stepping by D, kept as quotient and remainder.
        long d = (long) w << shift;
        long stepQ = den / d;
        long stepR = den % d;
        long q = Math.floorDiv(-phase[i], d);
        long r = Math.floorMod(-phase[i], d);
        for (int j = 0; j < w; j++) {
          released[(int) Math.max(0, q)]++;
          q += stepQ;
          r += stepR;
          if (r >= d) {
            r -= d;
            q++;
          }
          due[(int) Math.min(len, r > 0 ? q + 1 : q)]++;
        }
      }
      for (int e = 1; e <= len; e++) {
        due[e] += due[e - 1];
      }
    }

    /** Returns the first {@code e} where more than {@code e} jobs are due by slot {@code e}, or -1. */
    private int firstOverdue() {
      for (int e = 1; e <= len; e++) {
        if (due[e] > e) {
          return e;
        }
      }
      return -1;
    }

    private long suffixReleased(int s) {
      long c = 0;
      for (int k = s; k < len; k++) {
        c += released[k];
      }
      return c;
    }

    /** Returns the last {@code s} where more than {@code L - s} jobs are released at {@code s} or later, or -1. */
    private int lastStarved() {
      long c = 0;
      for (int s = len - 1; s >= 1; s--) {
        c += released[s];
        if (c > len - s) {
          return s;
        }
      }
      return -1;
    }

    /**
     * (D) fails at {@code e} by {@code excess} jobs: among endpoints that have one more job due by
     * {@code e} than phase 0 would give them, moves the {@code excess} that need the smallest move
     * just far enough that that job is due after {@code e}.
     */
    private void moveLater(int e, int excess, boolean[] touched) {
      long[] target = new long[phase.length];
      Integer[] candidates = candidates();
      int m = 0;
      for (int i = 0; i < phase.length; i++) {
        long d = (long) weights[i] << shift;
        if (weights[i] == 0 || phase[i] <= 0) {
          continue;
        }
        long dueNow = Math.min(weights[i], Math.floorDiv(phase[i] + e * d, den));
        long dueAtZero = Math.min(weights[i], Math.floorDiv(e * d, den));
        if (dueNow > dueAtZero) {
          target[i] = dueNow * den - e * d - 1; // job dueNow-1 then has its last slot at e or later
          candidates[m++] = i;
        }
      }
      move(candidates, m, excess, target, touched);
    }

    /**
     * (R) fails at {@code s} by {@code excess} jobs: among endpoints that have one more job released
     * at {@code s} or later than phase 0 would give them, moves the {@code excess} that need the
     * smallest move just far enough that that job is released before {@code s}.
     */
    private void moveEarlier(int s, int excess, boolean[] touched) {
      long[] target = new long[phase.length];
      Integer[] candidates = candidates();
      int m = 0;
      for (int i = 0; i < phase.length; i++) {
        long d = (long) weights[i] << shift;
        if (weights[i] == 0 || phase[i] >= 0) {
          continue;
        }
        long before = Math.max(0, ceilDiv(phase[i] + s * d, den));
        long beforeAtZero = ceilDiv(s * d, den);
        if (before < beforeAtZero && before < weights[i]) {
          target[i] = before * den - s * d + 1; // job `before` is then released at s - 1 or earlier
          candidates[m++] = i;
        }
      }
      move(candidates, m, excess, target, touched);
    }

    private Integer[] candidates() {
      return new Integer[phase.length];
    }

    private void move(Integer[] candidates, int m, int excess, long[] target, boolean[] touched) {
      Arrays.sort(candidates, 0, m,
          (x, y) -> Long.compare(Math.abs(phase[x] - target[x]), Math.abs(phase[y] - target[y])));
      for (int k = 0; k < Math.min(m, excess); k++) {
        int i = candidates[k];
        phase[i] = target[i];
        touched[i] = true;
      }
    }

    private static long ceilDiv(long x, long y) {
      return -Math.floorDiv(-x, y);
    }
  }

  /**
   * Earliest deadline first over the job windows of {@link Windows}. A job's deadline numerator
   * {@code (j+1)*D - phase} over the rate {@code d} is kept as quotient and remainder, stepped without
   * division; the next job's release slot is the previous deadline's quotient. Released jobs sit in a
   * bucket per slot deadline (the first slot the job may no longer take, at most {@code 2L}), each
   * bucket a list in priority order, with a two-level bitmap of non-empty buckets: a pick is O(1)
   * apart from the insertion into its bucket, which is short unless many endpoints share a
   * deadline. Endpoints waiting for a release sit in a list per slot.
   */
  private static final class Edf {
    private final int[] weights;
    private final int len;
    private final long[] rate;
    private final long[] stepQ;
    private final long[] stepR;
    private final long[] quotient;
    private final long[] remainder;
    private final int[] bucketHead;
    private final int[] bucketNext;
    private final long[] bits;
    private final long[] summary;
    /**
     * No bucket below this one is non-empty; it is exact (the lowest non-empty bucket, {@code 2 * len
     * + 1} when none) after {@link #removeLowest} looks it up, which it does before the pick, after
     * the slot's releases are in (looking up right after a pick would scan past the picked
     * endpoint's next deadline before it is inserted).
     */
    private int lowest;
    private final int[] waitingHead;
    private final int[] waitingNext;

    Edf(int[] weights, int len, int shift, long[] phase) {
      int n = weights.length;
      long den = (long) len << shift;
      this.weights = weights;
      this.len = len;
      this.rate = new long[n];
      this.stepQ = new long[n];
      this.stepR = new long[n];
      this.quotient = new long[n];
      this.remainder = new long[n];
      // deadline numerator < (w + 1) * D, so the slot deadline is at most L + L / w <= 2L
      this.bucketHead = new int[2 * len + 1];
      this.bucketNext = new int[n];
      this.bits = new long[(2 * len >> 6) + 1];
      this.summary = new long[(bits.length >> 6) + 1];
      this.lowest = 2 * len + 1;
      this.waitingHead = new int[len];
      this.waitingNext = new int[n];
      Arrays.fill(bucketHead, -1);
      Arrays.fill(waitingHead, -1);
      for (int i = 0; i < n; i++) {
        if (weights[i] > 0) {
          long d = (long) weights[i] << shift;
          rate[i] = d;
          stepQ[i] = den / d;
          stepR[i] = den % d;
          quotient[i] = (den - phase[i]) / d; // den - phase > 0
          remainder[i] = (den - phase[i]) % d;
          long release = Math.max(0, Math.floorDiv(-phase[i], d));
          if (release == 0) {
            insert(i);
          } else {
            wait(i, (int) release);
          }
        }
      }
    }

    /** Returns one period, or {@code null} if some slot has no job that fits its window. */
    int @Nullable [] run() {
      int[] slots = new int[len];
      int[] counts = new int[weights.length];
      for (int k = 0; k < len; k++) {
        for (int i = waitingHead[k]; i >= 0; i = waitingNext[i]) {
          insert(i);
        }
        lowest = nonEmptyFrom(lowest);
        if (lowest > 2 * len || lowest <= k) {
          return null; // no released job, or one past its deadline: the windows are infeasible
        }
        int i = removeLowest();
        slots[k] = i;
        if (++counts[i] == weights[i]) {
          continue;
        }
        long release = quotient[i];
        quotient[i] += stepQ[i];
        remainder[i] += stepR[i];
        if (remainder[i] >= rate[i]) {
          remainder[i] -= rate[i];
          quotient[i]++;
        }
        if (release <= k + 1) {
          insert(i); // released for the next slot already
        } else {
          wait(i, (int) release);
        }
      }
      return slots;
    }

    private long deadlineSlot(int i) {
      return quotient[i] + (remainder[i] > 0 ? 1 : 0);
    }

    /**
     * Priority: the slot deadline, then the larger weight, then the exact deadline, then the lower
     * index. Any order by slot deadline is EDF, so the tie rules only shape the sequence; these keep
     * heavy endpoints' runs as short as nginx's.
     */
    private boolean less(int a, int b) {
      long da = deadlineSlot(a);
      long db = deadlineSlot(b);
      if (da != db) {
        return da < db;
      }
      if (weights[a] != weights[b]) {
        return weights[a] > weights[b];
      }
      if (quotient[a] != quotient[b]) {
        return quotient[a] < quotient[b];
      }
      // remainder_a / rate_a vs remainder_b / rate_b; both factors below 2^31
      long x = remainder[a] * rate[b];
      long y = remainder[b] * rate[a];
      if (x != y) {
        return x < y;
      }
      return a < b;
    }

    private void insert(int i) {
      int b = (int) deadlineSlot(i);
      int prev = -1;
      int cur = bucketHead[b];
      while (cur >= 0 && less(cur, i)) {
        prev = cur;
        cur = bucketNext[cur];
      }
      bucketNext[i] = cur;
      if (prev < 0) {
        bucketHead[b] = i;
      } else {
        bucketNext[prev] = i;
      }
      bits[b >> 6] |= 1L << b;
      summary[b >> 12] |= 1L << (b >> 6);
      lowest = Math.min(lowest, b);
    }

    private int removeLowest() {
      int b = lowest;
      int i = bucketHead[b];
      bucketHead[b] = bucketNext[i];
      if (bucketHead[b] < 0) {
        int word = b >> 6;
        bits[word] &= ~(1L << b);
        if (bits[word] == 0) {
          summary[word >> 6] &= ~(1L << word);
        }
        lowest = b + 1;
      }
      return i;
    }

    /** Returns the lowest non-empty bucket at or after {@code from}, or {@code 2 * len + 1}. */
    private int nonEmptyFrom(int from) {
      int word = from >> 6;
      if (word < bits.length) {
        long inWord = bits[word] & (-1L << from);
        if (inWord != 0) {
          return (word << 6) + Long.numberOfTrailingZeros(inWord);
        }
      }
      int next = word + 1; // the first whole word not yet looked at
      for (int s = next >> 6; s < summary.length; s++) {
        long words = s == next >> 6 ? summary[s] & (-1L << next) : summary[s];
        if (words != 0) {
          int w = (s << 6) + Long.numberOfTrailingZeros(words);
          return (w << 6) + Long.numberOfTrailingZeros(bits[w]);
        }
      }
      return 2 * len + 1;
    }

    private void wait(int i, int slot) {
      waitingNext[i] = waitingHead[slot];
      waitingHead[slot] = i;
    }
  }
}
