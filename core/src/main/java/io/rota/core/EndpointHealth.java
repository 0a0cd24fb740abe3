package io.rota.core;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The health state machine of one endpoint: its circuit breaker (passive health), its active-check
 * verdicts, its ejection back-off and half-open timer, and its slow-start ramp, combined into one
 * {@link EndpointState} by the rules of that enum's table.
 *
 * <h2>Threading: one serialized path</h2>
 * Every method that changes the state runs under the pool's lock, and after each change the pool
 * republishes (through the {@code publish} action given at construction, which recomputes
 * {@link #state} and delivers the events). The exceptions are {@link #onSuccess} and
 * {@link #onFailure}, which reporting callers call without the lock: they only feed the breaker's
 * counters and say whether {@link #reconcile} must follow.
 *
 * <p>The breaker moves on its own only CLOSED to OPEN and HALF_OPEN to OPEN or CLOSED, inside a
 * reporting caller's {@code onError}/{@code onSuccess}; that caller then calls {@link #reconcile}. The
 * transitions this class makes itself (open on consecutive failures, OPEN to HALF_OPEN by the timer,
 * any state to CLOSED on passing active checks) are made under the lock and <em>entered explicitly</em>
 * before the breaker's live state is taken over: a caller may move the breaker on at once (a failed
 * half-open trial), and only looking at the live state would then miss this class's own step and the
 * timer of the next ejection. So every OPEN that is taken over schedules a half-open timer, or is
 * ended by active checks: no interleaving leaves an endpoint ejected with no way back.
 */
final class EndpointHealth {

  private final EndpointPoolConfig config;
  private final SlowStart slowStart;
  private final CircuitBreaker breaker;
  private final ScheduledExecutorService scheduler;
  /** Runs {@link #halfOpenTimerFired} under the pool's lock. */
  private final Runnable halfOpenTask;
  /** Recomputes and publishes the pool's selection and snapshot; under the lock. */
  private final Runnable publish;

  // Reporting callers, no lock.
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** Why the breaker is to be opened; set by the failing caller, read under the lock. */
  private volatile @Nullable String pendingCause;

  // Guarded by the pool lock (volatile where the lock-free failure path reads them).
  /** The breaker state as last entered; selection follows this, not the breaker's live state. */
  private volatile CircuitBreaker.State breakerState = CircuitBreaker.State.CLOSED;
  private boolean activeUp = true;
  private int checkPasses;
  private int checkFailures;
  /** Passed checks in a row since the breaker last opened; {@code rise} of them end the ejection. */
  private int passesWhileEjected;
  private boolean checked;
  private int ejections;
  /** Every ejection since the endpoint joined; written under the pool lock, read without it. */
  private volatile long totalEjections;
  private boolean ramping;
  private long rampStartNanos;
  /** Why the state last changed, for the event and the log; guarded by the pool lock. */
  private String cause = "";
  private @Nullable ScheduledFuture<?> halfOpenTimer;
  /** The state last published; written by the publisher under the lock. */
  volatile EndpointState state = EndpointState.HEALTHY;

  EndpointHealth(EndpointPoolConfig config, SlowStart slowStart, CircuitBreaker breaker,
      ScheduledExecutorService scheduler, Runnable halfOpenTask, Runnable publish) {
    this.config = config;
    this.slowStart = slowStart;
    this.breaker = breaker;
    this.scheduler = scheduler;
    this.halfOpenTask = halfOpenTask;
    this.publish = publish;
  }

  // ---------------------------------------------------------------------------------------------
  // Passive health: lock-free reports, then reconcile under the lock.

  /** A successful call. No lock. Returns whether {@link #reconcile} must follow. */
  boolean onSuccess(long latencyNanos) {
    consecutiveFailures.set(0);
    breaker.onSuccess(latencyNanos, TimeUnit.NANOSECONDS);
    return breaker.getState() != breakerState;
  }

  /** A failed call. No lock. Returns whether {@link #reconcile} must follow. */
  boolean onFailure(long latencyNanos, Throwable error) {
    int consecutive = consecutiveFailures.incrementAndGet();
    breaker.onError(latencyNanos, TimeUnit.NANOSECONDS, error);
    if (consecutive >= config.consecutiveFailures() && breakerState == CircuitBreaker.State.CLOSED) {
      pendingCause = consecutive + " consecutive failures, last " + error.getClass().getName();
      return true;
    }
    return breaker.getState() != breakerState;
  }

  /**
   * Under the lock: opens a closed breaker if enough consecutive failures were seen, then takes over
   * the breaker's live state.
   */
  void reconcile(long now) {
    if (breakerState == CircuitBreaker.State.CLOSED && breaker.getState() == CircuitBreaker.State.CLOSED
        && consecutiveFailures.get() >= config.consecutiveFailures()) {
      breaker.transitionToOpenState();
      enter(CircuitBreaker.State.OPEN, now);
    }
    enter(breaker.getState(), now);
  }

  /** Under the lock: the ejection time is over, OPEN to HALF_OPEN. A stale timer does nothing. */
  void halfOpenTimerFired(long now) {
    halfOpenTimer = null;
    if (breakerState != CircuitBreaker.State.OPEN) {
      return;
    }
    if (breaker.getState() == CircuitBreaker.State.OPEN) {
      breaker.transitionToHalfOpenState();
      enter(CircuitBreaker.State.HALF_OPEN, now);
    }
    enter(breaker.getState(), now); // a trial may have failed already
  }

  /** Records that the breaker is in state {@code to}, with its bookkeeping, and publishes. */
  private void enter(CircuitBreaker.State to, long now) {
    CircuitBreaker.State from = breakerState;
    if (from == to) {
      return;
    }
    breakerState = to;
    switch (to) {
      case OPEN:
      case FORCED_OPEN: {
        String pending = pendingCause;
        pendingCause = null;
        String why;
        if (from == CircuitBreaker.State.HALF_OPEN) {
          why = "trial calls failed while half-open";
        } else if (pending != null) {
          why = pending;
        } else {
          why = String.format("failure rate %.0f%% over the last %d calls",
              breaker.getMetrics().getFailureRate(), breaker.getMetrics().getNumberOfBufferedCalls());
        }
        ejections++;
        totalEjections = totalEjections + 1;
        passesWhileEjected = 0;
        Duration wait = ejectionTime(ejections);
        cause = why + "; ejected for " + wait + " (ejection " + ejections + ")";
        cancelHalfOpenTimer();
        halfOpenTimer = scheduler.schedule(halfOpenTask, wait.toNanos(), TimeUnit.NANOSECONDS);
        break;
      }
      case HALF_OPEN:
        cause = "ejection time over; taking trial calls";
        consecutiveFailures.set(0);
        break;
      default: // CLOSED
        if (from == CircuitBreaker.State.HALF_OPEN) {
          cause = "trial calls succeeded";
        } // else ended by active checks, which said why
        ejections = 0;
        consecutiveFailures.set(0);
        cancelHalfOpenTimer();
        startRamp(now);
        break;
    }
    publish.run();
  }

  /** Returns the n-th (1-based) ejection's duration: exponential back-off, capped. */
  Duration ejectionTime(int n) {
    double nanos = config.ejectionTime().toNanos() * Math.pow(config.ejectionBackoffMultiplier(), n - 1);
    long max = config.maxEjectionTime().toNanos();
    return Duration.ofNanos(nanos >= max ? max : (long) nanos);
  }

  // ---------------------------------------------------------------------------------------------
  // Active health, under the lock.

  /**
   * A passed active check. {@code rise} in a row bring a down endpoint up, and end a passive ejection
   * (breaker reset to CLOSED, as Envoy does by default); either way it then ramps if slow start is on.
   */
  void checkPassed(long now) {
    checked = true;
    checkPasses++;
    checkFailures = 0;
    boolean ejected = breakerState != CircuitBreaker.State.CLOSED;
    if (ejected) {
      passesWhileEjected++;
    }
    boolean up = !activeUp && checkPasses >= config.rise();
    boolean unejected = ejected && passesWhileEjected >= config.rise();
    if (!up && !unejected) {
      return;
    }
    String passed = "passed " + checks(unejected ? passesWhileEjected : checkPasses) + " in a row";
    if (up) {
      activeUp = true;
      cause = passed;
      startRamp(now);
    }
    if (unejected) {
      cause = passed + "; ejection ended";
      breaker.transitionToClosedState();
      enter(CircuitBreaker.State.CLOSED, now);
      enter(breaker.getState(), now);
    }
    publish.run();
  }

  /** A failed active check; {@code fall} in a row take the endpoint down. */
  void checkFailed(String reason, boolean initial) {
    checked = true;
    checkFailures++;
    checkPasses = 0;
    passesWhileEjected = 0;
    if (activeUp && (initial || checkFailures >= config.fall())) {
      activeUp = false;
      cause = initial ? "failed its first health check: " + reason
          : "failed " + checks(checkFailures) + " in a row, last: " + reason;
      publish.run();
    }
  }

  /** Returns whether the endpoint has had an active-check verdict. */
  boolean checked() {
    return checked;
  }

  private static String checks(int n) {
    return n == 1 ? "1 health check" : n + " health checks";
  }

  // ---------------------------------------------------------------------------------------------
  // Slow start and the combined state, under the lock.

  /** Starts a slow-start ramp, if slow start is on. */
  void startRamp(long now) {
    if (slowStart.isOn()) {
      ramping = true;
      rampStartNanos = now;
    }
  }

  /** Returns whether the endpoint is ramping up at {@code now}. */
  boolean ramping(long now) {
    if (ramping && slowStart.isOver(now - rampStartNanos)) {
      ramping = false;
    }
    return ramping;
  }

  /** Computes the state at {@code now} for an endpoint of that weight (see {@link EndpointState}). */
  EndpointState computeState(int weight, long now) {
    if (!activeUp) {
      return EndpointState.DOWN;
    }
    if (breakerState == CircuitBreaker.State.OPEN || breakerState == CircuitBreaker.State.FORCED_OPEN) {
      return EndpointState.EJECTED;
    }
    if (weight == 0) {
      return EndpointState.DRAINED;
    }
    if (breakerState == CircuitBreaker.State.HALF_OPEN) {
      return EndpointState.HALF_OPEN;
    }
    return ramping(now) ? EndpointState.RAMPING : EndpointState.HEALTHY;
  }

  /** Returns the weight selection uses in {@code state}: full, the ramp's share, or 0. */
  double effectiveWeight(EndpointState state, int weight, long now) {
    switch (state) {
      case HEALTHY:
        return weight;
      case HALF_OPEN:
        return slowStart.floorWeight(weight);
      case RAMPING:
        return slowStart.weight(weight, now - rampStartNanos);
      default:
        return 0;
    }
  }

  /** Returns why the state last changed; empty if nothing was said. */
  String cause() {
    return cause;
  }

  /** Forgets the cause once published, unless the endpoint is still out for it. */
  void causePublished() {
    if (breakerState == CircuitBreaker.State.CLOSED && activeUp || breakerState == CircuitBreaker.State.HALF_OPEN) {
      cause = "";
    }
  }

  /** Returns how many times the breaker has ejected the endpoint since it last recovered. */
  int ejections() {
    return ejections;
  }

  /** Returns how many times the breaker has ejected the endpoint since it joined the pool. Lock-free. */
  long totalEjections() {
    return totalEjections;
  }

  /** Cancels the half-open timer; when the endpoint leaves the pool or the pool closes. */
  void cancelHalfOpenTimer() {
    if (halfOpenTimer != null) {
      halfOpenTimer.cancel(false);
      halfOpenTimer = null;
    }
  }

  /** Returns whether a half-open timer is pending (for tests). */
  boolean halfOpenTimerPending() {
    return halfOpenTimer != null;
  }
}
