package io.rota.core;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.rota.core.event.PoolEvent;
import io.rota.core.event.PoolEventListener;
import io.rota.core.internal.DaemonThreads;
import io.rota.core.internal.Resilience4j;
import io.rota.core.spi.HealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EndpointPool} implementation: a façade over parts with one job each.
 *
 * <ul>
 *   <li>{@link Selection}: the immutable order {@code select()} picks from (the hot path).
 *   <li>{@link SelectionPublisher}: turns the entries into the published {@code Selection} and the
 *       view that {@code snapshot()} reads.
 *   <li>{@link EndpointHealth}: each endpoint's health state machine (breaker, active-check verdicts,
 *       ejection back-off, half-open timer, slow-start ramp), built on {@link SlowStart}.
 *   <li>{@link ActiveChecker}: schedules and times out the active checks.
 *   <li>{@link EventDispatcher}: delivers events and state-change logs off the caller's thread.
 * </ul>
 *
 * <h2>Threading</h2>
 * Reads take no lock: {@link #select()} reads the published {@code Selection}; {@link #snapshot()},
 * {@link #endpoints()} and {@link #selectOrThrow()} read the published view plus the lock-free
 * counters. Every change (membership, weight, breaker transition, health-check verdict, timer) runs
 * through {@link #change}: under {@link #lock} it updates the entries and their state machines,
 * republishes, and queues the change's events; after unlocking it hands them to the dispatcher. No
 * listener and no log statement runs under the lock. Reports ({@link Lease} outcomes) feed the
 * breaker without the lock and take it only when the breaker's state moved.
 *
 * <p>Time comes from the {@link Ticker}; timers (half-open, health checks, slow-start steps) run on
 * the {@link ScheduledExecutorService}; both can be replaced in tests.
 */
final class DefaultEndpointPool<A> implements EndpointPool<A> {

  private static final Logger logger = LoggerFactory.getLogger(EndpointPool.class);

  private final String name;
  private final EndpointPoolConfig config;
  private final Ticker ticker;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final CircuitBreakerConfig breakerConfig;
  private final SlowStart slowStart;
  private final SelectionPublisher<A> publisher;
  private final @Nullable ActiveChecker<A> checker;
  private final EventDispatcher dispatcher;

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when an endpoint gets its first verdict or leaves; see {@link #awaitReady}. */
  private final Condition verdictArrived = lock.newCondition();
  /** Guarded by {@link #lock}. */
  private final List<Entry<A>> entries = new ArrayList<>();
  /** Written under {@link #lock}; read by leases without it. */
  private final ConcurrentHashMap<String, Entry<A>> byId = new ConcurrentHashMap<>();
  /** The events of the change in progress. Guarded by {@link #lock}. */
  private List<PoolEvent> changeEvents = new ArrayList<>();
  /** Guarded by {@link #lock}. */
  private boolean closed;
  /** Guarded by {@link #lock}. */
  private boolean initialPublish = true;
  /** Guarded by {@link #lock}. */
  private @Nullable ScheduledFuture<?> rampTimer;
  /** Told of every active check's verdict and time, after it is applied; see {@link CheckObserver}. */
  private final CopyOnWriteArrayList<CheckObserver> checkObservers = new CopyOnWriteArrayList<>();

  DefaultEndpointPool(
      String name,
      List<Endpoint<A>> initial,
      EndpointPoolConfig config,
      @Nullable HealthCheck<A> healthCheck,
      Ticker ticker,
      RandomGenerator random,
      @Nullable ScheduledExecutorService scheduler,
      @Nullable Executor healthCheckExecutor,
      @Nullable Executor eventExecutor,
      List<PoolEventListener> initialListeners,
      boolean initialCheck) {
    this.name = name;
    this.config = config;
    this.ticker = ticker;
    this.slowStart = new SlowStart(config.slowStart(), config.slowStartInitialWeightPercent());
    if (scheduler == null) {
      ScheduledThreadPoolExecutor owned =
          new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("rota-" + name + "-scheduler-", new AtomicInteger()));
      owned.setRemoveOnCancelPolicy(true);
      this.scheduler = owned;
      this.ownsScheduler = true;
    } else {
      this.scheduler = scheduler;
      this.ownsScheduler = false;
    }
    if (eventExecutor != null) {
      this.dispatcher = new EventDispatcher(name, ticker, eventExecutor, null, initialListeners);
    } else {
      ExecutorService owned = Executors.newCachedThreadPool(DaemonThreads.numbered("rota-" + name + "-events-", new AtomicInteger()));
      this.dispatcher = new EventDispatcher(name, ticker, owned, owned, initialListeners);
    }
    if (healthCheck == null) {
      this.checker = null;
    } else if (healthCheckExecutor != null) {
      this.checker = new ActiveChecker<>(healthCheck, config, this.scheduler, healthCheckExecutor, null, random,
          ticker, this::onVerdict);
    } else {
      ExecutorService owned = Executors.newCachedThreadPool(DaemonThreads.numbered("rota-" + name + "-health-", new AtomicInteger()));
      this.checker = new ActiveChecker<>(healthCheck, config, this.scheduler, owned, owned, random, ticker,
          this::onVerdict);
    }
    this.breakerConfig = Resilience4j.call(() -> breakerConfig(config));
    this.publisher = new SelectionPublisher<>(name, config.panicThresholdPercent(), random);

    List<Entry<A>> started = new ArrayList<>();
    change(() -> {
      long now = ticker.read();
      for (Endpoint<A> e : initial) {
        Entry<A> entry = newEntry(e);
        entry.health.state = entry.health.computeState(e.weight(), now);
        entries.add(entry);
        byId.put(e.id(), entry);
        started.add(entry);
      }
      publishNow();
      initialPublish = false;
      if (checker != null && !initialCheck) {
        started.forEach(checker::start);
      }
      return null;
    });
    logger.info("{} - Started with endpoints {}", name, initial);
    if (logger.isDebugEnabled()) {
      logger.debug("{} - {}, active health check: {}", name, config, healthCheck != null);
    }
    if (checker != null && initialCheck) {
      try {
        checker.runInitialRound(started);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        change(() -> {
          for (Entry<A> entry : started) {
            if (!entry.health.checked() && entry.checkTimer == null) {
              checker.start(entry); // interrupted before its verdict: checked as usual from now on
            }
          }
          return null;
        });
      }
    }
  }

  static CircuitBreakerConfig breakerConfig(EndpointPoolConfig config) {
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
    // No Resilience4j event consumer: with one registered, the breaker builds a timestamped event
    // object on every recorded call (~60 ns, 120 B). The pool notices transitions itself instead,
    // right after each call that can cause one (see EndpointHealth).
    CircuitBreaker breaker = CircuitBreaker.of(name + "/" + endpoint.id(), breakerConfig);
    return new Entry<>(endpoint, e -> new EndpointHealth(config, slowStart, breaker, scheduler,
        () -> halfOpen(e), this::publishNow));
  }

  // ---------------------------------------------------------------------------------------------
  // The one path for changes.

  /**
   * Runs {@code action} under the lock, queues the events it caused (in lock order), and dispatches
   * them after unlocking. Returns what the action returns.
   */
  private <T> T change(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      if (!changeEvents.isEmpty()) {
        dispatcher.enqueue(changeEvents);
        changeEvents = new ArrayList<>();
      }
      boolean nested = lock.getHoldCount() > 1;
      lock.unlock();
      if (!nested) {
        dispatcher.dispatch(); // the outermost change delivers, once the lock is really released
      }
    }
  }

  /** Recomputes states and publishes; schedules the next slow-start step if one ramps. Under the lock. */
  private void publishNow() {
    boolean ramping = publisher.publish(entries, ticker.read(), initialPublish, changeEvents);
    if (ramping && rampTimer == null && !closed) {
      rampTimer = scheduler.schedule(this::rampStep, slowStart.stepNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void rampStep() {
    change(() -> {
      rampTimer = null;
      if (!closed) {
        publishNow();
      }
      return null;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Selection: the hot path, and the lock-free reads.

  @Override
  public @Nullable Endpoint<A> select() {
    return publisher.selection().select();
  }

  @Override
  public Endpoint<A> selectOrThrow() {
    Endpoint<A> endpoint = publisher.selection().select();
    if (endpoint == null) {
      throw new NoEndpointAvailableException(snapshot());
    }
    return endpoint;
  }

  @Override
  public List<Endpoint<A>> endpoints() {
    List<SelectionPublisher.EndpointView<A>> views = publisher.view().endpoints();
    List<Endpoint<A>> out = new ArrayList<>(views.size());
    for (SelectionPublisher.EndpointView<A> v : views) {
      out.add(v.endpoint());
    }
    return List.copyOf(out);
  }

  @Override
  public PoolSnapshot snapshot() {
    SelectionPublisher.View<A> view = publisher.view();
    List<EndpointSnapshot> out = new ArrayList<>(view.endpoints().size());
    for (SelectionPublisher.EndpointView<A> v : view.endpoints()) {
      Endpoint<A> ep = v.endpoint();
      Entry<A> e = v.entry();
      out.add(new EndpointSnapshot(ep.id(), ep.tier(), v.state(), ep.weight(), v.effectiveWeight(),
          e.inFlight.get(), e.successes.sum(), e.failures.sum(), v.ejections()));
    }
    return new PoolSnapshot(name, view.tier(), view.panic(), out);
  }

  // ---------------------------------------------------------------------------------------------
  // Passive health: leases and their reports.

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
    if (e.health.onSuccess(latency)) {
      reconcile(e);
    }
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
    if (e.health.onFailure(latency, error)) {
      reconcile(e);
    }
  }

  private void reconcile(Entry<A> e) {
    change(() -> {
      if (!closed && !e.removed) {
        e.health.reconcile(ticker.read());
      }
      return null;
    });
  }

  private void halfOpen(Entry<A> e) {
    change(() -> {
      if (!closed && !e.removed) {
        e.health.halfOpenTimerFired(ticker.read());
      }
      return null;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Active health.

  private void onVerdict(Entry<A> e, @Nullable Throwable failure, boolean initial, long tookNanos) {
    boolean applied = change(() -> {
      if (closed || e.removed) {
        return false;
      }
      boolean first = !e.health.checked();
      if (failure == null) {
        e.health.checkPassed(ticker.read());
      } else {
        e.health.checkFailed(ActiveChecker.describe(failure), initial);
      }
      if (first) {
        verdictArrived.signalAll();
      }
      if (checker != null) {
        checker.scheduleNext(e);
      }
      return true;
    });
    if (applied) {
      for (CheckObserver o : checkObservers) {
        o.checked(e.id(), failure == null, tookNanos);
      }
    }
  }

  /**
   * Told of each active check's outcome and duration, on the thread that decided it (a health-check
   * or scheduler thread), after the verdict is applied and never under the pool's lock. Must be quick
   * and must not throw. Package-private: the metrics binder's hook, not API.
   */
  interface CheckObserver {
    /** One check of the endpoint with that id passed or failed after {@code tookNanos} ticker nanoseconds. */
    void checked(String endpointId, boolean passed, long tookNanos);
  }

  void addCheckObserver(CheckObserver observer) {
    checkObservers.add(observer);
  }

  void removeCheckObserver(CheckObserver observer) {
    checkObservers.remove(observer);
  }

  /** Returns whether the pool runs active health checks. */
  boolean hasHealthCheck() {
    return checker != null;
  }

  /** Returns the entry of the endpoint with that id now in the pool, or {@code null}. Lock-free. */
  @Nullable Entry<A> entry(String id) {
    return byId.get(id);
  }

  /** Returns the last published view (serving tier, panic, entries). Lock-free. */
  SelectionPublisher.View<A> view() {
    return publisher.view();
  }

  @Override
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    if (checker == null) {
      return true;
    }
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!allChecked()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = verdictArrived.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private boolean allChecked() {
    for (Entry<A> e : entries) {
      if (!e.health.checked()) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Membership and weights.

  @Override
  public void add(Endpoint<A> endpoint) {
    requireNonNull(endpoint, "endpoint");
    change(() -> {
      checkOpen();
      if (byId.containsKey(endpoint.id())) {
        throw new IllegalArgumentException(
            "endpoint id: '" + endpoint.id() + "' (expected: unique within pool '" + name + "')");
      }
      long now = ticker.read();
      Entry<A> entry = newEntry(endpoint);
      entry.health.startRamp(now);
      entry.health.state = entry.health.computeState(endpoint.weight(), now);
      entries.add(entry);
      byId.put(endpoint.id(), entry);
      changeEvents.add(new PoolEvent.EndpointAdded(name, now, endpoint.id(), endpoint.tier(), endpoint.weight()));
      publishNow();
      if (checker != null) {
        checker.start(entry);
      }
      return null;
    });
    logger.info("{} - Added endpoint {}", name, endpoint);
  }

  @Override
  public boolean remove(String id) {
    requireNonNull(id, "id");
    boolean removed = change(() -> {
      checkOpen();
      Entry<A> entry = byId.remove(id);
      if (entry == null) {
        return false;
      }
      entry.removed = true;
      entry.health.cancelHalfOpenTimer();
      cancel(entry.checkTimer);
      entries.remove(entry);
      changeEvents.add(new PoolEvent.EndpointRemoved(name, ticker.read(), id));
      publishNow();
      verdictArrived.signalAll();
      return true;
    });
    if (removed) {
      logger.info("{} - Removed endpoint {}", name, id);
    }
    return removed;
  }

  @Override
  public void setWeight(String id, int weight) {
    requireNonNull(id, "id");
    Endpoint.validateWeight(weight);
    int old = change(() -> {
      checkOpen();
      Entry<A> entry = byId.get(id);
      if (entry == null) {
        throw new IllegalArgumentException("id: '" + id + "' (expected: one of " + byId.keySet() + ")");
      }
      int was = entry.endpoint.weight();
      if (was != weight) {
        entry.endpoint = entry.endpoint.withWeight(weight);
        changeEvents.add(new PoolEvent.WeightChanged(name, ticker.read(), id, was, weight));
        publishNow();
      }
      return was;
    });
    if (old != weight && logger.isDebugEnabled()) {
      logger.debug("{} - Weight of {} changed from {} to {}", name, id, old, weight);
    }
  }

  /** Under the lock. */
  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("pool '" + name + "' is closed");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Events and lifecycle.

  @Override
  public String name() {
    return name;
  }

  @Override
  public void addListener(PoolEventListener listener) {
    dispatcher.addListener(requireNonNull(listener, "listener"));
  }

  @Override
  public boolean removeListener(PoolEventListener listener) {
    return dispatcher.removeListener(listener);
  }

  /** Returns the dispatcher (for tests). */
  EventDispatcher dispatcher() {
    return dispatcher;
  }

  /** Returns the published selection (for tests). */
  Selection<A> selection() {
    return publisher.selection();
  }

  /** Returns the lock that serializes changes (for tests). */
  ReentrantLock lock() {
    return lock;
  }

  private static void cancel(@Nullable ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  @Override
  public void close() {
    boolean closing = change(() -> {
      if (closed) {
        return false;
      }
      closed = true;
      cancel(rampTimer);
      for (Entry<A> e : entries) {
        e.health.cancelHalfOpenTimer();
        cancel(e.checkTimer);
      }
      verdictArrived.signalAll();
      return true;
    });
    if (!closing) {
      return;
    }
    if (checker != null) {
      checker.close();
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    dispatcher.close();
    logger.info("{} - Closed", name);
  }

  @Override
  public String toString() {
    return "EndpointPool{name=" + name + ", endpoints=" + endpoints() + '}';
  }

}
