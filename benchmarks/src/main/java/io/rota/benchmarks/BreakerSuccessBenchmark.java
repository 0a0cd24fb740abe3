package io.rota.benchmarks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic for {@link JdbcRoutingBenchmark} and {@link HttpClientLayerBenchmark}: what one
 * Resilience4j {@code CircuitBreaker.onSuccess} costs, as Rota's endpoint pool calls it after every
 * replica read and every HTTP attempt, with and without a state-transition listener registered
 * (the pool registers one per endpoint, {@code DefaultEndpointPool#newEntry}).
 *
 * <p>{@code -prof stack} on {@code JdbcRoutingBenchmark.routed} shows {@code ZonedDateTime.now()}
 * under {@code CircuitBreakerStateMachine.publishSuccessEvent}: with any consumer on the breaker's
 * event publisher, Resilience4j builds a {@code CircuitBreakerOnSuccessEvent}, timestamp included,
 * for every success, even though the consumer only wants state transitions. This measures that.
 *
 * <p>Run, from the repository root:
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar BreakerSuccessBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class BreakerSuccessBenchmark {

  private CircuitBreaker quiet;
  private CircuitBreaker listened;

  @Setup(Level.Trial)
  public void setUp() {
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .slidingWindow(100, 20, SlidingWindowType.COUNT_BASED)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .build();
    quiet = CircuitBreaker.of("quiet", config);
    listened = CircuitBreaker.of("listened", config);
    listened.getEventPublisher().onStateTransition(event -> {
      throw new IllegalStateException("no transition expected: " + event);
    });
  }

  /** {@code onSuccess} on a breaker nobody listens to. */
  @Benchmark
  public CircuitBreaker.State noListener() {
    quiet.onSuccess(1_000, TimeUnit.NANOSECONDS);
    return quiet.getState();
  }

  /** {@code onSuccess} on a breaker with a state-transition listener, as in Rota's pool. */
  @Benchmark
  public CircuitBreaker.State transitionListener() {
    listened.onSuccess(1_000, TimeUnit.NANOSECONDS);
    return listened.getState();
  }
}
