package io.rota.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The pool's record of one endpoint: its current value, its health state machine, and the counters
 * reporting callers update without a lock. Fields without a note are guarded by the pool lock.
 */
final class Entry<A> {
  /** Written under the pool lock; read by leases and readers. */
  volatile Endpoint<A> endpoint;
  final EndpointHealth health;

  // Reporting callers, no lock.
  final AtomicInteger inFlight = new AtomicInteger();
  final LongAdder successes = new LongAdder();
  final LongAdder failures = new LongAdder();

  /** The weight selection uses, as last published (see {@link EndpointSnapshot#effectiveWeight()}). */
  volatile double effectiveWeight;

  /** Selection progress carried across snapshots; NaN when it has none. */
  double progress = Double.NaN;
  @Nullable ScheduledFuture<?> checkTimer;
  volatile boolean removed;

  /** Creates the entry; {@code health} makes its state machine, which may refer to the entry. */
  Entry(Endpoint<A> endpoint, Function<Entry<A>, EndpointHealth> health) {
    this.endpoint = endpoint;
    this.health = health.apply(this);
  }

  String id() {
    return endpoint.id();
  }
}
