package io.rota.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The HTTP client example runs against its real backends and reports what the README promises. */
class HttpClientExampleIT {

  @Test
  void everyGetSucceedsWhileOneBackendFailsAndItIsTakenOutThenBack() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    HttpClientExample.Result result;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      result = HttpClientExample.run(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(result.requests()).isEqualTo(180);
    assertThat(result.failed()).as("failed GETs").isZero();
    // Smooth weighted round robin, all healthy: exactly 3:2:1.
    assertThat(result.spread()).containsExactly(
        java.util.Map.entry("a", 30L), java.util.Map.entry("b", 20L), java.util.Map.entry("c", 10L));
    // b's 503s were retried elsewhere, and took b out.
    assertThat(result.failingBackendFailures()).isBetween(1L, 20L);
    assertThat(result.retries()).isEqualTo(result.failingBackendFailures());
    assertThat(result.failingBackendState()).isIn(EndpointState.EJECTED, EndpointState.DOWN);
    assertThat(result.recoveredSpread().get("b")).as("b serves again").isPositive();
    assertThat(result.recoveredSpread().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(60);

    assertThat(printed)
        .contains("HTTP backend a ready on 127.0.0.1:")
        .contains("1. 60 GETs; weights a=3 b=2 c=1.")
        .contains("attempts per backend {a=30, b=20, c=10}, failed 0")
        .contains("b is HEALTHY again after")
        .contains("Requests 180, failed 0, retries " + result.retries());
  }
}
