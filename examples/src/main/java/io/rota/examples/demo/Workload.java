package io.rota.examples.demo;

import io.rota.examples.demo.Tally.Kind;
import io.rota.examples.demo.http.PricingService;
import io.rota.jdbc.RoutingDataSource;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Threads acting like an order service: place orders (write transactions), read one's own order
 * right after placing it (read-your-writes), list and look up orders (read-only, on replicas), and
 * call the pricing service (GET, retried elsewhere; POST, never resent). Each outcome goes to the
 * {@link Tally} with the node that served it, and each broken promise is recorded as a violation.
 */
final class Workload implements AutoCloseable {

  /** Customers the workload acts for; each has its own read-your-writes context. */
  private static final int CUSTOMERS = 200;
  private static final String[] SKUS = {"apple", "pear", "plum", "fig", "kiwi", "lime", "date", "yuzu"};

  private final OrderService orders;
  private final PricingService pricing;
  private final Tally tally;
  private final Supplier<String> phase;
  private final LongSupplier elapsedMillis;
  private final Predicate<String> isReplica;
  private final long pauseNanos;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong lastOrderId = new AtomicLong();
  private final AtomicLong requestIds = new AtomicLong();
  private volatile boolean stopped;

  /**
   * @param phase the phase now, for latency per phase
   * @param isReplica whether a node id names a replica now (reads are counted as on a replica or on
   *     the primary by it)
   * @param pauseMillis each thread's pause between requests
   */
  Workload(OrderService orders, PricingService pricing, Tally tally, Supplier<String> phase, LongSupplier elapsedMillis,
      Predicate<String> isReplica, long pauseMillis) {
    this.orders = orders;
    this.pricing = pricing;
    this.tally = tally;
    this.phase = phase;
    this.elapsedMillis = elapsedMillis;
    this.isReplica = isReplica;
    this.pauseNanos = pauseMillis * 1_000_000;
  }

