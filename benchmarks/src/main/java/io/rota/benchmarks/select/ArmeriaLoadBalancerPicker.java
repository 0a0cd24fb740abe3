package io.rota.benchmarks.select;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.common.loadbalancer.LoadBalancer;
import com.linecorp.armeria.common.loadbalancer.SimpleLoadBalancer;

/**
 * Armeria 1.40's newer, endpoint-agnostic API: {@code LoadBalancer.ofWeightedRoundRobin(endpoints)}
 * (Armeria's {@link Endpoint} implements {@code Weighted}), picked with
 * {@link SimpleLoadBalancer#pick()}, which needs no request context.
 *
 * <p>A {@code SimpleLoadBalancer} is immutable: {@link #setWeight} builds a new one. Thread-safe for
 * {@link #pick()}: the balancer is published through a volatile field.
 */
public final class ArmeriaLoadBalancerPicker implements Picker {

  private final int[] weights;
  private volatile SimpleLoadBalancer<Endpoint> balancer;

  /** Builds the balancer over endpoints {@code host-<i>:8080} with these weights. */
  public ArmeriaLoadBalancerPicker(int[] weights) {
    Weights.check(weights);
    this.weights = weights.clone();
    this.balancer = LoadBalancer.ofWeightedRoundRobin(ArmeriaWrrPicker.endpoints(this.weights));
  }

  @Override
  public String name() {
    return "armeriaLoadBalancer";
  }

  @Override
  public Endpoint pick() {
    return balancer.pick();
  }

  @Override
  public int index(Object picked) {
    return ArmeriaWrrPicker.number(picked);
  }

  @Override
  public void setWeight(int index, int weight) {
    Weights.checkChange(weights, index, weight);
    weights[index] = weight;
    SimpleLoadBalancer<Endpoint> old = balancer;
    balancer = LoadBalancer.ofWeightedRoundRobin(ArmeriaWrrPicker.endpoints(weights));
    old.close(); // a no-op for this balancer, kept as a user would write it
  }

  @Override
  public String weightChange() {
    return "rebuild: a new LoadBalancer.ofWeightedRoundRobin(endpoints) per change";
  }

  @Override
  public void close() {
    balancer.close();
  }
}
