package io.rota.benchmarks.select;

import java.util.function.Function;

/**
 * The implementations {@code SelectBenchmark} and {@code FairnessReport} compare, each with a factory
 * from weights (one per endpoint, all {@code >= 1}) to a fresh {@link Picker}. Thread-safe.
 */
public enum Peer {
  /** Rota's {@code EndpointPool.select()}: {@link RotaPicker}. */
  ROTA("select", RotaPicker::new),
  /** Armeria's {@code EndpointSelectionStrategy.weightedRoundRobin()}: {@link ArmeriaWrrPicker}. */
  ARMERIA_WRR("armeriaWrr", ArmeriaWrrPicker::new),
  /** Armeria's {@code LoadBalancer.ofWeightedRoundRobin}: {@link ArmeriaLoadBalancerPicker}. */
  ARMERIA_LOAD_BALANCER("armeriaLoadBalancer", ArmeriaLoadBalancerPicker::new),
  /** gRPC-java's {@code weighted_round_robin} stride scheduler: {@link GrpcWrrPicker}. */
  GRPC_WRR("grpcWrr", GrpcWrrPicker::new),
  /** Spring Cloud LoadBalancer, weighted supplier re-read per pick: {@link SpringCloudLbPicker}. */
  SPRING_CLOUD_LB("springCloudLb", w -> new SpringCloudLbPicker(w, false)),
  /** Spring Cloud LoadBalancer, weighted list computed once (as a cache holds it). */
  SPRING_CLOUD_LB_CACHED("springCloudLbCached", w -> new SpringCloudLbPicker(w, true)),
  /** Ribbon's {@code WeightedResponseTimeRule} with configured weights: {@link RibbonWrtPicker}. */
  RIBBON_WRT("ribbonWrt", RibbonWrtPicker::new),
  /** nginx's smooth weighted round robin, our reference: {@link NginxSwrr}. */
  NGINX_SWRR("nginxSwrr", NginxSwrr::new);

  private final String method;
  private final Function<int[], Picker> factory;

  Peer(String method, Function<int[], Picker> factory) {
    this.method = method;
    this.factory = factory;
  }

  /** Returns the name of the {@code SelectBenchmark} method that measures this implementation. */
  public String method() {
    return method;
  }

  /** Returns a fresh picker over endpoints with these weights (copied). */
  public Picker create(int[] weights) {
    Weights.check(weights);
    return factory.apply(weights.clone());
  }
}
