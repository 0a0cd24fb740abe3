package io.rota.benchmarks.fairness;

import java.util.Random;

/**
 * When the fairness report flips a weight: every {@code gap} picks (fixed), or after gaps drawn
 * uniformly from {@code 1..2*gap-1} (mean {@code gap}) by a {@link Random} with a fixed seed, so every
 * implementation sees the same flips. Not thread-safe.
 */
public final class FlipPlan {

  /** The seed of the random gaps. */
  public static final long SEED = 20261208L;

  private final int gap;
  private final Random random;
  private long next;

  private FlipPlan(int gap, boolean randomGaps) {
    if (gap < 1) {
      throw new IllegalArgumentException("gap: " + gap + " (expected: >= 1)");
    }
    this.gap = gap;
    this.random = randomGaps ? new Random(SEED) : null;
    this.next = nextGap();
  }

  /** Returns a plan flipping every {@code gap} picks. */
  public static FlipPlan fixed(int gap) {
    return new FlipPlan(gap, false);
  }

  /** Returns a plan flipping after random gaps of mean {@code gap} (seed {@value #SEED}). */
  public static FlipPlan random(int gap) {
    return new FlipPlan(gap, true);
  }

  private int nextGap() {
    return random == null ? gap : 1 + random.nextInt(2 * gap - 1);
  }

  /**
   * Returns whether the weight flips before pick {@code pick} (counted from 0); call it once per pick,
   * in order.
   */
  public boolean flipsBefore(long pick) {
    if (pick < next) {
      return false;
    }
    next += nextGap();
    return true;
  }
}
