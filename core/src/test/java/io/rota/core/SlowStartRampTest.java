package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowStartRampTest {

  private static final long WINDOW = Duration.ofSeconds(20).toNanos();
  private final SlowStart ramp = new SlowStart(Duration.ofNanos(WINDOW), 10);

  @Test
  void theRampStartsAtTheFloorAndGrowsInEqualSteps() {
    assertThat(ramp.weight(100, 0)).isCloseTo(10, within(1e-9));
    assertThat(ramp.weight(100, WINDOW / SlowStart.STEPS - 1)).as("still the first step").isCloseTo(10, within(1e-9));
    assertThat(ramp.weight(100, WINDOW / SlowStart.STEPS)).isCloseTo(14.5, within(1e-9));
    assertThat(ramp.weight(100, WINDOW / 2)).isCloseTo(55, within(1e-9));
    assertThat(ramp.weight(100, WINDOW - 1)).isLessThan(100);
    assertThat(ramp.weight(100, WINDOW)).isEqualTo(100);
    assertThat(ramp.stepNanos()).isEqualTo(WINDOW / SlowStart.STEPS);
  }

  @Test
  void theRampIsOverAtTheEndOfTheWindow() {
    assertThat(ramp.isOver(WINDOW - 1)).isFalse();
    assertThat(ramp.isOver(WINDOW)).isTrue();
    assertThat(ramp.floorWeight(50)).isCloseTo(5, within(1e-9));
  }

  @Test
  void aZeroWindowMeansNoSlowStart() {
    SlowStart off = new SlowStart(Duration.ZERO, 10);
    assertThat(off.isOn()).isFalse();
    assertThat(off.weight(7, 0)).isEqualTo(7);
    assertThat(off.stepNanos()).isEqualTo(1);
  }
}
