package com.netflix.loadbalancer;

import java.util.ArrayList;
import java.util.List;

/**
 * Ribbon's {@link WeightedResponseTimeRule} with weights that are configured instead of measured, for
 * Rota's benchmarks only (it sits in package {@code com.netflix.loadbalancer} inside the benchmarks
 * module, to reach the rule's package-private {@code initialize} and {@code setWeights}).
 *
 * <p>The rule normally starts a {@code java.util.Timer} that every 30 s turns each server's average
 * response time into an accumulated weight ({@code weight_i = total - avg_i}, summed). This subclass
 * overrides {@code initialize} so no timer starts, and {@link #configure} stores the accumulated
 * weights of the configured weights ({@code w_0, w_0 + w_1, ...}) through the rule's own
 * {@code setWeights}. The rule's {@code choose} is untouched: a {@code Random.nextDouble()} times the
 * total and a linear scan of the accumulated list, which is what every pick of the real rule costs.
 *
 * <p>Thread-safe as the rule is: {@code choose} reads the volatile list, {@link #configure} replaces it.
 */
public final class ConfiguredWeightsResponseTimeRule extends WeightedResponseTimeRule {

  /** Creates the rule; call {@link #setLoadBalancer} and then {@link #configure}. */
  public ConfiguredWeightsResponseTimeRule() {}

  /** Does not start the rule's weight timer (see the class comment). */
  @Override
  void initialize(ILoadBalancer lb) {
    // no timer: weights come from configure()
  }

  /**
   * Sets the weights, one per server in the load balancer's {@code getAllServers()} order.
   *
   * @throws IllegalArgumentException if a weight is negative
   */
  public void configure(int[] weights) {
    List<Double> accumulated = new ArrayList<>(weights.length);
    double sum = 0;
    for (int w : weights) {
      if (w < 0) {
        throw new IllegalArgumentException("weight: " + w + " (expected: >= 0)");
      }
      sum += w;
      accumulated.add(sum);
    }
    setWeights(accumulated);
  }

  /** Returns the accumulated weights the rule picks by (a copy). */
  public List<Double> accumulatedWeights() {
    return new ArrayList<>(getAccumulatedWeights());
  }
}
