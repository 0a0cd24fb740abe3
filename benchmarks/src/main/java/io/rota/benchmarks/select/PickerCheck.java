package io.rota.benchmarks.select;

import java.util.Arrays;

/**
 * The benchmark's sanity check: a picker really follows its weights. Stateless; thread-safe.
 */
public final class PickerCheck {

  /** The largest total variation distance from the weights' shares that passes. */
  static final double MAX_DISTANCE = 0.05;

  private PickerCheck() {}

  /**
   * Takes {@code max(100_000, 20 * total weight)} picks and checks that no pick is {@code null} and that
   * the observed shares are within total variation distance {@value #MAX_DISTANCE} of
   * {@code w_i / W} (every exact scheduler lands far inside it; gRPC's clamping of light weights
   * and Ribbon's randomness stay inside it too).
   *
   * @throws IllegalStateException naming the picker and the shares if the check fails
   */
  public static void followsWeights(Picker picker, int[] weights) {
    long total = Arrays.stream(weights).asLongStream().sum();
    int picks = (int) Math.max(100_000, 20 * total);
    long[] counts = new long[weights.length];
    for (int k = 0; k < picks; k++) {
      Object picked = picker.pick();
      if (picked == null) {
        throw new IllegalStateException(picker.name() + ": pick " + k + " returned null");
      }
      counts[picker.index(picked)]++;
    }
    double distance = 0;
    for (int i = 0; i < weights.length; i++) {
      distance += Math.abs((double) counts[i] / picks - (double) weights[i] / total);
    }
    distance /= 2;
    if (distance > MAX_DISTANCE) {
      throw new IllegalStateException(picker.name() + ": shares " + Arrays.toString(counts) + " of " + picks
          + " picks are " + distance + " from weights " + Arrays.toString(weights) + " (expected: <= "
          + MAX_DISTANCE + ")");
    }
  }
}
