package io.rota.core;

import io.rota.core.spi.HealthCheck;
import io.rota.core.spi.HealthCheckFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Runs a pool's active health checks: schedules each endpoint's next check (interval plus or minus
 * jitter), runs it on the health-check executor, and gives up on it after the timeout (interrupting
 * it). Every check ends in exactly one verdict, handed to the pool's {@link Verdicts} callback, which
 * applies it under the pool's lock and asks for the next check.
 *
 * <p>Thread-safe. Checks run on the health-check executor, timeouts and scheduled starts on the
 * scheduler, verdicts on whichever thread decided them.
 */
final class ActiveChecker<A> {

  /** Where verdicts go. */
  interface Verdicts<A> {
    /**
     * One check's verdict: {@code failure} is null when it passed. Called without the pool's lock.
     *
     * @param initial whether it is the verdict of the round {@code initialCheck} runs in build()
     * @param tookNanos how long the check took, in ticker nanoseconds: from its start (including any
     *     wait for a health-check thread) to its verdict; a timed-out check took its timeout
     */
    void onVerdict(Entry<A> entry, @Nullable Throwable failure, boolean initial, long tookNanos);
  }

  private final HealthCheck<A> check;
  private final EndpointPoolConfig config;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final RandomGenerator random;
  private final Ticker ticker;
  private final Verdicts<A> verdicts;
  private volatile boolean closed;

  ActiveChecker(HealthCheck<A> check, EndpointPoolConfig config, ScheduledExecutorService scheduler,
      Executor executor, @Nullable ExecutorService ownedExecutor, RandomGenerator random, Ticker ticker,
      Verdicts<A> verdicts) {
    this.check = check;
    this.config = config;
    this.scheduler = scheduler;
    this.executor = executor;
    this.ownedExecutor = ownedExecutor;
    this.random = random;
    this.ticker = ticker;
    this.verdicts = verdicts;
  }

  /** Schedules an entry's first check, spread over the jitter range. */
  void start(Entry<A> e) {
    long spread = spread();
    schedule(e, spread > 0 ? nextLong(0, spread + 1) : 0);
  }

  /** Schedules an entry's next check, one interval plus or minus jitter away. */
  void scheduleNext(Entry<A> e) {
    long spread = spread();
    schedule(e, config.healthCheckInterval().toNanos() + (spread > 0 ? nextLong(-spread, spread + 1) : 0));
  }

  /** The generator need not be thread-safe (see EndpointPoolBuilder.random): one caller at a time. */
  private long nextLong(long origin, long bound) {
    synchronized (random) {
      return random.nextLong(origin, bound);
    }
  }

  private long spread() {
    return config.healthCheckInterval().toNanos() * config.healthCheckJitterPercent() / 100;
  }

  private void schedule(Entry<A> e, long delayNanos) {
    if (closed || e.removed) {
      return;
    }
    e.checkTimer = scheduler.schedule(() -> run(e), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /** A check of the initial round; remembers when it ended, in ticker nanoseconds. */
  private final class InitialCheck implements Callable<Void> {
    final FutureTask<Void> task = new FutureTask<>(this);
    private final Endpoint<A> endpoint;
    /** Written before the task's outcome is set, so a thread that got the outcome sees it. */
    volatile long endedAt;

    InitialCheck(Endpoint<A> endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Void call() throws Exception {
      try {
        check.check(endpoint);
        return null;
      } finally {
        endedAt = ticker.read();
      }
    }
  }

  /** Runs one scheduled check; its verdict comes from whichever ends first, the check or the timeout. */
  private void run(Entry<A> e) {
    if (closed || e.removed) {
      return;
    }
    AtomicBoolean decided = new AtomicBoolean();
    Duration timeout = config.healthCheckTimeout();
    long start = ticker.read();
    FutureTask<Void> task = new FutureTask<>(() -> {
      check.check(e.endpoint);
      return null;
    }) {
      @Override
      protected void done() {
        if (!isCancelled() && decided.compareAndSet(false, true)) {
          verdicts.onVerdict(e, outcome(this), false, tookSince(start));
        }
      }
    };
    ScheduledFuture<?> timer = scheduler.schedule(() -> {
      if (decided.compareAndSet(false, true)) {
        task.cancel(true);
        verdicts.onVerdict(e, timedOut(timeout), false, tookSince(start));
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      executor.execute(task);
    } catch (RuntimeException rejected) {
      if (decided.compareAndSet(false, true)) {
        timer.cancel(false);
        verdicts.onVerdict(e, rejected, false, tookSince(start));
      }
    }
    if (task.isDone()) {
      timer.cancel(false);
    }
  }

  /**
   * Checks every entry at once and waits, on real time, at most the health-check timeout for all of
   * them; hands each verdict (a check still running at the deadline is cancelled and failed) to the
   * callback, then schedules each entry's regular checks. Runs on the thread that builds the pool.
   */
  void runInitialRound(List<Entry<A>> entries) throws InterruptedException {
    Duration timeout = config.healthCheckTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    long start = ticker.read();
    List<InitialCheck> checks = new ArrayList<>(entries.size());
    List<@Nullable Throwable> rejected = new ArrayList<>(entries.size());
    for (Entry<A> e : entries) {
      InitialCheck initial = new InitialCheck(e.endpoint);
      FutureTask<Void> task = initial.task;
      checks.add(initial);
      Throwable failure = null;
      try {
        executor.execute(task);
      } catch (RuntimeException ex) {
        failure = ex;
      }
      rejected.add(failure);
    }
    for (int i = 0; i < entries.size(); i++) {
      InitialCheck initial = checks.get(i);
      FutureTask<Void> task = initial.task;
      Throwable failure = rejected.get(i);
      long took = 0;
      if (failure == null) {
        try {
          task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
          task.cancel(true);
          failure = timedOut(timeout);
        } catch (ExecutionException ex) {
          failure = ex.getCause();
        }
        took = failure instanceof CheckTimedOut ? timeout.toNanos() : Math.max(0, initial.endedAt - start);
      }
      verdicts.onVerdict(entries.get(i), failure, true, took);
    }
  }

  private long tookSince(long start) {
    return Math.max(0, ticker.read() - start);
  }

  private static @Nullable Throwable outcome(FutureTask<Void> task) {
    try {
      task.get();
      return null;
    } catch (ExecutionException ex) {
      return ex.getCause();
    } catch (InterruptedException | RuntimeException ex) {
      return ex;
    }
  }

  private static CheckTimedOut timedOut(Duration timeout) {
    return new CheckTimedOut("health check timed out after " + timeout);
  }

  /**
   * Describes a failure by type, and by message only where the message is known to be safe: our own
   * timeout and {@link HealthCheckFailedException} (other messages may hold connection details).
   */
  static String describe(Throwable t) {
    if (t instanceof CheckTimedOut || t instanceof HealthCheckFailedException) {
      return t.getMessage();
    }
    return t.getClass().getName();
  }

  /** Stops scheduling checks and interrupts the checks the owned executor runs. */
  void close() {
    closed = true;
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  /** The pool's own health-check timeout, whose message is safe to show. */
  static final class CheckTimedOut extends TimeoutException {
    private static final long serialVersionUID = 1L;

    CheckTimedOut(String message) {
      super(message);
    }
  }
}
