package io.rota.benchmarks.select;

import java.util.Arrays;

/** Checks and helpers for weight vectors. Stateless; thread-safe. */
final class Weights {

  private Weights() {}

  /** Throws if {@code weights} is empty or has a weight below 1. */
  static void check(int[] weights) {
    if (weights.length == 0) {
      throw new IllegalArgumentException("weights: [] (expected: at least one endpoint)");
    }
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < 1) {
        throw new IllegalArgumentException(
            "weights[" + i + "]: " + weights[i] + " (expected: >= 1) in " + Arrays.toString(weights));
      }
    }
  }

  /** Throws if {@code index} is not an endpoint of {@code weights} or {@code weight} is below 1. */
  static void checkChange(int[] weights, int index, int weight) {
    if (index < 0 || index >= weights.length) {
      throw new IllegalArgumentException("index: " + index + " (expected: 0.." + (weights.length - 1) + ")");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
    }
  }

  /** Returns the endpoint number in a name of the form {@code <prefix><number>}. */
  static int number(String name, int prefixLength) {
    return Integer.parseInt(name, prefixLength, name.length(), 10);
  }
}
