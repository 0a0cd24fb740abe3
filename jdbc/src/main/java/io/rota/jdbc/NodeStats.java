package io.rota.jdbc;

import io.rota.core.EndpointState;
import io.rota.jdbc.spi.NodeRole;
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
  /** What the last check found wrong, or {@code null} if it passed; shown until the state change's reason arrives. */
  volatile @Nullable String lastCheckFailure;
  /** Whether the node's checks have taken it out (kept from the pool's events, for the hot path). */
  volatile boolean down;
  /** Whether a check has finished (passed or failed). */
  volatile boolean checked;
  /** Set while a check of the node runs: a second one fails at once instead of piling up. */
  final AtomicBoolean probing = new AtomicBoolean();
  /** What the running check is doing ({@code HealthChecks.TAKING_CONNECTION}, ...), or {@code null}. */
  volatile @Nullable String probePhase;
  /**
   * What the last role probe found (nodes without fixed roles only), or {@code null} while not probed
   * or unreachable at the last check.
   */
  volatile @Nullable NodeRole nodeRole;
  /** Set while an immediate probe of the node is queued, so that many failures queue one. */
  final AtomicBoolean probeQueued = new AtomicBoolean();
  /** When the running check started, in {@link System#nanoTime()}. */
  volatile long probeStartedAt;
  /** The running check's timeout, in nanoseconds. */
  volatile long probeTimeoutNanos;

  /**
   * Why a replica the pool shows out is out: the reason of its state change, or — in the moment
   * before that change's event is delivered — what its last check found, that its running check has
   * timed out (a hung node), or its breaker.
   */
  String reasonOut(EndpointState state) {
    return reasonOut(state, System.nanoTime());
  }

  String reasonOut(EndpointState state, long nowNanos) {
    String reason = this.reason;
    if (reason != null) {
      return reason;
    }
    String check = lastCheckFailure;
    if (check != null) {
      return "failed its health check: " + check;
    }
    if (state == EndpointState.EJECTED) {
      return "ejected by its circuit breaker";
    }
    long timeout = probeTimeoutNanos;
    long running = nowNanos - probeStartedAt;
    if (probing.get() && timeout > 0 && running >= timeout) {
      String phase = probePhase;
      return "health check timed out after " + Duration.ofNanos(timeout) + (phase == null ? "" : " while " + phase)
          + " (no answer for " + running / 1_000_000 + " ms)";
    }
    return "taken out by its health check";
  }
}
