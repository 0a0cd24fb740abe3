package io.rota.benchmarks.fairness;

import java.util.Arrays;

/**
 * The fairness metrics of one sequence of picks, computed as the picks are recorded. Not thread-safe:
 * one thread records.
 *
 * <h2>Definitions</h2>
 * Endpoint {@code i} has weight {@code w_i(t)} at pick {@code t} (it may change between picks, see
 * {@link #setWeights}) and {@code W(t)} is the sum. After {@code n} picks:
 * <ul>
 *   <li>{@code expected_i(n) = sum over t < n of w_i(t) / W(t)}: its ideal, time-weighted count
 *       ({@code n * w_i / W} when the weights never change);
 *   <li>{@code count_i(n)}: how often it was picked;
 *   <li>{@code lag_i(n) = expected_i(n) - count_i(n)}, with {@code lag_i(0) = 0}.
 * </ul>
 * Then, after the last pick {@code N}:
 * <ul>
 *   <li><b>share deviation</b> of {@code i}: {@code |count_i(N) - expected_i(N)| / expected_i(N)},
 *       the relative error of its share; {@link #worstShareDeviation} is the largest over {@code i};
 *   <li><b>bias</b> of {@code i}: the same with its sign, {@code count_i(N) / expected_i(N) - 1};
 *   <li><b>longest run</b>: the most consecutive picks of one endpoint;
 *   <li><b>prefix error</b>: {@code max over n in 1..N and i of |lag_i(n)|}, in picks: how far any
 *       endpoint's count ever is from its ideal count since the start;
 *   <li><b>window error</b>: {@code max over i and 0 <= a < b <= N of |(count_i(b) - count_i(a)) -
 *       (expected_i(b) - expected_i(a))|}, in picks: the same for every window of consecutive picks,
 *       at any start. It equals {@code max_i (max_n lag_i(n) - min_n lag_i(n))}, which is how it is
 *       computed. A scheduler that keeps every lag in {@code (-1, 1)} has window error below 2.
 * </ul>
 * Every update is {@code O(n)} per pick, in doubles (over a million picks the rounding stays below
 * {@code 10^-8} picks).
 */
public final class PickTally {

  private final int n;
  private final double[] rate;
  private final double[] expected;
  private final long[] count;
  private final double[] maxLag;
  private final double[] minLag;
  private long picks;
  private double prefixError;
  private int last = -1;
  private long run;
  private long longestRun;
  private int longestRunEndpoint = -1;

  /**
   * Starts a tally over endpoints with these weights.
   *
   * @throws IllegalArgumentException if a weight is negative or they sum to 0
   */
  public PickTally(int[] weights) {
    this.n = weights.length;
    this.rate = new double[n];
    this.expected = new double[n];
    this.count = new long[n];
    this.maxLag = new double[n];
    this.minLag = new double[n];
    setWeights(weights);
  }

  /**
   * Sets the weights that the following picks are expected to follow.
   *
   * @throws IllegalArgumentException if the length differs, a weight is negative or they sum to 0
   */
  public void setWeights(int[] weights) {
    if (weights.length != n) {
      throw new IllegalArgumentException("weights: length " + weights.length + " (expected: " + n + ")");
    }
    long total = 0;
    for (int w : weights) {
      if (w < 0) {
        throw new IllegalArgumentException("weight: " + w + " (expected: >= 0) in " + Arrays.toString(weights));
      }
      total += w;
    }
    if (total == 0) {
      throw new IllegalArgumentException("weights: " + Arrays.toString(weights) + " (expected: a sum > 0)");
    }
    for (int i = 0; i < n; i++) {
      rate[i] = (double) weights[i] / total;
    }
  }

  /**
   * Records one pick of endpoint {@code index}.
   *
   * @throws IllegalArgumentException if {@code index} is not in {@code 0..n-1}
   */
  public void record(int index) {
    if (index < 0 || index >= n) {
      throw new IllegalArgumentException("index: " + index + " (expected: 0.." + (n - 1) + ")");
    }
    picks++;
    count[index]++;
    for (int i = 0; i < n; i++) {
      expected[i] += rate[i];
      double lag = expected[i] - count[i];
      if (lag > maxLag[i]) {
        maxLag[i] = lag;
      }
      if (lag < minLag[i]) {
        minLag[i] = lag;
      }
      prefixError = Math.max(prefixError, Math.abs(lag));
    }
    run = index == last ? run + 1 : 1;
    last = index;
    if (run > longestRun) {
      longestRun = run;
      longestRunEndpoint = index;
    }
  }

  /** Returns the number of picks recorded. */
  public long picks() {
    return picks;
  }

  /** Returns how often endpoint {@code i} was picked. */
  public long count(int i) {
    return count[i];
  }

  /** Returns endpoint {@code i}'s time-weighted ideal count. */
  public double expected(int i) {
    return expected[i];
  }

  /** Returns endpoint {@code i}'s bias, {@code count / expected - 1} ({@code NaN} if nothing was expected). */
  public double bias(int i) {
    return expected[i] == 0 ? Double.NaN : count[i] / expected[i] - 1;
  }

  /** Returns the endpoint with the largest share deviation (the lowest index on ties). */
  public int worstShareDeviationEndpoint() {
    int worst = 0;
    for (int i = 1; i < n; i++) {
      if (Math.abs(bias(i)) > Math.abs(bias(worst))) {
        worst = i;
      }
    }
    return worst;
  }

  /** Returns the largest share deviation over all endpoints (a fraction: 0.01 is 1 %). */
  public double worstShareDeviation() {
    return Math.abs(bias(worstShareDeviationEndpoint()));
  }

  /** Returns the most consecutive picks of one endpoint. */
  public long longestRun() {
    return longestRun;
  }

  /** Returns the endpoint of the first {@link #longestRun}, or -1 before any pick. */
  public int longestRunEndpoint() {
    return longestRunEndpoint;
  }

  /** Returns the prefix error in picks (see the class comment). */
  public double prefixError() {
    return prefixError;
  }

  /** Returns the window error in picks (see the class comment). */
  public double windowError() {
    double worst = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, maxLag[i] - minLag[i]);
    }
    return worst;
  }
}
