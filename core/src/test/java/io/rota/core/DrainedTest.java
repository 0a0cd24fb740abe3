package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.event.PoolEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Weight 0 is reported as {@link EndpointState#DRAINED}, not HEALTHY. */
class DrainedTest extends PoolTestSupport {

  private EndpointPool<String> pool() {
    EndpointPool<String> pool = build(this.<String>builder("test")
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).ejectionTime(Duration.ofSeconds(10)).build())
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1))
        .endpoint(Endpoint.of("z", "addr-z", 0)));
    pool.addListener(events::add);
    return pool;
  }

  @Test
  void anEndpointStartedWithWeightZeroIsDrained() {
    EndpointPool<String> pool = pool();
    assertThat(state(pool, "z")).isEqualTo(EndpointState.DRAINED);
    assertThat(pool.snapshot().endpoint("z").effectiveWeight()).isZero();
    assertThat(counts(pool, 100)).doesNotContainKey("z");
  }

  @Test
  void drainingAndRestoringAWeightAreStateChanges() {
    EndpointPool<String> pool = pool();

    pool.setWeight("b", 0);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.DRAINED);
    assertThat(EndpointState.DRAINED.isAvailable()).isFalse();
    assertThat(counts(pool, 100)).containsOnlyKeys("a");

    pool.setWeight("b", 2);
    assertThat(state(pool, "b")).isEqualTo(EndpointState.HEALTHY);
    assertThat(stateChanges()).extracting(e -> e.endpointId() + " " + e.from() + "->" + e.to())
        .containsExactly("b HEALTHY->DRAINED", "b DRAINED->HEALTHY");
    assertThat(events).filteredOn(PoolEvent.WeightChanged.class::isInstance).hasSize(2);
  }

  @Test
  void anEjectedEndpointStaysEjectedWhileDrainedAndComesBackDrained() {
    EndpointPool<String> pool = pool();
    eject(pool, "b");

    pool.setWeight("b", 0);
    assertThat(state(pool, "b")).as("the health problem is the news").isEqualTo(EndpointState.EJECTED);

    scheduler.advance(Duration.ofSeconds(10)); // half-open, but weight 0 takes no trials
    assertThat(state(pool, "b")).isEqualTo(EndpointState.DRAINED);
  }
}
