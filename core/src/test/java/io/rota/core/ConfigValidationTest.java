package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigValidationTest extends PoolTestSupport {

  private static EndpointPoolConfig.Builder custom() {
    return EndpointPoolConfig.custom();
  }

  private EndpointPoolBuilder<String> builder() {
    return builder("test");
  }

  private EndpointPool<String> pool() {
    return build(builder()
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1)));
  }

  // --- EndpointPoolBuilder and EndpointPool

  @Test
  void builder_blankName() {
    assertThatThrownBy(() -> EndpointPool.<String>builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: ' ' (expected: a non-blank string)");
  }

  @Test
  void build_noEndpoints() {
    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoints: none (expected: at least one endpoint in pool 'test')");
  }

  @Test
  void build_duplicateIds() {
    EndpointPoolBuilder<String> b = builder()
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("dup", "addr-1", 1))
        .endpoint(Endpoint.of("dup", "addr-2", 2).withTier(Tier.BACKUP));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint id: 'dup' (expected: unique within pool 'test')");
  }

  @Test
  void add_duplicateId() {
    EndpointPool<String> pool = pool();

    assertThatThrownBy(() -> pool.add(Endpoint.of("a", "other", 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint id: 'a' (expected: unique within pool 'test')");
    assertThat(pool.endpoints()).containsExactly(Endpoint.of("a", "addr-a", 1), Endpoint.of("b", "addr-b", 1));
  }

  @Test
  void add_closedPool() {
    EndpointPool<String> pool = pool();
    pool.close();

    assertThatThrownBy(() -> pool.add(Endpoint.of("c", "addr-c", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pool 'test' is closed");
  }

  @Test
  void setWeight_unknownId() {
    EndpointPool<String> pool = pool();

    assertThatThrownBy(() -> pool.setWeight("zz", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id: 'zz' (expected: one of ")
        .hasMessageContaining("a")
        .hasMessageContaining("b");
  }

  @Test
  void setWeight_badWeight() {
    EndpointPool<String> pool = pool();

    assertThatThrownBy(() -> pool.setWeight("a", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: -1 (expected: 0..10000)");
    assertThatThrownBy(() -> pool.setWeight("a", 10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: 10001 (expected: 0..10000)");
    assertThat(pool.snapshot().endpoint("a").weight()).isEqualTo(1);
  }

  // --- EndpointPoolConfig setters

  @Test
  void consecutiveFailures_zero() {
    assertThatThrownBy(() -> custom().consecutiveFailures(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("consecutiveFailures: 0 (expected: >= 1)");
  }

  @Test
  void failureRateThreshold_zero() {
    assertThatThrownBy(() -> custom().failureRateThreshold(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureRateThreshold: 0 (expected: 1..100)");
  }

  @Test
  void failureRateThreshold_101() {
    assertThatThrownBy(() -> custom().failureRateThreshold(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureRateThreshold: 101 (expected: 1..100)");
  }

  @Test
  void slidingWindowSize_zero() {
    assertThatThrownBy(() -> custom().slidingWindowSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slidingWindowSize: 0 (expected: >= 1)");
  }

  @Test
  void minimumNumberOfCalls_zero() {
    assertThatThrownBy(() -> custom().minimumNumberOfCalls(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minimumNumberOfCalls: 0 (expected: >= 1)");
  }

  @Test
  void minimumNumberOfCalls_aboveSlidingWindowSize() {
    EndpointPoolConfig.Builder b = custom().slidingWindowSize(20).minimumNumberOfCalls(21);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("minimumNumberOfCalls: 21 (expected: <= slidingWindowSize, 20)");
  }

  @Test
  void halfOpenTrialCalls_aboveMinimumNumberOfCalls() {
    EndpointPoolConfig.Builder b = custom().minimumNumberOfCalls(2).halfOpenTrialCalls(3);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("halfOpenTrialCalls: 3 (expected: <= minimumNumberOfCalls, 2)");
  }

  @Test
  void closedPool_refusesChanges() {
    EndpointPool<String> pool = pool();
    pool.close();

    assertThatThrownBy(() -> pool.add(Endpoint.of("c", "addr-c")))
        .isInstanceOf(IllegalStateException.class).hasMessage("pool 'test' is closed");
    assertThatThrownBy(() -> pool.remove("a"))
        .isInstanceOf(IllegalStateException.class).hasMessage("pool 'test' is closed");
    assertThatThrownBy(() -> pool.setWeight("a", 3))
        .isInstanceOf(IllegalStateException.class).hasMessage("pool 'test' is closed");
    assertThat(pool.select()).as("a closed pool still answers with what it last knew").isNotNull();
  }

  @Test
  void minimumNumberOfCalls_equalToSlidingWindowSize() {
    EndpointPoolConfig c = custom().slidingWindowSize(20).minimumNumberOfCalls(20).build();

    assertThat(c.minimumNumberOfCalls()).isEqualTo(20);
  }

  @Test
  void ejectionTime_zero() {
    assertThatThrownBy(() -> custom().ejectionTime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ejectionTime: PT0S (expected: > 0)");
  }

  @Test
  void ejectionTime_negative() {
    assertThatThrownBy(() -> custom().ejectionTimeMillis(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ejectionTime: PT-0.001S (expected: > 0)");
  }

  @Test
  void ejectionTime_null() {
    assertThatThrownBy(() -> custom().ejectionTime(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ejectionTime");
  }

  @Test
  void maxEjectionTime_zero() {
    assertThatThrownBy(() -> custom().maxEjectionTime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEjectionTime: PT0S (expected: > 0)");
  }

  @Test
  void maxEjectionTime_belowEjectionTime() {
    EndpointPoolConfig.Builder b = custom().ejectionTime(Duration.ofSeconds(30)).maxEjectionTime(Duration.ofSeconds(10));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxEjectionTime: PT10S (expected: >= ejectionTime, PT30S)");
  }

  @Test
  void ejectionBackoffMultiplier_belowOne() {
    assertThatThrownBy(() -> custom().ejectionBackoffMultiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ejectionBackoffMultiplier: 0.5 (expected: 1.0..1000.0)");
  }

  @Test
  void ejectionBackoffMultiplier_nan() {
    assertThatThrownBy(() -> custom().ejectionBackoffMultiplier(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ejectionBackoffMultiplier: NaN (expected: 1.0..1000.0)");
  }

  @Test
  void ejectionBackoffMultiplier_infinite() {
    assertThatThrownBy(() -> custom().ejectionBackoffMultiplier(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ejectionBackoffMultiplier: Infinity (expected: 1.0..1000.0)");
  }

  @Test
  void halfOpenTrialCalls_zero() {
    assertThatThrownBy(() -> custom().halfOpenTrialCalls(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("halfOpenTrialCalls: 0 (expected: >= 1)");
  }

  @Test
  void healthCheckInterval_zero() {
    assertThatThrownBy(() -> custom().healthCheckInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckInterval: PT0S (expected: > 0)");
  }

  @Test
  void healthCheckInterval_negative() {
    assertThatThrownBy(() -> custom().healthCheckInterval(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckInterval: PT-5S (expected: > 0)");
  }

  @Test
  void healthCheckTimeout_zero() {
    assertThatThrownBy(() -> custom().healthCheckTimeoutMillis(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckTimeout: PT0S (expected: > 0)");
  }

  @Test
  void healthCheckJitterPercent_101() {
    assertThatThrownBy(() -> custom().healthCheckJitterPercent(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckJitterPercent: 101 (expected: 0..100)");
  }

  @Test
  void healthCheckJitterPercent_negative() {
    assertThatThrownBy(() -> custom().healthCheckJitterPercent(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckJitterPercent: -1 (expected: 0..100)");
  }

  @Test
  void rise_zero() {
    assertThatThrownBy(() -> custom().rise(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rise: 0 (expected: >= 1)");
  }

  @Test
  void fall_zero() {
    assertThatThrownBy(() -> custom().fall(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fall: 0 (expected: >= 1)");
  }

  @Test
  void slowStart_negative() {
    assertThatThrownBy(() -> custom().slowStartMillis(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowStart: PT-0.001S (expected: >= 0)");
  }

  @Test
  void slowStart_zero() {
    assertThat(custom().slowStart(Duration.ZERO).build().slowStart()).isZero();
  }

  @Test
  void slowStartInitialWeightPercent_zero() {
    assertThatThrownBy(() -> custom().slowStartInitialWeightPercent(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowStartInitialWeightPercent: 0 (expected: 1..100)");
  }

  @Test
  void slowStartInitialWeightPercent_101() {
    assertThatThrownBy(() -> custom().slowStartInitialWeightPercent(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowStartInitialWeightPercent: 101 (expected: 1..100)");
  }

  @Test
  void panicThresholdPercent_101() {
    assertThatThrownBy(() -> custom().panicThresholdPercent(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("panicThresholdPercent: 101 (expected: 0..100)");
  }

  @Test
  void panicThresholdPercent_negative() {
    assertThatThrownBy(() -> custom().panicThresholdPercent(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("panicThresholdPercent: -1 (expected: 0..100)");
  }

  // --- Defaults and copying

  @Test
  void ofDefaults_values() {
    EndpointPoolConfig c = EndpointPoolConfig.ofDefaults();

    assertThat(c.consecutiveFailures()).isEqualTo(5);
    assertThat(c.failureRateThreshold()).isEqualTo(50);
    assertThat(c.slidingWindowSize()).isEqualTo(20);
    assertThat(c.minimumNumberOfCalls()).isEqualTo(10);
    assertThat(c.ejectionTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxEjectionTime()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.ejectionBackoffMultiplier()).isEqualTo(2.0);
    assertThat(c.halfOpenTrialCalls()).isEqualTo(3);
    assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.healthCheckJitterPercent()).isEqualTo(10);
    assertThat(c.rise()).isEqualTo(2);
    assertThat(c.fall()).isEqualTo(3);
    assertThat(c.slowStart()).isZero();
    assertThat(c.slowStartInitialWeightPercent()).isEqualTo(10);
    assertThat(c.panicThresholdPercent()).isZero();
  }

  @Test
  void from_copiesEverySetting() {
    EndpointPoolConfig c = custom()
        .consecutiveFailures(7).failureRateThreshold(60).slidingWindowSize(30).minimumNumberOfCalls(15)
        .ejectionTime(Duration.ofSeconds(3)).maxEjectionTime(Duration.ofSeconds(60)).ejectionBackoffMultiplier(1.5)
        .halfOpenTrialCalls(4).healthCheckInterval(Duration.ofSeconds(7)).healthCheckTimeout(Duration.ofSeconds(1))
        .healthCheckJitterPercent(0).rise(4).fall(5).slowStart(Duration.ofSeconds(9))
        .slowStartInitialWeightPercent(20).panicThresholdPercent(40)
        .build();

    assertThat(EndpointPoolConfig.from(c).build().toString()).isEqualTo(c.toString());
  }

  @Test
  void builder_isReusableWithoutChangingWhatItBuilt() {
    EndpointPoolConfig.Builder b = custom().fall(4);
    EndpointPoolConfig first = b.build();

    b.fall(9);

    assertThat(first.fall()).isEqualTo(4);
    assertThat(b.build().fall()).isEqualTo(9);
  }
}
