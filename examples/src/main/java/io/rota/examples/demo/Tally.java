package io.rota.examples.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the workload did, counted from what the servers said (the port of the node that ran each
 * statement), not from what Rota reported: requests and failures by kind, where reads and writes
 * ran, stale own reads, latency per phase, and every broken promise. Thread-safe.
 */
final class Tally {

  /** The kinds of request the order service makes. */
  enum Kind {
    PLACE("place order"),
    OWN("own order"),
    LIST("list orders"),
    LOOKUP("look up order"),
    PRICE("price GET"),
    QUOTE("quote POST");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** At most this many violations are kept word for word; the rest are counted. */
  private static final int MAX_VIOLATION_LINES = 20;

  private final LongAdder[] requests = adders();
  private final LongAdder[] failed = adders();
  final LongAdder readsOnReplicas = new LongAdder();
  final LongAdder readsOnPrimary = new LongAdder();
  final LongAdder writesOnPrimary = new LongAdder();
  final LongAdder writesOnReplicas = new LongAdder();
  final LongAdder staleOwnReads = new LongAdder();
  /** Read-only transactions the application ran again after a connection failure (Rota never re-runs those). */
  final LongAdder appRetries = new LongAdder();
  private final Map<String, LongAdder> readsByNode = new ConcurrentHashMap<>();
  private final java.util.Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> firstCommit = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastCommit = new ConcurrentHashMap<>();
  final LongAdder writesRefused = new LongAdder();
  final LongAdder writesFailedInFailover = new LongAdder();
  private final AtomicLong firstRefusal = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastRefusal = new AtomicLong(-1);
  private final AtomicLong slowestRefusalNanos = new AtomicLong();
  final LongAdder readsFailedOnStoppedPrimary = new LongAdder();
  private volatile long failoverFromMillis = Long.MAX_VALUE;
  private volatile String stoppedPrimary = "";
  private final List<String> violations = new ArrayList<>(); // guarded by this
  private final AtomicLong violationCount = new AtomicLong();
  private final Map<String, Samples[]> latency = new ConcurrentHashMap<>();
  private final List<String> phaseOrder = new ArrayList<>(); // guarded by latency

  private static LongAdder[] adders() {
    LongAdder[] a = new LongAdder[Kind.values().length];
    Arrays.setAll(a, i -> new LongAdder());
    return a;
  }

  /** Records one request of {@code kind} that took {@code nanos} during {@code phase}. */
  void request(Kind kind, String phase, long nanos, boolean ok) {
    requests[kind.ordinal()].increment();
    if (!ok) {
      failed[kind.ordinal()].increment();
    }
    Samples[] byKind = latency.get(phase);
    if (byKind == null) {
      synchronized (latency) {
        byKind = latency.computeIfAbsent(phase, p -> {
          phaseOrder.add(p);
          Samples[] s = new Samples[Kind.values().length];
          Arrays.setAll(s, i -> new Samples());
          return s;
        });
      }
    }
    byKind[kind.ordinal()].add(nanos);
  }

  /** A read ran on {@code node}; {@code replica} says whether that node is a replica. */
  void read(String node, boolean replica) {
    (replica ? readsOnReplicas : readsOnPrimary).increment();
    readsByNode.computeIfAbsent(node, n -> new LongAdder()).increment();
  }

  /** An order committed on {@code node} at {@code atMillis} and its commit was acknowledged. */
  void committed(String node, long atMillis, long id) {
    acknowledged.add(id);
    firstCommit.computeIfAbsent(node, n -> new AtomicLong(Long.MAX_VALUE)).accumulateAndGet(atMillis, Math::min);
    lastCommit.computeIfAbsent(node, n -> new AtomicLong(-1)).accumulateAndGet(atMillis, Math::max);
  }

  /**
   * A write failed at {@code atMillis} after {@code nanos}; {@code refusedByRota} says whether Rota
   * refused it at once (no writable node).
   */
  void writeFailed(long atMillis, long nanos, boolean refusedByRota) {
    if (refusedByRota) {
      writesRefused.increment();
      firstRefusal.accumulateAndGet(atMillis, Math::min);
      lastRefusal.accumulateAndGet(atMillis, Math::max);
      slowestRefusalNanos.accumulateAndGet(nanos, Math::max);
    } else if (atMillis >= failoverFromMillis) {
      writesFailedInFailover.increment();
    }
  }

  /**
   * The primary {@code node} was stopped at {@code atMillis}: write failures from then on, and reads
   * that fail on it, belong to the failover.
   */
  void failoverFrom(long atMillis, String node) {
    stoppedPrimary = node;
    failoverFromMillis = atMillis;
  }