  /** Starts {@code n} threads. */
  void start(int n) {
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(this::loop, "demo-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!stopped) {
      int r = random.nextInt(100);
      try {
        if (r < 20) {
          placeAndReadBack(random);
        } else if (r < 42) {
          list(random);
        } else if (r < 64) {
          lookUp(random);
        } else if (r < 94) {
          price(random);
        } else {
          quote();
        }
      } catch (RuntimeException | Error e) {
        // Not a database or HTTP failure (those are counted above): a bug, of the demo or of Rota.
        tally.violation(at() + "unexpected " + e + stackTop(e));
      }
      java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos / 2 + random.nextLong(pauseNanos + 1));
    }
  }

  /** Places an order, then reads it back in the customer's read-your-writes context: never stale. */
  private void placeAndReadBack(ThreadLocalRandom random) {
    int customer = random.nextInt(CUSTOMERS);
    String sku = SKUS[random.nextInt(SKUS.length)];
    String phaseNow = phase.get();
    long t0 = System.nanoTime();
    OrderService.Placed placed;
    try {
      placed = RoutingDataSource.inContext("customer-" + customer,
          () -> orders.place(customer, sku, 1 + random.nextInt(5), BigDecimal.valueOf(100 + random.nextInt(9900), 2)));
    } catch (SQLException e) {
      long nanos = System.nanoTime() - t0;
      tally.request(Kind.PLACE, phaseNow, nanos, false);
      // While no node is writable Rota refuses writes at once; the summary shows that gap.
      tally.writeFailed(elapsedMillis.getAsLong(), nanos, OrderService.isRefusedByRota(e));
      if (OrderService.isReadOnlyRefusal(e)) {
        tally.writesOnReplicas.increment();
        tally.violation(at() + "a write reached a read-only node: " + oneLine(e));
      }
      return;
    }
    tally.request(Kind.PLACE, phaseNow, System.nanoTime() - t0, true);
    if (placed.onReadOnlyNode()) {
      // What the server said as it ran the write: a read-only node (a replica) committed it.
      tally.writesOnReplicas.increment();
      tally.violation(at() + "order " + placed.id() + " was written on " + placed.writtenOn() + " while it was read-only");
    } else {
      tally.writesOnPrimary.increment();
      tally.committed(placed.writtenOn(), elapsedMillis.getAsLong(), placed.id());
    }
    lastOrderId.accumulateAndGet(placed.id(), Math::max);

    long t1 = System.nanoTime();
    try {
      OrderService.Order own = RoutingDataSource.inContext("customer-" + customer, () -> orders.queries().find(placed.id()));
      tally.request(Kind.OWN, phaseNow, System.nanoTime() - t1, true);
      tally.read(own.servedBy(), isReplica.test(own.servedBy()));
      if (own.id() != placed.id()) {
        tally.staleOwnReads.increment();
        tally.violation(at() + "customer " + customer + " did not see order " + placed.id() + " on "
            + own.servedBy() + " right after placing it");
      }
    } catch (SQLException e) {
      tally.request(Kind.OWN, phaseNow, System.nanoTime() - t1, false);
      if (!tally.readFailedOnStoppedPrimary(elapsedMillis.getAsLong(), e)) {
        tally.violation(at() + "own order read failed: " + oneLine(e));
      }
    }
  }

  private void list(ThreadLocalRandom random) {
    String phaseNow = phase.get();
    long t0 = System.nanoTime();
    try {
      OrderService.CustomerOrders o = orders.queries().ordersOf(random.nextInt(CUSTOMERS));
      tally.request(Kind.LIST, phaseNow, System.nanoTime() - t0, true);
      tally.read(o.servedBy(), isReplica.test(o.servedBy()));
    } catch (SQLException e) {
      tally.request(Kind.LIST, phaseNow, System.nanoTime() - t0, false);
      if (!tally.readFailedOnStoppedPrimary(elapsedMillis.getAsLong(), e)) {
        tally.violation(at() + "list orders (@ReadOnly) failed while a replica was up: " + oneLine(e));
      }
    }
  }

  private void lookUp(ThreadLocalRandom random) {
    long last = lastOrderId.get();
    if (last == 0) {
      return;
    }
    String phaseNow = phase.get();
    long t0 = System.nanoTime();
    try {
      OrderService.Order o = orders.lookUp(1 + random.nextLong(last), tally);
      tally.request(Kind.LOOKUP, phaseNow, System.nanoTime() - t0, true);
      tally.read(o.servedBy(), isReplica.test(o.servedBy()));
    } catch (SQLException e) {
      tally.request(Kind.LOOKUP, phaseNow, System.nanoTime() - t0, false);
      if (!tally.readFailedOnStoppedPrimary(elapsedMillis.getAsLong(), e)) {
        tally.violation(at() + "look up order (setReadOnly transaction) failed while a replica was up: " + oneLine(e));
      }
    }
  }

  private void price(ThreadLocalRandom random) {
    String phaseNow = phase.get();
    long t0 = System.nanoTime();
    try {
      pricing.price(SKUS[random.nextInt(SKUS.length)]);
      tally.request(Kind.PRICE, phaseNow, System.nanoTime() - t0, true);
    } catch (java.io.IOException e) {
      tally.request(Kind.PRICE, phaseNow, System.nanoTime() - t0, false);
      tally.violation(at() + "price GET failed while the backup backend was up: " + oneLine(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private void quote() {
    String phaseNow = phase.get();
    long t0 = System.nanoTime();
    try {
      pricing.quote("q-" + requestIds.incrementAndGet());
      tally.request(Kind.QUOTE, phaseNow, System.nanoTime() - t0, true);
    } catch (java.io.IOException e) {
      // A POST that may have reached a server is not resent: failing is the promise kept.
      tally.request(Kind.QUOTE, phaseNow, System.nanoTime() - t0, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private String at() {
    return String.format(Locale.ROOT, "%.1f s: ", elapsedMillis.getAsLong() / 1000.0);
  }

  private static String stackTop(Throwable e) {
    StringBuilder sb = new StringBuilder();
    StackTraceElement[] trace = e.getStackTrace();
    for (int i = 0; i < Math.min(6, trace.length); i++) {
      sb.append(" at ").append(trace[i]);
    }
    return sb.toString();
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.replace('\n', ' ');
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  /**
   * Stops the threads and waits for their last requests, at most {@code 5 s} in all; returns a
   * description of each thread still running then (its stack), or an empty list.
   */
  List<String> stop() {
    stopped = true;
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    List<String> stuck = new ArrayList<>();
    for (Thread t : threads) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (t.isAlive()) {
        StringBuilder sb = new StringBuilder(t.getName() + " did not stop:");
        for (StackTraceElement e : t.getStackTrace()) {
          sb.append("\n    at ").append(e);
        }
        stuck.add(sb.toString());
      }
    }
    return stuck;
  }

  @Override
  public void close() {
    stop();
  }
}
