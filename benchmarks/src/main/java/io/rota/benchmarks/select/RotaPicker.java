package io.rota.benchmarks.select;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import java.util.ArrayList;
import java.util.List;

/**
 * Rota: an {@link EndpointPool} (no health check) over endpoints {@code e0..e(n-1)};
 * {@link #pick()} is {@link EndpointPool#select()}, {@link #setWeight} is
 * {@link EndpointPool#setWeight(String, int)}, which rebuilds the schedule carrying every endpoint's
 * progress. Thread-safe, as the pool is.
 */
public final class RotaPicker implements Picker {

  private final EndpointPool<String> pool;
  private final int[] weights;

  /** Builds a pool over endpoints {@code e<i>} at {@code host-<i>:8080} with these weights. */
  public RotaPicker(int[] weights) {
    Weights.check(weights);
    this.weights = weights.clone();
    List<Endpoint<String>> endpoints = new ArrayList<>(weights.length);
    for (int i = 0; i < weights.length; i++) {
      endpoints.add(Endpoint.of("e" + i, "host-" + i + ":8080", weights[i]));
    }
    this.pool = EndpointPool.<String>builder("bench-rota").endpoints(endpoints).build();
  }

  /** Returns the pool (for the benchmark's direct {@code select()} call). */
  public EndpointPool<String> pool() {
    return pool;
  }

  @Override
  public String name() {
    return "select";
  }

  @Override
  public Endpoint<String> pick() {
    return pool.select();
  }

  @Override
  public int index(Object picked) {
    return Weights.number(((Endpoint<?>) picked).id(), 1);
  }

  @Override
  public void setWeight(int index, int weight) {
    Weights.checkChange(weights, index, weight);
    pool.setWeight("e" + index, weight);
  }

  @Override
  public String weightChange() {
    return "in place: EndpointPool.setWeight rebuilds the schedule carrying each endpoint's progress";
  }

  @Override
  public void close() {
    pool.close();
  }
}
