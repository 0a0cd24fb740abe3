package io.rota.core;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The pool's mutable record of one endpoint. Fields without a note are guarded by the pool lock;
 * counters are updated without it by reporting callers.
 */
final class Entry<A> {
  volatile Endpoint<A> endpoint;
  final CircuitBreaker breaker;

  // Reporting callers, no lock.
  final AtomicInteger consecutiveFailures = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final LongAdder successes = new LongAdder();
  final LongAdder failures = new LongAdder();

  /** Why the breaker is being forced open; set by the failing caller, read by the transition. */
  volatile @Nullable String pendingCause;

  // Guarded by the pool lock.
  /**
   * The breaker state as last handled by the pool's transition listener; selection follows this,
   * not the breaker's live state, so that a transition and its bookkeeping (cause, back-off, slow
   * start) are published together.
   */
  volatile CircuitBreaker.State breakerState = CircuitBreaker.State.CLOSED;
  volatile EndpointState state = EndpointState.HEALTHY;
  String cause = "";
  boolean activeUp = true;
  int checkPasses;
  int checkFailures;
  volatile int ejections;
  boolean ramping;
  long rampStartNanos;
  /** Selection progress carried across snapshots; NaN when it has none. */
  double progress = Double.NaN;
  @Nullable ScheduledFuture<?> halfOpenTimer;
  @Nullable ScheduledFuture<?> checkTimer;
  volatile boolean removed;

  Entry(Endpoint<A> endpoint, CircuitBreaker breaker) {
    this.endpoint = endpoint;
    this.breaker = breaker;
  }

  String id() {
    return endpoint.id();
  }
}
