package io.rota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Resilience4jTest {

  @Test
  void aMissingMethodBecomesAnErrorNamingTheVersionNeededAndFound() {
    assertThatThrownBy(() -> Resilience4j.call(() -> {
      throw new NoSuchMethodError("'Builder CircuitBreakerConfig$Builder.slidingWindow(int, int, SlidingWindowType)'");
    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Rota needs Resilience4j 2.2.0 or later, found ")
        .hasMessageContaining(Resilience4j.foundVersion())
        .hasMessageContaining("slidingWindow(int, int, SlidingWindowType)")
        .hasCauseInstanceOf(NoSuchMethodError.class);
  }

  @Test
  void theFoundVersionIsTheOneOnTheClassPath() {
    // CI runs the core tests against the oldest supported version too (see .ci/run).
    assertThat(Resilience4j.foundVersion()).contains(System.getProperty("rota.resilience4j.version", "2."));
  }

  @Test
  void otherErrorsPassThrough() {
    assertThatThrownBy(() -> Resilience4j.call(() -> {
      throw new IllegalArgumentException("bad");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
  }
}
