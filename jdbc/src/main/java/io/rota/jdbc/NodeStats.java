package io.rota.jdbc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/** One node's counters and what its last check found. Thread-safe. */
final class NodeStats {

  final LongAdder reads = new LongAdder();
  final LongAdder writes = new LongAdder();
  final LongAdder failures = new LongAdder();
  volatile RoutingSnapshot.Role role = RoutingSnapshot.Role.UNKNOWN;
  volatile @Nullable Duration lag;
  volatile @Nullable String position;
  /** Why the node is not usable now (the last failed check, ejection or lag), or {@code null}. */
  volatile @Nullable String reason;
  /** Whether the node's checks have taken it out (kept from the pool's events, for the hot path). */
  volatile boolean down;
  /** Whether a check has finished (passed or failed). */
  volatile boolean checked;
  /** Set while a check of the node runs: a second one fails at once instead of piling up. */
  final AtomicBoolean probing = new AtomicBoolean();
  /** What the running check is doing ({@code HealthChecks.TAKING_CONNECTION}, ...), or {@code null}. */
  volatile @Nullable String probePhase;
  /** When the running check started, in {@link System#nanoTime()}. */
  volatile long probeStartedAt;
}
