package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-endpoint state machine on its own: a real breaker, fake time, a recording publish. */
class EndpointHealthTest {

  private static final IOException BOOM = new IOException("boom");
  private static final Duration EJECTION = Duration.ofSeconds(10);

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  /** What each publish saw: the computed state and the cause. */
  private final List<String> published = new ArrayList<>();
  /** Runs inside the next publish: a reporting caller racing the change being published. */
  private Runnable duringPublish = () -> {};
  private EndpointHealth health;

  private EndpointHealth health(EndpointPoolConfig config) {
    CircuitBreaker breaker = CircuitBreaker.of("t", DefaultEndpointPool.breakerConfig(config));
    EndpointHealth[] self = new EndpointHealth[1];
    self[0] = new EndpointHealth(config, new SlowStart(config.slowStart(), config.slowStartInitialWeightPercent()),
        breaker, scheduler, () -> self[0].halfOpenTimerFired(ticker.read()), () -> {
          EndpointState s = self[0].computeState(1, ticker.read());
          self[0].state = s;
          published.add(s + ": " + self[0].cause());
          Runnable r = duringPublish;
          duringPublish = () -> {};
          r.run();
        });
    health = self[0];
    return health;
  }

  private static EndpointPoolConfig.Builder config() {
    return EndpointPoolConfig.custom().consecutiveFailures(1).halfOpenTrialCalls(1).minimumNumberOfCalls(1)
        .slidingWindowSize(1).ejectionTime(EJECTION).ejectionBackoffMultiplier(2).maxEjectionTime(Duration.ofMinutes(1))
        .rise(2).fall(2);
  }

  private void fail() {
    if (health.onFailure(0, BOOM)) {
      health.reconcile(ticker.read());
    }
  }

  private EndpointState state() {
    return health.computeState(1, ticker.read());
  }

  @Test
  void aTrialFailingBetweenTheTimersStepAndItsTakeOverStillGetsATimer() {
    health(config().build());
    fail();
    assertThat(state()).isEqualTo(EndpointState.EJECTED);
    // The racing reporter: its trial fails while the timer's OPEN -> HALF_OPEN is being published,
    // before the timer looks at the breaker again. It must not get the lock (it is held), so it only
    // feeds the breaker here; its reconcile would find nothing left to do.
    duringPublish = () -> health.onFailure(0, BOOM);

    scheduler.advance(EJECTION);

    assertThat(published).extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactly("EJECTED", "HALF_OPEN", "EJECTED");
    assertThat(state()).isEqualTo(EndpointState.EJECTED);
    assertThat(health.halfOpenTimerPending()).as("the second ejection has its timer").isTrue();
    assertThat(health.ejections()).isEqualTo(2);

    scheduler.advance(EJECTION.multipliedBy(2));
    assertThat(state()).isEqualTo(EndpointState.HALF_OPEN);
  }

  @Test
  void everyEjectionHasATimerWhateverOpenedTheBreaker() {
    health(config().consecutiveFailures(100).failureRateThreshold(100).build());
    fail(); // the failure rate opens it, inside onError, not the pool
    assertThat(state()).isEqualTo(EndpointState.EJECTED);
    assertThat(health.halfOpenTimerPending()).isTrue();
    assertThat(published).singleElement().asString().contains("failure rate 100%");
  }

  @Test
  void risePassedChecksSinceTheEjectionEndIt() {
    health(config().slowStart(Duration.ofSeconds(30)).build());
    health.checkPassed(ticker.read()); // before the ejection: does not count
    fail();
    health.checkPassed(ticker.read());
    health.checkFailed("timed out", false); // a failure restarts the count
    health.checkPassed(ticker.read());
    assertThat(state()).isEqualTo(EndpointState.EJECTED);

    health.checkPassed(ticker.read());

    assertThat(state()).isEqualTo(EndpointState.RAMPING);
    assertThat(health.halfOpenTimerPending()).isFalse();
    assertThat(health.ejections()).isZero();
    assertThat(published.get(published.size() - 1)).contains("passed 2 health checks in a row; ejection ended");
    scheduler.advance(EJECTION);
    assertThat(state()).as("the cancelled timer does nothing").isEqualTo(EndpointState.RAMPING);
  }

  @Test
  void aStaleHalfOpenTimerDoesNothing() {
    health(config().build());
    fail();
    health.checkPassed(ticker.read());
    health.checkPassed(ticker.read());
    assertThat(state()).isEqualTo(EndpointState.HEALTHY);

    health.halfOpenTimerFired(ticker.read());

    assertThat(state()).isEqualTo(EndpointState.HEALTHY);
  }

  @Test
  void theFirstRuleThatAppliesWins() {
    health(config().build());
    assertThat(health.computeState(0, ticker.read())).isEqualTo(EndpointState.DRAINED);
    fail();
    assertThat(health.computeState(0, ticker.read())).as("ejected, though drained").isEqualTo(EndpointState.EJECTED);
    health.checkFailed("refused", false);
    health.checkFailed("refused", false);
    assertThat(health.computeState(1, ticker.read())).as("down, though ejected").isEqualTo(EndpointState.DOWN);
  }

  @Test
  void aFailedFirstCheckTakesTheEndpointDownAtOnce() {
    health(config().fall(3).build());
    health.checkFailed("refused", true);
    assertThat(state()).isEqualTo(EndpointState.DOWN);
    assertThat(health.cause()).contains("failed its first health check: refused");
    assertThat(health.checked()).isTrue();
  }
}
