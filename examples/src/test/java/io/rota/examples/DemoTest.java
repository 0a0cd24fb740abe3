package io.rota.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rota.core.EndpointState;
import io.rota.core.Tier;
import io.rota.examples.Demo.Result;
import io.rota.examples.Demo.Tally;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo once and checks that it shows what it says. The demo waits for recovery in real time,
 * but with a bounded loop on the pool's state (see {@link Demo#sendUntilHealthy}), not a fixed sleep.
 */
class DemoTest {

  private static final List<String> PRIMARIES = List.of("alpha", "bravo", "charlie");
  /** {@code consecutiveFailures} in the demo's config, which is also its number of half-open trial calls. */
  private static final int FAILURES_TO_EJECT = 3;

  private static Result result;
  private static String output;

  @BeforeAll
  static void runDemo() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      result = Demo.run(out);
    }
    output = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(output);
  }

  @Test
  void trafficFollowsTheWeights() {
    Tally t = result.weighted();
    assertThat(t.total()).isEqualTo(6_000);
    assertThat(share(t, "alpha")).isCloseTo(3 / 6.0, within(0.02));
    assertThat(share(t, "bravo")).isCloseTo(2 / 6.0, within(0.02));
    assertThat(share(t, "charlie")).isCloseTo(1 / 6.0, within(0.02));
    assertThat(t.failures("alpha") + t.failures("bravo") + t.failures("charlie")).isZero();
  }

  @Test
  void backupGetsNothingWhileAPrimaryIsUp() {
    assertThat(result.weighted().requests("spare")).isZero();
    assertThat(result.oneDown().requests("spare")).isZero();
    assertThat(result.recovered().requests("spare")).isZero();
  }

  @Test
  void failingPrimaryIsEjectedAndTheOthersShareItsTraffic() {
    Tally t = result.oneDown();
    assertThat(t.requests("bravo")).isEqualTo(FAILURES_TO_EJECT);
    assertThat(t.failures("bravo")).isEqualTo(FAILURES_TO_EJECT);
    double alpha = t.requests("alpha");
    double charlie = t.requests("charlie");
    assertThat(alpha / (alpha + charlie)).isCloseTo(3 / 4.0, within(0.02));
    assertThat(output).contains("bravo HEALTHY -> EJECTED (3 consecutive failures");
  }

  @Test
  void backupTakesAllTrafficWhenNoPrimaryIsUp() {
    Tally t = result.allDown();
    // Each primary gets only the calls that fail and eject it (or, for a primary whose ejection time
    // ends, its failing trial calls); nothing to a primary succeeds; the backup takes everything else.
    int toPrimaries = 0;
    for (String id : PRIMARIES) {
      assertThat(t.requests(id)).as(id).isLessThanOrEqualTo(FAILURES_TO_EJECT);
      assertThat(t.failures(id)).as(id).isEqualTo(t.requests(id));
      toPrimaries += t.requests(id);
    }
    assertThat(t.requests("spare")).isEqualTo(t.total() - toPrimaries);
    assertThat(t.failures("spare")).isZero();
    assertThat(output).contains("serving tier is now BACKUP");
  }

  @Test
  void trafficReturnsToThePrimariesAfterRecovery() {
    Tally t = result.recovered();
    assertThat(t.requests("spare")).isZero();
    // alpha is the only primary that is up; bravo and charlie at most fail a round of trial calls.
    assertThat(t.failures("alpha")).isZero();
    assertThat(t.requests("alpha")).isGreaterThanOrEqualTo(t.total() - 2 * FAILURES_TO_EJECT);
    assertThat(output).contains("alpha EJECTED -> HALF_OPEN", "alpha HALF_OPEN -> HEALTHY");

    assertThat(result.end().servingTier()).isEqualTo(Tier.PRIMARY);
    assertThat(result.end().endpoint("alpha").state()).isEqualTo(EndpointState.HEALTHY);
  }

  private static double share(Tally t, String id) {
    return (double) t.requests(id) / t.total();
  }
}
