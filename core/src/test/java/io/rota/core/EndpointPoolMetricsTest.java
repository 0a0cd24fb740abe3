package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rota.core.spi.HealthCheck;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndpointPoolMetricsTest extends PoolTestSupport {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private EndpointPool<String> pool(EndpointPoolConfig.Builder cfg, String... ids) {
    EndpointPoolBuilder<String> b = this.<String>builder("api").config(cfg.build());
    for (String id : ids) {
      b.endpoint(Endpoint.of(id, "addr-" + id, 100));
    }
    return build(b);
  }

  private double gauge(String name, String endpoint) {
    return registry.get(name).tag("pool", "api").tag("endpoint", endpoint).gauge().value();
  }

  private double calls(String endpoint, String outcome) {
    return registry.get("rota.pool.endpoint.calls").tag("endpoint", endpoint).tag("outcome", outcome)
        .functionCounter().count();
  }

  private double state(String endpoint, EndpointState state) {
    return registry.get("rota.pool.endpoint.state").tag("endpoint", endpoint)
        .tag("state", state.name().toLowerCase(java.util.Locale.ROOT)).gauge().value();
  }

  /** The one state whose gauge is 1; fails if not exactly one is. */
  private EndpointState stateShown(String endpoint) {
    List<EndpointState> on = new ArrayList<>();
    for (EndpointState s : EndpointState.values()) {
      if (state(endpoint, s) == 1) {
        on.add(s);
      }
    }
    assertThat(on).as("states with gauge 1").hasSize(1);
    return on.get(0);
  }

  private List<Meter> metersOf(String endpoint) {
    return registry.getMeters().stream().filter(m -> endpoint.equals(m.getId().getTag("endpoint"))).toList();
  }

  @Test
  void callCountersAndInFlightMoveAsLeasesReport() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().consecutiveFailures(5), "a", "b");
    EndpointPoolMetrics.of(pool).bindTo(registry);

    succeed(pool, "a", 3);
    fail(pool, "b", 2);
    Lease<String> open = pool.acquire(endpoint(pool, "a"));

    assertThat(calls("a", "success")).isEqualTo(3);
    assertThat(calls("a", "failure")).isZero();
    assertThat(calls("b", "failure")).isEqualTo(2);
    assertThat(gauge("rota.pool.endpoint.in.flight", "a")).isEqualTo(1);
    open.release();
    assertThat(gauge("rota.pool.endpoint.in.flight", "a")).isZero();
    assertThat(calls("a", "success")).as("a released lease is neither").isEqualTo(3);
    assertThat(gauge("rota.pool.endpoint.weight", "a")).isEqualTo(100);
    assertThat(registry.get("rota.pool.endpoint.calls").tag("endpoint", "a").tag("tier", "primary").meters())
        .hasSize(2);
  }

  @Test
  void theStateGaugeFlipsOnEjectionAndBack() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().consecutiveFailures(1)
        .ejectionTime(Duration.ofSeconds(10)).halfOpenTrialCalls(2), "a", "b");
    EndpointPoolMetrics.of(pool).bindTo(registry);
    assertThat(stateShown("a")).isEqualTo(EndpointState.HEALTHY);

    fail(pool, "a", 1);
    assertThat(stateShown("a")).isEqualTo(EndpointState.EJECTED);
    assertThat(gauge("rota.pool.endpoint.effective.weight", "a")).isZero();
    assertThat(registry.get("rota.pool.endpoint.ejections").tag("endpoint", "a").functionCounter().count())
        .isEqualTo(1);

    scheduler.advance(Duration.ofSeconds(10));
    assertThat(stateShown("a")).isEqualTo(EndpointState.HALF_OPEN);
    succeed(pool, "a", 2);
    assertThat(stateShown("a")).isEqualTo(EndpointState.HEALTHY);
    assertThat(gauge("rota.pool.endpoint.effective.weight", "a")).isEqualTo(100);

    fail(pool, "a", 1);
    assertThat(registry.get("rota.pool.endpoint.ejections").tag("endpoint", "a").functionCounter().count())
        .as("a counter: it does not restart when the endpoint recovers").isEqualTo(2);
  }

  @Test
  void effectiveWeightRampsDuringSlowStartOfAnAddedEndpoint() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom().slowStart(Duration.ofSeconds(10))
        .slowStartInitialWeightPercent(10), "a");
    EndpointPoolMetrics.of(pool).bindTo(registry);

    pool.add(Endpoint.of("c", "addr-c", 100));

    assertThat(stateShown("c")).isEqualTo(EndpointState.RAMPING);
    assertThat(gauge("rota.pool.endpoint.effective.weight", "c")).isCloseTo(10, within(1.0));
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(gauge("rota.pool.endpoint.effective.weight", "c")).isCloseTo(55, within(5.0));
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(stateShown("c")).isEqualTo(EndpointState.HEALTHY);
    assertThat(gauge("rota.pool.endpoint.effective.weight", "c")).isEqualTo(100);
  }

  @Test
  void metersAppearForAnAddedEndpointAndLeaveWithARemovedOne() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom(), "a");
    EndpointPoolMetrics.of(pool).bindTo(registry);
    assertThat(metersOf("c")).isEmpty();

    pool.add(Endpoint.of("c", "addr-c", 7));
    succeed(pool, "c", 1);
    assertThat(gauge("rota.pool.endpoint.weight", "c")).isEqualTo(7);
    assertThat(calls("c", "success")).isEqualTo(1);
    int perEndpoint = metersOf("c").size();
    assertThat(perEndpoint).isEqualTo(metersOf("a").size());

    pool.remove("c");
    assertThat(metersOf("c")).isEmpty();
    assertThat(metersOf("a")).hasSize(perEndpoint);

    pool.add(Endpoint.of("c", "addr-c", 9));
    assertThat(gauge("rota.pool.endpoint.weight", "c")).isEqualTo(9);
    assertThat(calls("c", "success")).as("a new member, counted from its joining").isZero();
  }

  @Test
  void theCheckTimerRecordsPassedAndFailedChecksWithTheirDuration() {
    Set<String> failing = ConcurrentHashMap.newKeySet();
    HealthCheck<String> check = e -> {
      ticker.advance(Duration.ofMillis(30)); // the check takes 30 ms of pool time
      if (failing.contains(e.id())) {
        throw new IOException("refused");
      }
    };
    EndpointPool<String> pool = build(this.<String>builder("api").healthCheck(check)
        .config(EndpointPoolConfig.custom().healthCheckInterval(Duration.ofSeconds(5)).healthCheckJitterPercent(0)
            .healthCheckTimeout(Duration.ofSeconds(2)).fall(1).rise(1).build())
        .endpoint(Endpoint.of("a", "addr-a", 1)).endpoint(Endpoint.of("b", "addr-b", 1)));
    EndpointPoolMetrics.of(pool).bindTo(registry);
    failing.add("b");

    scheduler.runDue();
    scheduler.advance(Duration.ofMillis(5_100)); // the second check: 5 s after the first one's verdict

    Timer aPass = registry.get("rota.pool.endpoint.check").tag("endpoint", "a").tag("result", "pass").timer();
    Timer bFail = registry.get("rota.pool.endpoint.check").tag("endpoint", "b").tag("result", "fail").timer();
    assertThat(aPass.count()).isEqualTo(2);
    assertThat(aPass.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60);
    assertThat(bFail.count()).isEqualTo(2);
    assertThat(registry.get("rota.pool.endpoint.check").tag("endpoint", "b").tag("result", "pass").timer().count())
        .isZero();
    assertThat(stateShown("b")).isEqualTo(EndpointState.DOWN);
  }

  @Test
  void aCheckThatTimesOutCountsAsFailedAfterItsTimeout() {
    List<Runnable> neverRun = new ArrayList<>();
    EndpointPool<String> pool = build(this.<String>builder("api").healthCheck(e -> {}).healthCheckExecutor(neverRun::add)
        .config(EndpointPoolConfig.custom().healthCheckInterval(Duration.ofSeconds(5)).healthCheckJitterPercent(0)
            .healthCheckTimeout(Duration.ofSeconds(2)).build())
        .endpoint(Endpoint.of("a", "addr-a", 1)));
    EndpointPoolMetrics.of(pool).bindTo(registry);

    scheduler.runDue();
    scheduler.advance(Duration.ofSeconds(2));

    Timer fail = registry.get("rota.pool.endpoint.check").tag("endpoint", "a").tag("result", "fail").timer();
    assertThat(fail.count()).isEqualTo(1);
    assertThat(fail.totalTime(TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void aPoolWithoutHealthCheckHasNoCheckTimer() {
    EndpointPoolMetrics.of(pool(EndpointPoolConfig.custom(), "a")).bindTo(registry);
    assertThat(registry.find("rota.pool.endpoint.check").meters()).isEmpty();
    assertThat(registry.find("rota.pool.endpoint.state").tag("endpoint", "a").meters()).hasSize(6);
  }

  @Test
  void servingTierAndPanicGaugesFollowThePool() {
    EndpointPool<String> pool = build(this.<String>builder("api")
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).panicThresholdPercent(50).build())
        .endpoint(Endpoint.of("a", "addr-a", 1)).endpoint(Endpoint.of("b", "addr-b", 1))
        .endpoint(Endpoint.of("spare", "addr-spare", 1).withTier(Tier.BACKUP)));
    EndpointPoolMetrics.of(pool, Tags.of("app", "shop")).bindTo(registry);
    double primary = registry.get("rota.pool.serving").tag("tier", "primary").tag("app", "shop").gauge().value();
    assertThat(primary).isEqualTo(1);
    assertThat(registry.get("rota.pool.panic").gauge().value()).isZero();

    fail(pool, "a", 1);
    assertThat(registry.get("rota.pool.panic").gauge().value()).as("1 of 2 available: not below 50%").isZero();
    fail(pool, "b", 1);

    assertThat(registry.get("rota.pool.serving").tag("tier", "backup").gauge().value()).isEqualTo(1);
    assertThat(registry.get("rota.pool.serving").tag("tier", "primary").gauge().value()).isZero();
    assertThat(registry.get("rota.pool.endpoint.state").tag("endpoint", "spare").tag("tier", "backup")
        .tag("state", "healthy").gauge().value()).isEqualTo(1);
    assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("shop"));
  }

  @Test
  void closeRemovesEveryMeterAndStopsFollowingMembership() {
    EndpointPool<String> pool = pool(EndpointPoolConfig.custom(), "a", "b");
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    EndpointPoolMetrics metrics = EndpointPoolMetrics.of(pool);
    metrics.bindTo(registry);
    metrics.bindTo(other);
    assertThat(registry.getMeters()).isNotEmpty();

    metrics.close();
    pool.add(Endpoint.of("c", "addr-c", 1));

    assertThat(registry.getMeters()).isEmpty();
    assertThat(other.getMeters()).isEmpty();
  }

  @Test
  void aBoundRegistryDoesNotKeepADroppedPoolAlive() throws InterruptedException {
    WeakReference<EndpointPool<String>> ref = bindAndDrop();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(ref.get()).as("pool collected while its meters are still registered").isNull();
    assertThat(registry.getMeters()).isNotEmpty();
    assertThat(registry.get("rota.pool.endpoint.weight").gauge().value()).isNaN();
  }

  private WeakReference<EndpointPool<String>> bindAndDrop() {
    EndpointPool<String> pool = EndpointPool.<String>builder("api").ticker(ticker)
        .scheduler(new ManualScheduler(ticker)).eventExecutor(Runnable::run).endpoint(Endpoint.of("a", "addr-a", 1)).build();
    EndpointPoolMetrics.of(pool).bindTo(registry);
    pool.acquire().success();
    pool.close();
    return new WeakReference<>(pool);
  }

  @Test
  void of_poolOfAnotherImplementation() {
    @SuppressWarnings("unchecked")
    EndpointPool<String> foreign = (EndpointPool<String>) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {EndpointPool.class}, (p, m, args) -> null);
    assertThatThrownBy(() -> EndpointPoolMetrics.of(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: a pool made by EndpointPool.builder");
  }
}
