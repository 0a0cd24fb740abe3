package io.rota.benchmarks.select;

import com.netflix.loadbalancer.BaseLoadBalancer;
import com.netflix.loadbalancer.ConfiguredWeightsResponseTimeRule;
import com.netflix.loadbalancer.Server;
import java.util.ArrayList;
import java.util.List;

/**
 * Ribbon 2.7: a {@link BaseLoadBalancer} (no {@code IPing}, so every server counts as alive) over
 * {@code new Server("host-<i>", 8080)} with a {@code WeightedResponseTimeRule}; a pick is
 * {@link BaseLoadBalancer#chooseServer(Object)} (its counter, then the rule's {@code choose}).
 *
 * <p>The rule's weights normally come from measured response times. Here
 * {@link ConfiguredWeightsResponseTimeRule} (in package {@code com.netflix.loadbalancer}) stops the
 * rule's weight timer and stores the configured weights as the rule's accumulated weights, so what is
 * measured is the rule's own pick cost: {@code Random.nextDouble()} on one shared {@code java.util.Random}
 * (a CAS on its seed) and a linear scan of the accumulated list. The rule picks <em>at random</em> in
 * proportion to the weights: there is no order, so its window errors grow like the square root of
 * the window, and the fairness report's numbers for it change from run to run (Ribbon seeds its own
 * {@code Random}). {@link #setWeight} replaces the accumulated weights in place. Thread-safe.
 */
public final class RibbonWrtPicker implements Picker {

  private final int[] weights;
  private final BaseLoadBalancer balancer;
  private final ConfiguredWeightsResponseTimeRule rule;

  /** Builds the load balancer and rule over servers {@code host-<i>:8080} with these weights. */
  public RibbonWrtPicker(int[] weights) {
    Weights.check(weights);
    this.weights = weights.clone();
    this.balancer = new BaseLoadBalancer();
    this.rule = new ConfiguredWeightsResponseTimeRule();
    balancer.setRule(rule);
    List<Server> servers = new ArrayList<>(weights.length);
    for (int i = 0; i < weights.length; i++) {
      servers.add(new Server("host-" + i, 8080));
    }
    balancer.addServers(servers);
    rule.configure(this.weights);
  }

  /** Returns the accumulated weights the rule picks by now (to check nothing replaced them). */
  public List<Double> accumulatedWeights() {
    return rule.accumulatedWeights();
  }

  @Override
  public String name() {
    return "ribbonWrt";
  }

  @Override
  public Server pick() {
    return balancer.chooseServer(null);
  }

  @Override
  public int index(Object picked) {
    return Weights.number(((Server) picked).getHost(), 5);
  }

  @Override
  public void setWeight(int index, int weight) {
    Weights.checkChange(weights, index, weight);
    weights[index] = weight;
    rule.configure(weights);
  }

  @Override
  public String weightChange() {
    return "in place: new accumulated weights (random picks have no progress to keep)";
  }

  @Override
  public void close() {
    balancer.shutdown();
  }
}
