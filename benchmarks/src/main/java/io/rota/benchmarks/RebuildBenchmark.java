package io.rota.benchmarks;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * The cost of one schedule rebuild at the largest period the pool builds (2^17 slots): each
 * {@link EndpointPool#setWeight} toggles the first endpoint's weight by one, so the pool carries
 * every endpoint's progress out of the old schedule and builds the new one (checks the windows,
 * runs EDF over all slots, fills the slot array). The baseline is the same call on the ten-endpoint
 * shape of {@link SelectBenchmark} (period 40), where the pool's own work dominates.
 *
 * <p>Shapes: {@code 10} (baseline); {@code equal} 128 endpoints of weight 1024; {@code mostly-1} 1072
 * endpoints of weight 1 and 13 of 10000 (the largest weight allowed); {@code random} 1000 endpoints of seeded random weights
 * 1..259 (period about 2^17).
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar RebuildBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class RebuildBenchmark {

  /** The weight shape, see the class comment. */
  @Param({Shapes.TEN, "equal", "mostly-1", "random"})
  public String shape;

  private EndpointPool<String> pool;
  private int weight;
  private boolean lowered;

  @Setup(Level.Trial)
  public void setUp() {
    int[] w = weights(shape);
    List<Endpoint<String>> endpoints = new ArrayList<>(w.length);
    for (int i = 0; i < w.length; i++) {
      endpoints.add(Endpoint.of("e" + i, "host-" + i + ":8080", w[i]));
    }
    pool = EndpointPool.<String>builder("bench-rebuild-" + shape).endpoints(endpoints).build();
    weight = w[0];
  }

  private static int[] weights(String shape) {
    switch (shape) {
      case "equal": {
        int[] w = new int[128];
        Arrays.fill(w, 1024);
        return w;
      }
      case "mostly-1": {
        int[] w = new int[13 + 1072];
        Arrays.fill(w, 1);
        Arrays.fill(w, 0, 13, 10_000);
        return w;
      }
      case "random": {
        Random random = new Random(17);
        int[] w = new int[1000];
        for (int i = 0; i < w.length; i++) {
          w[i] = 2 + random.nextInt(258);
        }
        return w;
      }
      default:
        return Shapes.weights(shape);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Returns the pick after the rebuild, so that the rebuild's result is used. */
  @Benchmark
  public Endpoint<String> setWeight() {
    lowered = !lowered;
    pool.setWeight("e0", lowered ? weight - 1 : weight);
    return pool.select();
  }
}
