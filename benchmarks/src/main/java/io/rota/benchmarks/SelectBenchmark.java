package io.rota.benchmarks;

import com.netflix.loadbalancer.Server;
import io.rota.benchmarks.select.ArmeriaLoadBalancerPicker;
import io.rota.benchmarks.select.ArmeriaWrrPicker;
import io.rota.benchmarks.select.GrpcWrrPicker;
import io.rota.benchmarks.select.NginxSwrr;
import io.rota.benchmarks.select.Peer;
import io.rota.benchmarks.select.Picker;
import io.rota.benchmarks.select.PickerCheck;
import io.rota.benchmarks.select.RibbonWrtPicker;
import io.rota.benchmarks.select.RotaPicker;
import io.rota.benchmarks.select.SpringCloudLbPicker;
import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@link EndpointPool#select()} beside the simplest round robin there is (a bare {@link AtomicLong}
 * over a {@link List} of the same endpoints, unweighted) and beside the weighted selection of the
 * libraries a user would pick instead, in the same class so that every ratio is same-run:
 *
 * <ul>
 *   <li>{@code armeriaWrr}: Armeria's {@code EndpointSelectionStrategy.weightedRoundRobin()} over a
 *       static {@code EndpointGroup}, {@code selectNow(ctx)} with one {@code ClientRequestContext}
 *       built in set-up and reused ({@link ArmeriaWrrPicker});
 *   <li>{@code armeriaLoadBalancer}: Armeria's {@code LoadBalancer.ofWeightedRoundRobin(..).pick()}
 *       ({@link ArmeriaLoadBalancerPicker});
 *   <li>{@code grpcWrr}: gRPC-java's {@code weighted_round_robin} {@code StaticStrideScheduler}, fed the
 *       configured weights as if reported by backends ({@link GrpcWrrPicker});
 *   <li>{@code springCloudLb} / {@code springCloudLbCached}: Spring Cloud LoadBalancer's
 *       {@code RoundRobinLoadBalancer} over its {@code WeightedServiceInstanceListSupplier},
 *       {@code choose().block()}: <em>its reactive overhead is included</em>, as any user of it pays it;
 *       without and with the weighted list held as a cache would ({@link SpringCloudLbPicker});
 *   <li>{@code ribbonWrt}: Ribbon's {@code WeightedResponseTimeRule} on a {@code BaseLoadBalancer},
 *       its accumulated weights set from the configured weights instead of response times, so this is
 *       its pick cost ({@link RibbonWrtPicker});
 *   <li>{@code nginxSwrr}: nginx's smooth weighted round robin under one lock, our reference
 *       ({@link NginxSwrr}).
 * </ul>
 * Each class's Javadoc says exactly how it is set up and what differs from a real deployment. The same
 * classes ({@link Peer}) are used by {@code FairnessReport}.
 *
 * <p>The state is {@link Scope#Benchmark}: with {@code -t 2} both threads pick from the same instance,
 * which is the contended case a real client sees. Every method returns the implementation's own
 * result object, so JMH's blackhole consumes it. Set-up builds only the implementation the method
 * measures and checks that its picks follow the weights ({@link PickerCheck}), failing the trial
 * otherwise; Ribbon's tear-down checks that its weights were not replaced.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SelectBenchmark -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1
 * java -jar benchmarks/target/benchmarks.jar SelectBenchmark -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s -t 2
 * }</pre>
 * Add {@code -p shape=10} (or {@code 100}, {@code 100-equal}) to run one shape only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class SelectBenchmark {

  /**
   * {@code 10}: weights 1, 1, 2, 2, 3, 3, 5, 5, 8, 10; {@code 100}: weights 1..100; {@code 100-equal}:
   * 100 endpoints of weight 1.
   */
  @Param({Shapes.TEN, Shapes.HUNDRED, Shapes.HUNDRED_EQUAL})
  public String shape;

  private final List<Picker> built = new ArrayList<>();
  private EndpointPool<String> pool;
  private List<Endpoint<String>> list;
  private AtomicLong counter;
  private ArmeriaWrrPicker armeriaWrr;
  private ArmeriaLoadBalancerPicker armeriaLoadBalancer;
  private GrpcWrrPicker grpcWrr;
  private SpringCloudLbPicker springCloudLb;
  private SpringCloudLbPicker springCloudLbCached;
  private RibbonWrtPicker ribbonWrt;
  private List<Double> ribbonWeights;
  private NginxSwrr nginxSwrr;

  /** Builds and checks only the implementation that {@code params}' method measures. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    int[] weights = Shapes.weights(shape);
    if (method.equals("baseline")) {
      list = List.copyOf(Shapes.endpoints(shape));
      counter = new AtomicLong();
      return;
    }
    Peer peer = null;
    for (Peer p : Peer.values()) {
      if (p.method().equals(method)) {
        peer = p;
      }
    }
    if (peer == null) {
      throw new IllegalStateException("benchmark method: '" + method + "' (expected: baseline or one of Peer's)");
    }
    Picker picker = peer.create(weights);
    built.add(picker);
    PickerCheck.followsWeights(picker, weights);
    switch (peer) {
      case ROTA -> pool = ((RotaPicker) picker).pool();
      case ARMERIA_WRR -> armeriaWrr = (ArmeriaWrrPicker) picker;
      case ARMERIA_LOAD_BALANCER -> armeriaLoadBalancer = (ArmeriaLoadBalancerPicker) picker;
      case GRPC_WRR -> grpcWrr = (GrpcWrrPicker) picker;
      case SPRING_CLOUD_LB -> springCloudLb = (SpringCloudLbPicker) picker;
      case SPRING_CLOUD_LB_CACHED -> springCloudLbCached = (SpringCloudLbPicker) picker;
      case RIBBON_WRT -> {
        ribbonWrt = (RibbonWrtPicker) picker;
        ribbonWeights = ribbonWrt.accumulatedWeights();
      }
      case NGINX_SWRR -> nginxSwrr = (NginxSwrr) picker;
      default -> throw new IllegalStateException("peer: " + peer);
    }
  }

  /** Fails the trial if Ribbon's weights changed under it; closes what set-up built. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (ribbonWrt != null && !ribbonWrt.accumulatedWeights().equals(ribbonWeights)) {
        throw new IllegalStateException("ribbonWrt: accumulated weights changed from " + ribbonWeights + " to "
            + ribbonWrt.accumulatedWeights());
      }
    } finally {
      built.forEach(Picker::close);
      built.clear();
    }
  }

  /** Bare round robin: one {@code getAndIncrement}, a long modulo and a list read. */
  @Benchmark
  public Endpoint<String> baseline() {
    return list.get((int) ((counter.getAndIncrement() & Long.MAX_VALUE) % list.size()));
  }

  /** Rota's smooth weighted round robin. */
  @Benchmark
  public Endpoint<String> select() {
    return pool.select();
  }

  /** Armeria's {@code weightedRoundRobin()} strategy, {@code EndpointGroup.selectNow(ctx)}. */
  @Benchmark
  public Object armeriaWrr() {
    return armeriaWrr.pick();
  }

  /** Armeria's {@code LoadBalancer.ofWeightedRoundRobin(..).pick()}. */
  @Benchmark
  public Object armeriaLoadBalancer() {
    return armeriaLoadBalancer.pick();
  }

  /** gRPC-java's {@code StaticStrideScheduler.pick()} and the endpoint read. */
  @Benchmark
  public String grpcWrr() {
    return grpcWrr.pick();
  }

  /** Spring Cloud LoadBalancer, {@code choose().block()}, weighted supplier re-run per pick. */
  @Benchmark
  public Object springCloudLb() {
    return springCloudLb.pick();
  }

  /** Spring Cloud LoadBalancer, {@code choose().block()}, weighted list computed once. */
  @Benchmark
  public Object springCloudLbCached() {
    return springCloudLbCached.pick();
  }

  /** Ribbon's {@code BaseLoadBalancer.chooseServer} with {@code WeightedResponseTimeRule}. */
  @Benchmark
  public Server ribbonWrt() {
    return ribbonWrt.pick();
  }

  /** nginx's smooth weighted round robin under a lock (our reference). */
  @Benchmark
  public Integer nginxSwrr() {
    return nginxSwrr.pick();
  }
}
