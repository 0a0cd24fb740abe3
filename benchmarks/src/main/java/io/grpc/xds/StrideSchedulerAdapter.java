package io.grpc.xds;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A public door, for Rota's benchmarks, to gRPC-java's package-private
 * {@code WeightedRoundRobinLoadBalancer.StaticStrideScheduler}: the scheduler behind the
 * {@code weighted_round_robin} policy's picker. It sits in package {@code io.grpc.xds} inside Rota's
 * benchmarks module only (grpc-xds 1.85.1 is not sealed), and calls the scheduler's own constructor
 * and {@code pick()}, nothing else.
 *
 * <p>As gRPC's {@code WeightedRoundRobinPicker} does, one {@link AtomicInteger} sequence lives as long
 * as the picker, and a weight update builds a new scheduler over the <em>same</em> sequence (gRPC's
 * {@code updateWeight}), so picking continues where it was rather than restarting. In gRPC the weights
 * come from backend load reports (ORCA, {@code qps / utilization}) and are recomputed every
 * {@code weightUpdatePeriod}; here the configured weights are passed in as those weights, so what is
 * measured is the pick cost only.
 *
 * <p>Thread-safe: the scheduler is published through a volatile field and is itself thread-safe.
 */
public final class StrideSchedulerAdapter {

  private final AtomicInteger sequence;
  private volatile WeightedRoundRobinLoadBalancer.StaticStrideScheduler scheduler;

  /**
   * Builds a scheduler over {@code weights} with a sequence starting at {@code start} (gRPC starts it
   * at a random {@code int}).
   */
  public StrideSchedulerAdapter(float[] weights, int start) {
    this.sequence = new AtomicInteger(start);
    this.scheduler = new WeightedRoundRobinLoadBalancer.StaticStrideScheduler(weights.clone(), sequence);
  }

  /** Returns the index of the next endpoint, as gRPC's picker does before its {@code pickers.get(i)}. */
  public int pick() {
    return scheduler.pick();
  }

  /** Replaces the weights: a new scheduler over the same sequence, as gRPC's {@code updateWeight}. */
  public void update(float[] weights) {
    scheduler = new WeightedRoundRobinLoadBalancer.StaticStrideScheduler(weights.clone(), sequence);
  }

  /** Returns whether gRPC fell back to plain round robin for these weights (all equal or invalid). */
  public boolean usesRoundRobin() {
    return scheduler.usesRoundRobin();
  }
}