  /**
   * Whether a read that failed at {@code atMillis} with {@code e} ran on the primary as it was
   * stopped (a read kept on the primary by read-your-writes, in flight then): the database's error,
   * as for a write in flight, and counted as such. Any other failed read is a broken promise.
   */
  boolean readFailedOnStoppedPrimary(long atMillis, java.sql.SQLException e) {
    if (atMillis < failoverFromMillis) {
      return false;
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.contains("'" + stoppedPrimary + "'") || "57P01".equals(e.getSQLState())) {
      readsFailedOnStoppedPrimary.increment();
      return true;
    }
    return false;
  }

  /** The ids of every order whose commit was acknowledged. */
  java.util.Set<Long> acknowledged() {
    return java.util.Set.copyOf(acknowledged);
  }

  /** The first commit on {@code node}, in milliseconds since the start, or -1. */
  long firstCommitMillis(String node) {
    AtomicLong a = firstCommit.get(node);
    return a == null ? -1 : a.get();
  }

  /** The last commit on {@code node}, in milliseconds since the start, or -1. */
  long lastCommitMillis(String node) {
    AtomicLong a = lastCommit.get(node);
    return a == null ? -1 : a.get();
  }

  /** The first write Rota refused at once, or -1. */
  long firstRefusalMillis() {
    long v = firstRefusal.get();
    return v == Long.MAX_VALUE ? -1 : v;
  }

  /** The last write Rota refused at once, or -1. */
  long lastRefusalMillis() {
    return lastRefusal.get();
  }

  /** The longest a refused write took to fail, in milliseconds. */
  long slowestRefusalMillis() {
    return slowestRefusalNanos.get() / 1_000_000;
  }

  /** A promise did not hold; {@code line} says which, when and why. */
  void violation(String line) {
    long n = violationCount.incrementAndGet();
    synchronized (this) {
      if (n <= MAX_VIOLATION_LINES) {
        violations.add(line);
      }
    }
  }

  long requests(Kind kind) {
    return requests[kind.ordinal()].sum();
  }

  long failed(Kind kind) {
    return failed[kind.ordinal()].sum();
  }

  long violationCount() {
    return violationCount.get();
  }

  /** The violations word for word, and a last line with how many more there were. */
  synchronized List<String> violations() {
    List<String> lines = new ArrayList<>(violations);
    long more = violationCount.get() - violations.size();
    if (more > 0) {
      lines.add("... and " + more + " more");
    }
    return lines;
  }

  /** Requests by kind, in {@link Kind} order. */
  List<io.rota.examples.demo.RunRecord.KindCount> kinds() {
    List<RunRecord.KindCount> kinds = new ArrayList<>();
    for (Kind k : Kind.values()) {
      kinds.add(new RunRecord.KindCount(k.label, requests(k), failed(k)));
    }
    return kinds;
  }

  /** Latency percentiles per phase (in the order phases first occurred) and kind. */
  List<RunRecord.Latency> latencies() {
    List<String> phases;
    synchronized (latency) {
      phases = List.copyOf(phaseOrder);
    }
    List<RunRecord.Latency> out = new ArrayList<>();
    for (String phase : phases) {
      Samples[] byKind = latency.get(phase);
      for (Kind k : Kind.values()) {
        long[] sorted = byKind[k.ordinal()].sorted();
        if (sorted.length > 0) {
          out.add(new RunRecord.Latency(phase, k.label, sorted.length, millis(sorted, 0.50), millis(sorted, 0.95),
              millis(sorted, 0.99), sorted[sorted.length - 1] / 1e6));
        }
      }
    }
    return out;
  }

  /** Reads by node as the nodes said, for the summary. */
  Map<String, Long> readsByNode() {
    Map<String, Long> out = new LinkedHashMap<>();
    readsByNode.forEach((n, a) -> out.put(n, a.sum()));
    return out;
  }

  private static double millis(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /**
   * Latencies of one kind in one phase, in nanoseconds: every one up to {@link #CAPACITY}, then an
   * evenly spaced sample of them (every 2nd, 4th, ... request), so that hours of traffic fit.
   */
  private static final class Samples {
    private static final int CAPACITY = 1 << 18;
    private long[] values = new long[256];
    private int size;
    private long seen;
    private int stride = 1;

    synchronized void add(long nanos) {
      if (seen++ % stride != 0) {
        return;
      }
      if (size == values.length) {
        if (size < CAPACITY) {
          values = Arrays.copyOf(values, size * 2);
        } else {
          for (int i = 0; i < size / 2; i++) {
            values[i] = values[2 * i];
          }
          size /= 2;
          stride *= 2;
        }
      }
      values[size++] = nanos;
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }
}
