package io.rota.core;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.rota.core.event.PoolEvent;
import io.rota.core.event.PoolEventListener;
import io.rota.core.internal.Resilience4j;
import io.rota.core.internal.SmoothSchedule;
import io.rota.core.spi.HealthCheck;
import io.rota.core.spi.HealthCheckFailedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EndpointPool} implementation.
 *
 * <h2>Design</h2>
 * Reads and writes are split. {@link #select()} reads one volatile field, {@link #selection}, an
 * immutable {@link Selection} holding one period of the smooth weighted round-robin order of the
 * serving tier ({@link SmoothSchedule}) as an array of endpoints, plus its own pick counter: a pick is
 * one {@code getAndAdd} and two array reads.
 *
 * <p>Every change (membership, weight, breaker transition, health-check verdict, slow-start step) runs
 * under {@link #lock}: it recomputes each endpoint's {@link EndpointState} and effective weight,
 * chooses the serving tier, and, if the integer schedule weights differ from the published ones,
 * builds and publishes a new {@code Selection}. The new schedule starts from each endpoint's progress
 * in the old one (see {@link SmoothSchedule}), so a rebuild neither restarts the rotation nor
 * favours anyone. Events collected during the change are delivered after the lock is released.
 *
 * <p>Time comes from the {@link Ticker}; timers (half-open, health checks, slow-start steps) run on
 * the {@link ScheduledExecutorService}; both can be replaced in tests.
 */
final class DefaultEndpointPool<A> implements EndpointPool<A> {

  private static final Logger logger = LoggerFactory.getLogger(EndpointPool.class);

  /**
   * The longest schedule period. Longer ones are scaled down, keeping proportions to about one part
   * in this many; it bounds a rebuild to about a millisecond and a snapshot to about a megabyte.
   */
  static final int MAX_SLOTS = 1 << 17;
  /** Slow start changes the effective weight this many times over the window. */
  static final int RAMP_STEPS = 20;
  /** Fractional effective weights are resolved to 1/this of a weight unit in the schedule. */
  private static final int FRACTION_SCALE = 100;

  private final String name;
  private final EndpointPoolConfig config;
  private final @Nullable HealthCheck<A> healthCheck;
  private final Ticker ticker;
  /** Start offset and check jitter; used under {@link #lock} only. */
  private final RandomGenerator random;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Executor healthCheckExecutor;
  private final @Nullable ExecutorService ownedHealthCheckExecutor;
  private final CircuitBreakerConfig breakerConfig;

  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by {@link #lock}. */
  private final List<Entry<A>> entries = new ArrayList<>();
  private final ConcurrentHashMap<String, Entry<A>> byId = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<PoolEventListener> listeners = new CopyOnWriteArrayList<>();
  /** Events of published changes, in lock order, waiting for {@link #drainEvents()}. */
  private final ConcurrentLinkedQueue<PoolEvent> pendingEvents = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean delivering = new AtomicBoolean();
  /** Guarded by {@link #lock}. */
  private boolean closed;
  /** Guarded by {@link #lock}. */
  private @Nullable ScheduledFuture<?> rampTimer;

  private volatile Selection<A> selection;

  DefaultEndpointPool(
      String name,
      List<Endpoint<A>> initial,
      EndpointPoolConfig config,
      @Nullable HealthCheck<A> healthCheck,
      Ticker ticker,
      RandomGenerator random,
      @Nullable ScheduledExecutorService scheduler,
      @Nullable Executor healthCheckExecutor,
      List<PoolEventListener> initialListeners) {
    this.name = name;
    this.listeners.addAll(initialListeners);
    this.config = config;
    this.healthCheck = healthCheck;
    this.ticker = ticker;
    this.random = random;
    if (scheduler == null) {
      ScheduledThreadPoolExecutor owned = new ScheduledThreadPoolExecutor(1, daemonThreads("rota-" + name + "-scheduler"));
      owned.setRemoveOnCancelPolicy(true);
      this.scheduler = owned;
      this.ownsScheduler = true;
    } else {
      this.scheduler = scheduler;
      this.ownsScheduler = false;
    }
    if (healthCheckExecutor != null) {
      this.healthCheckExecutor = healthCheckExecutor;
      this.ownedHealthCheckExecutor = null;
    } else if (healthCheck != null) {
      ExecutorService owned = Executors.newCachedThreadPool(daemonThreads("rota-" + name + "-health"));
      this.healthCheckExecutor = owned;
      this.ownedHealthCheckExecutor = owned;
    } else {
      this.healthCheckExecutor = Runnable::run;
      this.ownedHealthCheckExecutor = null;
    }
    this.breakerConfig = Resilience4j.call(() -> breakerConfig(config));
    this.selection = Selection.empty();

    List<PoolEvent> events = new ArrayList<>();
    lock.lock();
    try {
      for (Endpoint<A> e : initial) {
        Entry<A> entry = newEntry(e);
        entries.add(entry);
        byId.put(e.id(), entry);
      }
      publish(events, true);
      for (Entry<A> entry : entries) {
        startChecks(entry);
      }
    } finally {
      lock.unlock();
    }
    logger.info("{} - Started with endpoints {}", name, initial);
    if (logger.isDebugEnabled()) {
      logger.debug("{} - {}, active health check: {}", name, config, healthCheck != null);
    }
  }

  private static CircuitBreakerConfig breakerConfig(EndpointPoolConfig config) {
    return CircuitBreakerConfig.custom()
        // One setter per property: the combined slidingWindow(int, int, type) exists only since 2.4.
        .slidingWindowType(SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(config.slidingWindowSize())
        .minimumNumberOfCalls(config.minimumNumberOfCalls())
        .failureRateThreshold(config.failureRateThreshold())
        .permittedNumberOfCallsInHalfOpenState(config.halfOpenTrialCalls())
        // No slow-call rule: a call's duration is the caller's business (a connection held for a
        // long transaction, a slow query), never a reason to eject an endpoint.
        .slowCallRateThreshold(100)
        .slowCallDurationThreshold(Duration.ofDays(365))
        // The pool moves OPEN -> HALF_OPEN itself, on its own scheduler, ticker and back-off; the
        // breaker's own clock (which only Resilience4j 2.3+ lets one replace) never decides.
        .waitDurationInOpenState(Duration.ofDays(365))
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .build();
  }

  private Entry<A> newEntry(Endpoint<A> endpoint) {
    CircuitBreaker breaker = CircuitBreaker.of(name + "/" + endpoint.id(), breakerConfig);
    Entry<A> entry = new Entry<>(endpoint, breaker);
    // No Resilience4j event consumer: with one registered, the breaker builds a timestamped event
    // object on every recorded call (~60 ns, 120 B). The pool notices transitions itself instead,
    // right after each call that can cause one (see syncBreakerState).
    return entry;
  }

  // ---------------------------------------------------------------------------------------------
  // Selection: the hot path.

  @Override
  public @Nullable Endpoint<A> select() {
    return selection.select();
  }

  @Override
  public Endpoint<A> selectOrThrow() {
    Endpoint<A> endpoint = selection.select();
    if (endpoint == null) {
      throw new NoEndpointAvailableException(snapshot());
    }
    return endpoint;
  }

  /**
   * One immutable period of the serving tier's order plus the counter of picks taken from it.
   * Immutable but for {@link #counter}.
   */
  static final class Selection<A> {
    private static final VarHandle COUNTER;

    static {
      try {
        COUNTER = MethodHandles.lookup().findVarHandle(Selection.class, "counter", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Endpoint<A>[] bySlot;
    final @Nullable SmoothSchedule schedule;
    /** The entries behind the schedule's endpoint indexes. */
    final List<Entry<A>> members;
    /** The endpoint value of each member when this selection was built. */
    final Endpoint<?>[] memberEndpoints;
    final int[] weights;
    final @Nullable Tier tier;
    final boolean panic;
    @SuppressWarnings("unused") // through COUNTER
    private volatile long counter;

    Selection(Endpoint<A>[] bySlot, @Nullable SmoothSchedule schedule, List<Entry<A>> members, int[] weights,
        @Nullable Tier tier, boolean panic, long start) {
      this.bySlot = bySlot;
      this.schedule = schedule;
      this.members = members;
      this.memberEndpoints = new Endpoint<?>[members.size()];
      for (int i = 0; i < memberEndpoints.length; i++) {
        memberEndpoints[i] = members.get(i).endpoint;
      }
      this.weights = weights;
      this.tier = tier;
      this.panic = panic;
      this.counter = start;
    }

    @SuppressWarnings("unchecked")
    static <A> Selection<A> empty() {
      return new Selection<>((Endpoint<A>[]) new Endpoint<?>[0], null, List.of(), new int[0], null, false, 0);
    }

    @Nullable Endpoint<A> select() {
      Endpoint<A>[] slots = bySlot;
      int n = slots.length;
      if (n == 0) {
        return null;
      }
      // A long does not wrap in any uptime (2^63 picks), so the rotation never jumps.
      long c = (long) COUNTER.getAndAdd(this, 1L);
      return slots[(int) (c % n)];
    }

    /** Returns the number of picks taken, from which {@link #select()} takes its slot. */
    long position() {
      return (long) COUNTER.getVolatile(this);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rebuilding and publishing. All under the lock.

  /**
   * Recomputes states and, if the schedule changes, publishes a new selection. Adds the events it
   * causes to {@code events}.
   */
  private void publish(List<PoolEvent> events, boolean initial) {
    long now = ticker.read();
    Selection<A> old = selection;
    boolean anyRamping = false;
    for (Entry<A> e : entries) {
      EndpointState s = computeState(e, now);
      if (s != e.state) {
        EndpointState from = e.state;
        e.state = s;
        events.add(new PoolEvent.StateChanged(name, now, e.id(), from, s, e.cause));
        logStateChange(e, from, s);
      }
      anyRamping |= s == EndpointState.RAMPING;
    }

    int availablePrimary = 0;
    int totalPrimary = 0;
    int availableBackup = 0;
    int totalBackup = 0;
    for (Entry<A> e : entries) {
      if (e.endpoint.weight() == 0) {
        continue;
      }
      boolean available = e.state.isAvailable();
      if (e.endpoint.tier() == Tier.PRIMARY) {
        totalPrimary++;
        availablePrimary += available ? 1 : 0;
      } else {
        totalBackup++;
        availableBackup += available ? 1 : 0;
      }
    }
    int threshold = config.panicThresholdPercent();
    Tier tier;
    boolean panic = false;
    if (availablePrimary > 0) {
      tier = Tier.PRIMARY;
      panic = availablePrimary * 100L < (long) threshold * totalPrimary;
    } else if (availableBackup > 0) {
      tier = Tier.BACKUP;
      panic = availableBackup * 100L < (long) threshold * totalBackup;
    } else if (threshold > 0 && totalPrimary > 0) {
      tier = Tier.PRIMARY;
      panic = true;
    } else if (threshold > 0 && totalBackup > 0) {
      tier = Tier.BACKUP;
      panic = true;
    } else {
      tier = null;
    }

    List<Entry<A>> members = new ArrayList<>();
    List<Double> effective = new ArrayList<>();
    if (tier != null) {
      for (Entry<A> e : entries) {
        if (e.endpoint.tier() != tier || e.endpoint.weight() == 0) {
          continue;
        }
        double w = panic ? e.endpoint.weight() : effectiveWeight(e, now);
        if (w > 0) {
          members.add(e);
          effective.add(w);
        }
      }
    }
    int[] weights = scheduleWeights(effective);

    if (old.tier != tier || old.panic != panic) {
      events.add(new PoolEvent.ServingTierChanged(name, now, tier, panic));
      if (!initial || tier != Tier.PRIMARY || panic) {
        logTierChange(tier, panic);
      }
    }
    boolean sameSchedule = Arrays.equals(old.weights, weights) && sameMembers(old, members);
    if (!sameSchedule) {
      carryProgress(old);
      selection = build(members, weights, tier, panic, initial);
    } else if (old.tier != tier || old.panic != panic) {
      selection = new Selection<>(old.bySlot, old.schedule, old.members, old.weights, tier, panic, old.position());
    }
    if (anyRamping && rampTimer == null && !closed) {
      long step = Math.max(1, config.slowStart().toNanos() / RAMP_STEPS);
      rampTimer = scheduler.schedule(this::rampStep, step, TimeUnit.NANOSECONDS);
    }
  }

  /** Whether the published selection has the same members with the same endpoint values. */
  private static <A> boolean sameMembers(Selection<A> old, List<Entry<A>> members) {
    if (old.members.size() != members.size()) {
      return false;
    }
    for (int i = 0; i < members.size(); i++) {
      Entry<A> m = members.get(i);
      if (old.members.get(i) != m || old.memberEndpoints[i] != m.endpoint) {
        return false;
      }
    }
    return true;
  }

  private void carryProgress(Selection<A> old) {
    SmoothSchedule schedule = old.schedule;
    if (schedule == null) {
      return;
    }
    double[] progress = schedule.progressAt(old.position());
    for (int i = 0; i < progress.length; i++) {
      if (!Double.isNaN(progress[i])) {
        old.members.get(i).progress = progress[i];
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Selection<A> build(List<Entry<A>> members, int[] weights, @Nullable Tier tier, boolean panic, boolean initial) {
    if (members.isEmpty()) {
      return new Selection<>((Endpoint<A>[]) new Endpoint<?>[0], null, List.of(), weights, tier, panic, 0);
    }
    double[] progress = new double[members.size()];
    for (int i = 0; i < progress.length; i++) {
      progress[i] = members.get(i).progress; // NaN: fresh, the schedule chooses its phase
    }
    SmoothSchedule schedule = SmoothSchedule.build(weights, progress);
    Endpoint<A>[] bySlot = (Endpoint<A>[]) new Endpoint<?>[schedule.length()];
    for (int k = 0; k < bySlot.length; k++) {
      bySlot[k] = members.get(schedule.slot(k)).endpoint;
    }
    // A fresh pool starts at a random point of its period, so that many clients started together do
    // not all send their first request to the same endpoint.
    long start = initial ? random.nextInt(bySlot.length) : 0;
    return new Selection<>(bySlot, schedule, List.copyOf(members), weights, tier, panic, start);
  }

  /**
   * Turns effective weights into integer schedule weights: exact when they are integers (divided by
   * their greatest common divisor), else resolved to 1/100 of a unit; scaled down proportionally when
   * the period would exceed {@link #MAX_SLOTS}.
   */
  static int[] scheduleWeights(List<Double> effective) {
    int n = effective.size();
    int[] out = new int[n];
    if (n == 0) {
      return out;
    }
    double sum = 0;
    boolean integral = true;
    for (double w : effective) {
      sum += w;
      integral &= w == Math.rint(w);
    }
    double scale = integral ? 1 : Math.max(1, Math.min(FRACTION_SCALE, Math.floor(MAX_SLOTS / sum)));
    long[] w = new long[n];
    long gcd = 0;
    long total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = Math.max(1, Math.round(effective.get(i) * scale));
      gcd = gcd(gcd, w[i]);
    }
    for (int i = 0; i < n; i++) {
      w[i] /= gcd;
      total += w[i];
    }
    if (total > MAX_SLOTS) {
      double factor = (double) MAX_SLOTS / total;
      for (int i = 0; i < n; i++) {
        w[i] = Math.max(1, Math.round(w[i] * factor));
      }
    }
    for (int i = 0; i < n; i++) {
      out[i] = (int) w[i];
    }
    return out;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private EndpointState computeState(Entry<A> e, long now) {
    if (!e.activeUp) {
      return EndpointState.DOWN;
    }
    switch (e.breakerState) {
      case OPEN:
      case FORCED_OPEN:
        return EndpointState.EJECTED;
      case HALF_OPEN:
        return EndpointState.HALF_OPEN;
      default:
        break;
    }
    if (e.ramping) {
      if (now - e.rampStartNanos < config.slowStart().toNanos()) {
        return EndpointState.RAMPING;
      }
      e.ramping = false;
    }
    return EndpointState.HEALTHY;
  }

  private double effectiveWeight(Entry<A> e, long now) {
    int weight = e.endpoint.weight();
    double floor = config.slowStartInitialWeightPercent() / 100.0;
    switch (e.state) {
      case HEALTHY:
        return weight;
      case HALF_OPEN:
        return weight * floor;
      case RAMPING: {
        long window = config.slowStart().toNanos();
        long step = Math.min(RAMP_STEPS, (now - e.rampStartNanos) * RAMP_STEPS / window);
        return weight * (floor + (1 - floor) * step / RAMP_STEPS);
      }
      default:
        return 0;
    }
  }

  private void rampStep() {
    List<PoolEvent> events = new ArrayList<>();
    lock.lock();
    try {
      rampTimer = null;
      if (closed) {
        return;
      }
      publish(events, false);
    } finally {
      pendingEvents.addAll(events); // in lock order
      lock.unlock();
    }
    drainEvents();
  }

  private void startRamp(Entry<A> e) {
    if (!config.slowStart().isZero()) {
      e.ramping = true;
      e.rampStartNanos = ticker.read();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Passive health.

  @Override
  public Lease<A> acquire() {
    return acquire(selectOrThrow());
  }

  @Override
  public Lease<A> acquire(Endpoint<A> endpoint) {
    Entry<A> e = byId.get(endpoint.id());
    if (e != null) {
      e.inFlight.incrementAndGet();
    }
    return new DefaultLease<>(this, endpoint, e, ticker.read());
  }

  /** A lease's success; once per lease. */
  void recordSuccess(Entry<A> e, long startNanos) {
    long latency = Math.max(0, ticker.read() - startNanos);
    e.inFlight.decrementAndGet();
    if (e.removed) {
      return;
    }
    e.successes.increment();
    e.consecutiveFailures.set(0);
    e.breaker.onSuccess(latency, TimeUnit.NANOSECONDS);
    syncBreakerState(e);
  }

  /** A lease's neutral outcome; once per lease. */
  void recordRelease(Entry<A> e) {
    e.inFlight.decrementAndGet();
  }

  /** A lease's failure; once per lease. */
  void recordFailure(Entry<A> e, long startNanos, Throwable error) {
    long latency = Math.max(0, ticker.read() - startNanos);
    e.inFlight.decrementAndGet();
    if (e.removed) {
      return;
    }
    e.failures.increment();
    int consecutive = e.consecutiveFailures.incrementAndGet();
    e.breaker.onError(latency, TimeUnit.NANOSECONDS, error);
    if (consecutive >= config.consecutiveFailures() && e.breakerState == CircuitBreaker.State.CLOSED) {
      // The breaker is opened under the lock (see reconcile), never here.
      e.pendingCause = consecutive + " consecutive failures, last " + error.getClass().getName();
      reconcile(e, true);
    } else {
      syncBreakerState(e);
    }
  }

  /**
   * Publishes a breaker transition if the breaker's state differs from the one the pool last
   * handled. Called after every call into the breaker that can change its state, by the thread that
   * made it, so a transition is published before that call returns to its caller. Cheap when nothing
   * changed: two field reads.
   */
  private void syncBreakerState(Entry<A> e) {
    if (e.breaker.getState() != e.breakerState) {
      reconcile(e, false);
    }
  }

  /**
   * The one path by which an endpoint's breaker state changes as far as the pool is concerned. Under
   * the lock it makes the pool-initiated transition asked for (open on consecutive failures), then
   * takes over whatever state the breaker is in now, with its bookkeeping (cause, back-off, half-open
   * timer, slow start), and publishes.
   *
   * <p>The breaker itself moves only CLOSED to OPEN and HALF_OPEN to OPEN or CLOSED, inside a
   * reporting caller's {@code onError}/{@code onSuccess}; that caller calls this method afterwards.
   * OPEN to HALF_OPEN is made only here, by the half-open timer, under the lock, together with the
   * pool's record of it. So the pool's record never lags behind an OPEN it has not seen, and every
   * OPEN it takes over gets a half-open timer: no race leaves an endpoint ejected with no way back.
   *
   * @param openOnConsecutiveFailures whether the caller saw enough consecutive failures to open a
   *     closed breaker
   */
  private void reconcile(Entry<A> e, boolean openOnConsecutiveFailures) {
    List<PoolEvent> events = new ArrayList<>();
    lock.lock();
    try {
      if (closed || e.removed) {
        return;
      }
      if (openOnConsecutiveFailures && e.breakerState == CircuitBreaker.State.CLOSED
          && e.breaker.getState() == CircuitBreaker.State.CLOSED
          && e.consecutiveFailures.get() >= config.consecutiveFailures()) {
        e.breaker.transitionToOpenState();
        enterBreakerState(e, CircuitBreaker.State.OPEN, events);
      }
      takeOverBreakerState(e, events);
    } finally {
      pendingEvents.addAll(events); // in lock order
      lock.unlock();
    }
    drainEvents();
  }

  /** Makes the breaker's live state the pool's, with its bookkeeping, and publishes. Under the lock. */
  private void takeOverBreakerState(Entry<A> e, List<PoolEvent> events) {
    enterBreakerState(e, e.breaker.getState(), events);
  }

  /**
   * Records that the breaker is in state {@code to}, with its bookkeeping, and publishes. Under the
   * lock. A transition the pool makes itself is entered explicitly, before the live state is taken
   * over: a reporting caller may move the breaker on at once (HALF_OPEN to OPEN in one failed trial),
   * and reading only the live state would then miss the pool's own step and the timer of the next
   * ejection.
   */
  private void enterBreakerState(Entry<A> e, CircuitBreaker.State to, List<PoolEvent> events) {
    CircuitBreaker.State from = e.breakerState;
    if (from == to) {
      return;
    }
    e.breakerState = to;
    switch (to) {
      case OPEN: {
        String pending = e.pendingCause;
        e.pendingCause = null;
        if (from == CircuitBreaker.State.HALF_OPEN) {
          e.cause = "trial calls failed while half-open";
        } else if (pending != null) {
          e.cause = pending;
        } else {
          e.cause = String.format("failure rate %.0f%% over the last %d calls",
              e.breaker.getMetrics().getFailureRate(), e.breaker.getMetrics().getNumberOfBufferedCalls());
        }
        e.ejections++;
        Duration wait = ejectionTime(e.ejections);
        e.cause = e.cause + "; ejected for " + wait + " (ejection " + e.ejections + ")";
        cancel(e.halfOpenTimer);
        e.halfOpenTimer = scheduler.schedule(() -> halfOpen(e), wait.toNanos(), TimeUnit.NANOSECONDS);
        break;
      }
      case HALF_OPEN:
        e.cause = "ejection time over; taking trial calls";
        e.consecutiveFailures.set(0);
        break;
      case CLOSED:
        e.cause = "trial calls succeeded";
        e.ejections = 0;
        e.consecutiveFailures.set(0);
        if (from == CircuitBreaker.State.HALF_OPEN) {
          startRamp(e);
        }
        break;
      default:
        break;
    }
    publish(events, false);
    if (to != CircuitBreaker.State.OPEN) {
      e.cause = "";
    }
  }

  /** Returns the n-th (1-based) ejection's duration: exponential back-off, capped. */
  Duration ejectionTime(int n) {
    double nanos = config.ejectionTime().toNanos() * Math.pow(config.ejectionBackoffMultiplier(), n - 1);
    long max = config.maxEjectionTime().toNanos();
    return Duration.ofNanos(nanos >= max ? max : (long) nanos);
  }

  /** The half-open timer: OPEN to HALF_OPEN, made and taken over in one step under the lock. */
  private void halfOpen(Entry<A> e) {
    List<PoolEvent> events = new ArrayList<>();
    lock.lock();
    try {
      if (closed || e.removed || e.breakerState != CircuitBreaker.State.OPEN) {
        return;
      }
      if (e.breaker.getState() == CircuitBreaker.State.OPEN) {
        e.breaker.transitionToHalfOpenState();
        enterBreakerState(e, CircuitBreaker.State.HALF_OPEN, events);
      }
      takeOverBreakerState(e, events); // a trial may have failed already
    } finally {
      pendingEvents.addAll(events); // in lock order
      lock.unlock();
    }
    drainEvents();
  }

  // ---------------------------------------------------------------------------------------------
  // Active health.

  /** Schedules the first check of an entry, spread over the jitter range. Under the lock. */
  private void startChecks(Entry<A> e) {
    if (healthCheck == null || closed) {
      return;
    }
    long interval = config.healthCheckInterval().toNanos();
    long spread = interval * config.healthCheckJitterPercent() / 100;
    long delay = spread > 0 ? random.nextLong(spread + 1) : 0;
    e.checkTimer = scheduler.schedule(() -> runCheck(e), delay, TimeUnit.NANOSECONDS);
  }

  private void runCheck(Entry<A> e) {
    HealthCheck<A> check = healthCheck;
    if (check == null || closed || e.removed) {
      return;
    }
    AtomicBoolean decided = new AtomicBoolean();
    Endpoint<A> endpoint = e.endpoint;
    Duration timeout = config.healthCheckTimeout();
    FutureTask<Void> task = new FutureTask<>(() -> {
      check.check(endpoint);
      return null;
    }) {
      @Override
      protected void done() {
        if (isCancelled() || !decided.compareAndSet(false, true)) {
          return;
        }
        Throwable failure = null;
        try {
          get();
        } catch (java.util.concurrent.ExecutionException ex) {
          failure = ex.getCause();
        } catch (InterruptedException | RuntimeException ex) {
          failure = ex;
        }
        onCheckResult(e, failure);
      }
    };
    scheduler.schedule(() -> {
      if (decided.compareAndSet(false, true)) {
        task.cancel(true);
        onCheckResult(e, new CheckTimedOut("health check timed out after " + timeout));
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      healthCheckExecutor.execute(task);
    } catch (RuntimeException rejected) {
      if (decided.compareAndSet(false, true)) {
        onCheckResult(e, rejected);
      }
    }
  }

  private void onCheckResult(Entry<A> e, @Nullable Throwable failure) {
    List<PoolEvent> events = new ArrayList<>();
    lock.lock();
    try {
      if (closed || e.removed) {
        return;
      }
      if (failure == null) {
        e.checkPasses++;
        e.checkFailures = 0;
        if (!e.activeUp && e.checkPasses >= config.rise()) {
          e.activeUp = true;
          e.cause = "passed " + checks(e.checkPasses) + " in a row"
              + (e.breakerState == CircuitBreaker.State.CLOSED ? "" : "; its circuit breaker still decides");
          startRamp(e);
          publish(events, false);
        }
      } else {
        e.checkFailures++;
        e.checkPasses = 0;
        if (e.activeUp && e.checkFailures >= config.fall()) {
          e.activeUp = false;
          e.cause = "failed " + checks(e.checkFailures) + " in a row, last: " + describe(failure);
          publish(events, false);
        }
      }
      long interval = config.healthCheckInterval().toNanos();
      long spread = interval * config.healthCheckJitterPercent() / 100;
      long delay = interval + (spread > 0 ? random.nextLong(-spread, spread + 1) : 0);
      e.checkTimer = scheduler.schedule(() -> runCheck(e), Math.max(1, delay), TimeUnit.NANOSECONDS);
    } finally {
      pendingEvents.addAll(events); // in lock order
      lock.unlock();
    }
    drainEvents();
  }

  /**
   * Describes a failure by type, and by message only where the message is known to be safe: our own
   * timeout and {@link HealthCheckFailedException} (other messages may hold connection details).
   */
  private static String describe(Throwable t) {
    if (t instanceof CheckTimedOut || t instanceof HealthCheckFailedException) {
      return t.getMessage();
    }
    return t.getClass().getName();
  }

  private static String checks(int n) {
    return n == 1 ? "1 health check" : n + " health checks";
  }

  /** The pool's own health-check timeout, whose message is safe to show. */
  private static final class CheckTimedOut extends TimeoutException {
    private static final long serialVersionUID = 1L;

    CheckTimedOut(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Membership and weights.

  @Override
  public void add(Endpoint<A> endpoint) {
    requireNonNull(endpoint, "endpoint");
    List<PoolEvent> events = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("pool '" + name + "' is closed");
      }
      if (byId.containsKey(endpoint.id())) {
        throw new IllegalArgumentException(
            "endpoint id: '" + endpoint.id() + "' (expected: unique within pool '" + name + "')");
      }
      Entry<A> entry = newEntry(endpoint);
      startRamp(entry);
      entry.state = entry.ramping ? EndpointState.RAMPING : EndpointState.HEALTHY;
      entries.add(entry);
      byId.put(endpoint.id(), entry);
      events.add(new PoolEvent.EndpointAdded(name, ticker.read(), endpoint.id(), endpoint.tier(), endpoint.weight()));
      publish(events, false);
      startChecks(entry);
    } finally {
      pendingEvents.addAll(events); // in lock order
      lock.unlock();
    }
    logger.info("{} - Added endpoint {}", name, endpoint);
    drainEvents();
  }

  @Override
  public boolean remove(String id) {
    requireNonNull(id, "id");
    List<PoolEvent> events = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("pool '" + name + "' is closed");
      }
      Entry<A> entry = byId.remove(id);
      if (entry == null) {
        return false;
      }
      entry.removed = true;
      cancel(entry.halfOpenTimer);
      cancel(entry.checkTimer);
      entries.remove(entry);
      events.add(new PoolEvent.EndpointRemoved(name, ticker.read(), id));
      publish(events, false);
    } finally {
      pendingEvents.addAll(events); // in lock order
      lock.unlock();
    }
    logger.info("{} - Removed endpoint {}", name, id);
    drainEvents();
    return true;
  }

  @Override
  public void setWeight(String id, int weight) {
    requireNonNull(id, "id");
    Endpoint.validateWeight(weight);
    List<PoolEvent> events = new ArrayList<>();
    int old;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("pool '" + name + "' is closed");
      }
      Entry<A> entry = byId.get(id);
      if (entry == null) {
        throw new IllegalArgumentException("id: '" + id + "' (expected: one of " + byId.keySet() + ")");
      }
      old = entry.endpoint.weight();
      if (old == weight) {
        return;
      }
      entry.endpoint = entry.endpoint.withWeight(weight);
      events.add(new PoolEvent.WeightChanged(name, ticker.read(), id, old, weight));
      publish(events, false);
    } finally {
      pendingEvents.addAll(events); // in lock order
      lock.unlock();
    }
    if (logger.isDebugEnabled()) {
      logger.debug("{} - Weight of {} changed from {} to {}", name, id, old, weight);
    }
    drainEvents();
  }

  @Override
  public List<Endpoint<A>> endpoints() {
    lock.lock();
    try {
      List<Endpoint<A>> out = new ArrayList<>(entries.size());
      for (Entry<A> e : entries) {
        out.add(e.endpoint);
      }
      return List.copyOf(out);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public PoolSnapshot snapshot() {
    lock.lock();
    try {
      long now = ticker.read();
      Selection<A> s = selection;
      List<EndpointSnapshot> out = new ArrayList<>(entries.size());
      for (Entry<A> e : entries) {
        Endpoint<A> ep = e.endpoint;
        boolean serving = s.members.contains(e);
        double effective = !serving ? 0 : s.panic ? ep.weight() : effectiveWeight(e, now);
        out.add(new EndpointSnapshot(ep.id(), ep.tier(), e.state, ep.weight(), effective, e.inFlight.get(),
            e.successes.sum(), e.failures.sum(), e.ejections));
      }
      return new PoolSnapshot(name, s.tier, s.panic, out);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Events, logging, lifecycle.

  @Override
  public String name() {
    return name;
  }

  @Override
  public void addListener(PoolEventListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  @Override
  public boolean removeListener(PoolEventListener listener) {
    return listeners.remove(listener);
  }

  /**
   * Delivers queued events in the order their changes were made (they are queued under the lock),
   * one at a time: whichever thread finds the queue unclaimed delivers until it is empty.
   */
  private void drainEvents() {
    while (!pendingEvents.isEmpty() && delivering.compareAndSet(false, true)) {
      try {
        PoolEvent event;
        while ((event = pendingEvents.poll()) != null) {
          if (listeners.isEmpty()) {
            continue;
          }
          for (PoolEventListener listener : listeners) {
            try {
              listener.onEvent(event);
            } catch (RuntimeException ex) {
              logger.warn("{} - Exception thrown by event listener {} for {}", name, listener, event, ex);
            }
          }
        }
      } finally {
        delivering.set(false);
      }
    }
  }

  private void logStateChange(Entry<A> e, EndpointState from, EndpointState to) {
    if (to == EndpointState.EJECTED || to == EndpointState.DOWN) {
      logger.warn("{} - Endpoint {} is {} (was {}): {}", name, e.id(), to, from, e.cause);
    } else if (to == EndpointState.HALF_OPEN) {
      logger.info("{} - Endpoint {} is {} (was {}): {}", name, e.id(), to, from, e.cause);
    } else if (from != EndpointState.RAMPING) {
      logger.info("{} - Endpoint {} is {} (was {}){}", name, e.id(), to, from,
          e.cause.isEmpty() ? "" : ": " + e.cause);
    }
  }

  private void logTierChange(@Nullable Tier tier, boolean panic) {
    if (tier == null) {
      logger.warn("{} - No endpoint available", name);
    } else if (panic) {
      logger.warn("{} - Panic: too few {} endpoints available, picking among all of them", name, tier.label());
    } else if (tier == Tier.BACKUP) {
      logger.warn("{} - No primary-tier endpoint available, serving from backup-tier endpoints", name);
    } else {
      logger.info("{} - Serving from primary-tier endpoints", name);
    }
  }

  private static void cancel(@Nullable ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      cancel(rampTimer);
      for (Entry<A> e : entries) {
        cancel(e.halfOpenTimer);
        cancel(e.checkTimer);
      }
    } finally {
      lock.unlock();
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    if (ownedHealthCheckExecutor != null) {
      ownedHealthCheckExecutor.shutdownNow();
    }
    logger.info("{} - Closed", name);
  }

  @Override
  public String toString() {
    return "EndpointPool{name=" + name + ", endpoints=" + endpoints() + '}';
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
