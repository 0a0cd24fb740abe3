package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link NodeStats#reasonOut}: why a replica the pool shows out is out, before and after its event. */
class NodeStatsTest {

  private static final long START = 1_000_000_000L;
  private final NodeStats stats = new NodeStats();

  @Test
  void theStateChangesReasonComesFirst() {
    stats.reason = "health check timed out after PT0.75S while querying";
    stats.lastCheckFailure = "unreachable: refused";
    assertThat(stats.reasonOut(EndpointState.DOWN, START)).isEqualTo("health check timed out after PT0.75S while querying");
  }

  @Test
  void beforeTheEventTheLastFailedCheckSaysWhy() {
    stats.lastCheckFailure = "unreachable: connection refused";
    assertThat(stats.reasonOut(EndpointState.DOWN, START)).isEqualTo("failed its health check: unreachable: connection refused");
  }

  @Test
  void beforeTheEventACheckRunningPastItsTimeoutSaysItTimedOutAndWhere() {
    running(Duration.ofMillis(750), HealthChecks.QUERYING);
    assertThat(stats.reasonOut(EndpointState.DOWN, START + Duration.ofMillis(800).toNanos()))
        .isEqualTo("health check timed out after PT0.75S while " + HealthChecks.QUERYING + " (no answer for 800 ms)");
  }

  @Test
  void aCheckStillWithinItsTimeoutIsNotCalledTimedOut() {
    running(Duration.ofMillis(750), HealthChecks.QUERYING);
    assertThat(stats.reasonOut(EndpointState.DOWN, START + Duration.ofMillis(700).toNanos()))
        .isEqualTo("taken out by its health check");
  }

  @Test
  void anEjectedReplicaWithoutAReasonNamesItsBreaker() {
    running(Duration.ofMillis(750), null);
    assertThat(stats.reasonOut(EndpointState.EJECTED, START + Duration.ofSeconds(5).toNanos()))
        .isEqualTo("ejected by its circuit breaker");
  }

  private void running(Duration timeout, String phase) {
    stats.probing.set(true);
    stats.probeTimeoutNanos = timeout.toNanos();
    stats.probeStartedAt = START;
    stats.probePhase = phase;
  }
}
