package io.rota.benchmarks;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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

/**
 * {@link EndpointPool#select()} while another thread changes a weight in a loop: every
 * {@link EndpointPool#setWeight} rebuilds and publishes a new schedule, so the picking thread keeps
 * meeting fresh snapshots. One thread picks ({@code churn:select}), one toggles the heaviest
 * endpoint's weight between its value and one less ({@code churn:setWeight}).
 *
 * <p>Run, from the repository root (the group always runs on two threads, one of each):
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SelectWhileWeightsChangeBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 * The gc profiler's {@code gc.alloc.rate.norm} is per operation of the whole group (both methods),
 * so here it measures the cost of rebuilding, not of {@code select()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Group)
public class SelectWhileWeightsChangeBenchmark {

  /** As in {@link SelectBenchmark}. */
  @Param({Shapes.TEN, Shapes.HUNDRED})
  public String shape;

  private EndpointPool<String> pool;
  private String heaviestId;
  private int heaviestWeight;
  private boolean lowered;

  @Setup(Level.Trial)
  public void setUp() {
    int[] weights = Shapes.weights(shape);
    int heaviest = 0;
    for (int i = 1; i < weights.length; i++) {
      if (weights[i] > weights[heaviest]) {
        heaviest = i;
      }
    }
    pool = EndpointPool.<String>builder("bench-churn-" + shape).endpoints(Shapes.endpoints(shape)).build();
    heaviestId = "e" + heaviest;
    heaviestWeight = weights[heaviest];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  @Group("churn")
  @GroupThreads(1)
  public Endpoint<String> select() {
    return pool.select();
  }

  /** Only this thread touches {@link #lowered}. */
  @Benchmark
  @Group("churn")
  @GroupThreads(1)
  public void setWeight() {
    lowered = !lowered;
    pool.setWeight(heaviestId, lowered ? heaviestWeight - 1 : heaviestWeight);
  }
}
