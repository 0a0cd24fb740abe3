package io.rota.benchmarks.select;

import io.grpc.xds.StrideSchedulerAdapter;

/**
 * gRPC-java 1.85's {@code weighted_round_robin} (grpc-xds {@code WeightedRoundRobinLoadBalancer}): its
 * {@code StaticStrideScheduler}, through {@link StrideSchedulerAdapter}, then a read of the picked
 * endpoint from an array, as gRPC's picker does ({@code pickers.get(scheduler.pick())}).
 *
 * <p>What differs from a gRPC channel: no {@code Subchannel}s, no {@code PickSubchannelArgs} and no
 * ORCA listener; the configured weights are fed in as the backend-reported weights. gRPC's scheduler
 * scales weights to at most 65535 and raises any weight below a tenth of the mean to a tenth of the
 * mean (and caps those above ten times it), so for weights 1..100 endpoints 1..5 get 5.05: this is
 * gRPC's documented behaviour and shows in the fairness report. The sequence starts at 0 (gRPC starts
 * it at a random int) so the report is reproducible. {@link #setWeight} builds a new scheduler over the
 * same sequence, as gRPC's {@code updateWeight} does. Thread-safe.
 */
public final class GrpcWrrPicker implements Picker {

  private final int[] weights;
  private final String[] ids;
  private final StrideSchedulerAdapter scheduler;

  /** Builds the scheduler over endpoints {@code e0..e(n-1)} with these weights. */
  public GrpcWrrPicker(int[] weights) {
    Weights.check(weights);
    this.weights = weights.clone();
    this.ids = new String[weights.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "e" + i;
    }
    this.scheduler = new StrideSchedulerAdapter(floats(this.weights), 0);
  }

  private static float[] floats(int[] weights) {
    float[] f = new float[weights.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = weights[i];
    }
    return f;
  }

  @Override
  public String name() {
    return "grpcWrr";
  }

  @Override
  public String pick() {
    return ids[scheduler.pick()];
  }

  @Override
  public int index(Object picked) {
    return Weights.number((String) picked, 1);
  }

  @Override
  public void setWeight(int index, int weight) {
    Weights.checkChange(weights, index, weight);
    weights[index] = weight;
    scheduler.update(floats(weights));
  }

  @Override
  public String weightChange() {
    return "in place: a new StaticStrideScheduler over the same sequence (gRPC's updateWeight)";
  }

  @Override
  public void close() {}
}
