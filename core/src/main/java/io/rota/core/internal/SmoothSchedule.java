package io.rota.core.internal;

import java.util.Arrays;

/**
 * One period of a smooth weighted round-robin order, precomputed so that a pick is one array read.
 *
 * <h2>Algorithm</h2>
 * This is earliest-deadline-first (stride) scheduling in <em>virtual time</em>, where one unit of
 * virtual time is one full period. Endpoint {@code i} with schedule weight {@code w_i} is due every
 * {@code 1 / w_i} units; its next deadline is {@code d_i}. A period emits, {@code L = sum(w_i)} times,
 * the endpoint with the smallest deadline and then advances that deadline by {@code 1 / w_i}. After
 * {@code L} emissions every endpoint has been emitted exactly {@code w_i} times and every deadline has
 * advanced by exactly one unit, so the period repeats forever: a pick is
 * {@code slots[counter % L]}, with no lock and no allocation.
 *
 * <p>Smoothness: in EDF each endpoint's emitted count stays within one of {@code w_i * t} at every
 * virtual time {@code t}, so any window of {@code W} consecutive picks holds within two (in practice
 * within one) of {@code W * w_i / L} picks of endpoint {@code i}: weights 1, 2, 3 give
 * {@code c b c a b c}, never {@code a b b c c c} (compare nginx's smooth weighted round robin, which
 * reaches the same interleaving with an O(n) scan and a lock per pick).
 *
 * <h2>No restart bias</h2>
 * A change of weights or membership builds a new schedule; where it starts matters. Restarting at
 * slot 0 favours whoever is first in the order (Armeria's weighted round robin over-serves its first
 * endpoints by hundreds of percent when weights change every few picks), and keeping a global counter
 * modulo a period whose length changes resonates at some cadences. Instead every endpoint carries its
 * <em>progress</em> across the change: {@code r_i = (d_i - V) * w_i} in {@code [0, 1]}, the fraction of
 * its current interval still to wait, where {@code V} is the virtual time of the last pick. The new
 * schedule starts with {@code d_i = r_i / w'_i}, so an endpoint that was about to be picked is still
 * about to be picked, whatever its new weight. {@link #progressAt} replays the old period up to the
 * number of picks actually taken from it (closed form, no accumulated floating-point error).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SmoothSchedule {

  /** Progress of an endpoint that has no history: due in the middle of its first interval. */
  public static final double FRESH_PROGRESS = 0.5;

  private final int[] slots;
  private final int[] weights;
  private final double[] startDeadline;

  private SmoothSchedule(int[] slots, int[] weights, double[] startDeadline) {
    this.slots = slots;
    this.weights = weights;
    this.startDeadline = startDeadline;
  }

  /**
   * Builds one period.
   *
   * @param weights schedule weight per endpoint index; {@code 0} leaves the endpoint out; the sum must
   *     be positive and fit in an {@code int}
   * @param progress per endpoint index, the fraction of its interval still to wait, in {@code [0, 1]};
   *     {@code NaN} for an endpoint with no history (fresh)
   */
  public static SmoothSchedule build(int[] weights, double[] progress) {
    int n = weights.length;
    long total = 0;
    for (int w : weights) {
      if (w < 0) {
        throw new IllegalArgumentException("weight: " + w + " (expected: >= 0)");
      }
      total += w;
    }
    if (total <= 0 || total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("total weight: " + total + " (expected: 1.." + (Integer.MAX_VALUE - 8) + ")");
    }
    double[] start = new double[n];
    int[] heap = new int[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0) {
        double p = Double.isNaN(progress[i]) ? FRESH_PROGRESS : progress[i];
        double r = Math.min(1.0, Math.max(0.0, p));
        start[i] = r / weights[i];
        heap[size++] = i;
      }
    }
    int[] counts = new int[n];
    IndexHeap h = new IndexHeap(heap, size, start, counts, weights);
    int[] slots = new int[(int) total];
    for (int k = 0; k < slots.length; k++) {
      int i = h.peek();
      slots[k] = i;
      counts[i]++;
      if (counts[i] == weights[i]) {
        h.removeTop(); // its picks for this period are done, whatever ties come at the period's end
      } else {
        h.siftDownTop();
      }
    }
    return new SmoothSchedule(slots, weights.clone(), start);
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

  /**
   * Returns each endpoint's progress (see the class comment) after {@code picks} picks from the start
   * of this schedule. Endpoints with weight 0 here get {@code NaN}: the caller keeps what it had.
   */
  public double[] progressAt(long picks) {
    int n = weights.length;
    int len = slots.length;
    int p = (int) Math.floorMod(picks, (long) len);
    int[] counts = new int[n];
    for (int k = 0; k < p; k++) {
      counts[slots[k]]++;
    }
    double v;
    if (p > 0) {
      int last = slots[p - 1];
      v = deadline(last, counts[last] - 1);
    } else if (picks > 0) {
      int last = slots[len - 1];
      v = deadline(last, weights[last] - 1) - 1.0;
    } else {
      v = 0.0;
    }
    double[] progress = new double[n];
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0) {
        double r = (deadline(i, counts[i]) - v) * weights[i];
        progress[i] = Math.min(1.0, Math.max(0.0, r));
      } else {
        progress[i] = Double.NaN;
      }
    }
    return progress;
  }

  private double deadline(int i, int emitted) {
    return startDeadline[i] + (double) emitted / weights[i];
  }

  @Override
  public String toString() {
    return "SmoothSchedule{weights=" + Arrays.toString(weights) + ", length=" + slots.length + '}';
  }

  /**
   * Binary min-heap of endpoint indexes ordered by next deadline, then larger weight, then index.
   * Deadlines are computed in closed form from the emitted counts so that {@link #progressAt} can
   * reproduce them exactly.
   */
  private static final class IndexHeap {
    private final int[] heap;
    private int size;
    private final double[] start;
    private final int[] counts;
    private final int[] weights;

    IndexHeap(int[] heap, int size, double[] start, int[] counts, int[] weights) {
      this.heap = heap;
      this.size = size;
      this.start = start;
      this.counts = counts;
      this.weights = weights;
      for (int k = size / 2 - 1; k >= 0; k--) {
        siftDown(k);
      }
    }

    int peek() {
      return heap[0];
    }

    void siftDownTop() {
      siftDown(0);
    }

    void removeTop() {
      heap[0] = heap[--size];
      if (size > 0) {
        siftDown(0);
      }
    }

    private double key(int i) {
      return start[i] + (double) counts[i] / weights[i];
    }

    private boolean less(int a, int b) {
      double ka = key(a);
      double kb = key(b);
      if (ka != kb) {
        return ka < kb;
      }
      if (weights[a] != weights[b]) {
        return weights[a] > weights[b];
      }
      return a < b;
    }

    private void siftDown(int k) {
      int x = heap[k];
      while (true) {
        int child = 2 * k + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && less(heap[child + 1], heap[child])) {
          child++;
        }
        if (!less(heap[child], x)) {
          break;
        }
        heap[k] = heap[child];
        k = child;
      }
      heap[k] = x;
    }
  }
}
