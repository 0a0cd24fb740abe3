package io.rota.benchmarks;

import io.rota.core.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The endpoint shapes the benchmarks and the fairness report are run with, by {@code @Param} value.
 * Stateless; thread-safe.
 */
public final class Shapes {

  /** Ten endpoints, weights 1, 1, 2, 2, 3, 3, 5, 5, 8, 10 (period 40). */
  public static final String TEN = "10";
  /** A hundred endpoints, weights 1..100 (period 5050). */
  public static final String HUNDRED = "100";
  /** A hundred endpoints, weight 1 each (period 100). */
  public static final String HUNDRED_EQUAL = "100-equal";

  private static final int[] TEN_WEIGHTS = {1, 1, 2, 2, 3, 3, 5, 5, 8, 10};

  private Shapes() {}

  /**
   * Returns the weights of a shape, one per endpoint (a fresh array).
   *
   * @throws IllegalArgumentException if the shape is not one of the three above
   */
  public static int[] weights(String shape) {
    switch (shape) {
      case TEN:
        return TEN_WEIGHTS.clone();
      case HUNDRED: {
        int[] w = new int[100];
        for (int i = 0; i < w.length; i++) {
          w[i] = i + 1;
        }
        return w;
      }
      case HUNDRED_EQUAL: {
        int[] w = new int[100];
        java.util.Arrays.fill(w, 1);
        return w;
      }
      default:
        throw new IllegalArgumentException("shape: '" + shape + "' (expected: 10, 100 or 100-equal)");
    }
  }

  /** Returns the endpoints of a shape: ids {@code e0..e(n-1)}, addresses {@code host-i:8080}. */
  public static List<Endpoint<String>> endpoints(String shape) {
    int[] weights = weights(shape);
    List<Endpoint<String>> out = new ArrayList<>(weights.length);
    for (int i = 0; i < weights.length; i++) {
      out.add(Endpoint.of("e" + i, "host-" + i + ":8080", weights[i]));
    }
    return out;
  }
}
