package io.rota.benchmarks;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
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

/**
 * {@link EndpointPool#select()} beside the simplest round robin there is: a bare {@link AtomicLong}
 * over a {@link List} of the same number of endpoints (unweighted).
 *
 * <p>The state is {@link Scope#Benchmark}: with {@code -t 2} both threads pick from the same pool (and
 * the baseline's threads share the same counter), which is the contended case a real client sees.
 * Both methods return the picked endpoint, so JMH's blackhole consumes it.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SelectBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * java -jar benchmarks/target/benchmarks.jar SelectBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 2
 * }</pre>
 * Add {@code -p shape=10} (or {@code 100}, {@code 100-equal}) to run one shape only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class SelectBenchmark {

  /**
   * {@code 10}: weights 1, 1, 2, 2, 3, 3, 5, 5, 8, 10; {@code 100}: weights 1..100; {@code 100-equal}:
   * 100 endpoints of weight 1.
   */
  @Param({Shapes.TEN, Shapes.HUNDRED, Shapes.HUNDRED_EQUAL})
  public String shape;

  private EndpointPool<String> pool;
  private List<Endpoint<String>> list;
  private AtomicLong counter;

  @Setup(Level.Trial)
  public void setUp() {
    List<Endpoint<String>> endpoints = Shapes.endpoints(shape);
    pool = EndpointPool.<String>builder("bench-" + shape).endpoints(endpoints).build();
    list = List.copyOf(endpoints);
    counter = new AtomicLong();
    if (pool.select() == null) {
      throw new IllegalStateException("pool selects nothing: " + pool);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
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
}
