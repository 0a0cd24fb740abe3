package io.rota.core;

import io.rota.core.event.PoolEvent;
import io.rota.core.event.PoolEventListener;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a pool's events to its listeners, and writes the pool's state-change logs, off the
 * caller's thread and never under the pool's lock.
 *
 * <h2>Ordering and isolation</h2>
 * Changes {@link #enqueue} their events under the pool's lock, so the queue holds them in the order
 * the changes were made. After the lock is released, {@link #dispatch} moves them (one mover at a
 * time, in that order) into one queue per listener and hands each listener with work to the executor
 * as one task that drains its own queue. A listener therefore sees every event in order and is never
 * called concurrently with itself, while a slow listener delays only its own queue: the owned
 * executor starts a thread per busy listener, and picks and reports only ever enqueue. An exception a
 * listener throws is logged at WARN at most once per listener per {@link #WARN_INTERVAL_NANOS}, with
 * the number of exceptions not logged since.
 *
 * <p>The state-change logs come from an internal listener of the same kind, so they appear in the
 * order of the changes too. Thread-safe.
 */
final class EventDispatcher {

  private static final Logger logger = LoggerFactory.getLogger(EndpointPool.class);
  /** The least time between two WARN logs of one listener's exceptions: one minute. */
  static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String pool;
  private final Ticker ticker;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  /** Events of published changes, in lock order, waiting to be moved to the listeners' queues. */
  private final ConcurrentLinkedQueue<PoolEvent> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean moving = new AtomicBoolean();

  EventDispatcher(String pool, Ticker ticker, Executor executor, @Nullable ExecutorService ownedExecutor,
      List<PoolEventListener> listeners) {
    this.pool = pool;
    this.ticker = ticker;
    this.executor = executor;
    this.ownedExecutor = ownedExecutor;
    subscribers.add(new Subscriber(new StateLog(pool)));
    for (PoolEventListener l : listeners) {
      subscribers.add(new Subscriber(l));
    }
  }

  void addListener(PoolEventListener listener) {
    subscribers.add(new Subscriber(listener));
  }

  boolean removeListener(PoolEventListener listener) {
    for (Subscriber s : subscribers) {
      if (s.listener == listener || s.listener.equals(listener)) {
        s.removed = true;
        return subscribers.remove(s);
      }
    }
    return false;
  }

  /** Queues the events of one change. Under the pool's lock: cheap, no listener code, no logging. */
  void enqueue(List<PoolEvent> events) {
    pending.addAll(events);
  }

  /** Moves queued events to the listeners' queues and starts delivery. Never under the pool's lock. */
  void dispatch() {
    while (!pending.isEmpty() && moving.compareAndSet(false, true)) {
      try {
        PoolEvent event;
        while ((event = pending.poll()) != null) {
          for (Subscriber s : subscribers) {
            s.queue.add(event);
          }
        }
      } finally {
        moving.set(false);
      }
      for (Subscriber s : subscribers) {
        s.schedule();
      }
    }
  }

  /** Delivers what is queued, then shuts the owned executor down (its queued tasks still run). */
  void close() {
    dispatch();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  /** Returns how many exceptions of {@code listener} were logged (for tests). */
  int warningsLogged(PoolEventListener listener) {
    for (Subscriber s : subscribers) {
      if (s.listener == listener) {
        return s.warnings;
      }
    }
    return 0;
  }

  /** One listener, its queue, and the single task that drains it. */
  private final class Subscriber implements Runnable {
    final PoolEventListener listener;
    final ConcurrentLinkedQueue<PoolEvent> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean scheduled = new AtomicBoolean();
    volatile boolean removed;
    // Read and written by the draining task only (one at a time, ordered by `scheduled`).
    long lastWarnNanos;
    int warnings;
    int unlogged;

    Subscriber(PoolEventListener listener) {
      this.listener = listener;
    }

    void schedule() {
      if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
        return;
      }
      try {
        executor.execute(this);
      } catch (RejectedExecutionException closed) {
        queue.clear(); // the pool is closed: nothing more is delivered
        scheduled.set(false);
      }
    }

    @Override
    public void run() {
      do {
        PoolEvent event;
        while ((event = queue.poll()) != null) {
          if (!removed) {
            deliver(event);
          }
        }
        scheduled.set(false);
      } while (!queue.isEmpty() && scheduled.compareAndSet(false, true));
    }

    private void deliver(PoolEvent event) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException ex) {
        long now = ticker.read();
        if (warnings == 0 || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
          warnings++;
          lastWarnNanos = now;
          String more = unlogged == 0 ? "" : " (" + unlogged + " more since the last one not logged)";
          unlogged = 0;
          logger.warn("{} - Exception thrown by event listener {} for {}{}", pool, listener, event, more, ex);
        } else {
          unlogged++;
        }
      }
    }
  }

  /** Logs state and serving-tier changes: WARN when something goes out, INFO when it comes back. */
  private static final class StateLog implements PoolEventListener {
    private final String pool;
    private boolean tierSeen;

    StateLog(String pool) {
      this.pool = pool;
    }

    @Override
    public void onEvent(PoolEvent event) {
      if (event instanceof PoolEvent.StateChanged c) {
        EndpointState to = c.to();
        String cause = c.cause().isEmpty() ? "" : ": " + c.cause();
        if (to == EndpointState.EJECTED || to == EndpointState.DOWN) {
          logger.warn("{} - Endpoint {} is {} (was {}){}", pool, c.endpointId(), to, c.from(), cause);
        } else if (c.from() != EndpointState.RAMPING || to == EndpointState.DRAINED) {
          logger.info("{} - Endpoint {} is {} (was {}){}", pool, c.endpointId(), to, c.from(), cause);
        }
      } else if (event instanceof PoolEvent.ServingTierChanged t) {
        boolean first = !tierSeen;
        tierSeen = true;
        if (t.tier() == null) {
          logger.warn("{} - No endpoint available", pool);
        } else if (t.panic()) {
          logger.warn("{} - Panic: too few {} endpoints available, picking among all of them", pool, t.tier().label());
        } else if (t.tier() == Tier.BACKUP) {
          logger.warn("{} - No primary-tier endpoint available, serving from backup-tier endpoints", pool);
        } else if (!first) {
          logger.info("{} - Serving from primary-tier endpoints", pool);
        }
      }
    }
  }
}
