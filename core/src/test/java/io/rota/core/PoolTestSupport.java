package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.event.PoolEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** Base of the pool tests: fake time, a manual scheduler, pools closed after each test, common helpers. */
abstract class PoolTestSupport {

  /** The failure that {@link #fail} reports. */
  static final IOException BOOM = new IOException("boom");

  final FakeTicker ticker = new FakeTicker();
  final ManualScheduler scheduler = new ManualScheduler(ticker);
  /** Events of every pool that was given {@code events::add} as a listener. */
  final List<PoolEvent> events = new ArrayList<>();
  private final List<EndpointPool<?>> pools = new ArrayList<>();

  @AfterEach
  void closePools() {
    pools.forEach(EndpointPool::close);
  }

  /** A builder on the fake ticker, the manual scheduler also running health checks, events delivered at once. */
  final <A> EndpointPoolBuilder<A> builder(String name) {
    return EndpointPool.<A>builder(name).ticker(ticker).scheduler(scheduler).healthCheckExecutor(scheduler)
        .eventExecutor(Runnable::run);
  }

  /** Builds the pool and closes it after the test. */
  final <A> EndpointPool<A> build(EndpointPoolBuilder<A> builder) {
    EndpointPool<A> pool = builder.build();
    pools.add(pool);
    return pool;
  }

  /** The endpoint with this id. */
  static <A> Endpoint<A> endpoint(EndpointPool<A> pool, String id) {
    return pool.endpoints().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
  }

  /** The endpoint's state in a fresh snapshot. */
  static EndpointState state(EndpointPool<?> pool, String id) {
    return pool.snapshot().endpoint(id).state();
  }

  /** Picks {@code picks} times with {@code selectOrThrow} and counts the picks per endpoint id. */
  static Map<String, Integer> counts(EndpointPool<?> pool, int picks) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(pool.selectOrThrow().id(), 1, Integer::sum);
    }
    return counts;
  }

  /** Reports {@code times} successful calls to the endpoint. */
  static <A> void succeed(EndpointPool<A> pool, String id, int times) {
    Endpoint<A> e = endpoint(pool, id);
    for (int i = 0; i < times; i++) {
      pool.acquire(e).success();
    }
  }

  /** Reports {@code times} calls to the endpoint that failed with {@link #BOOM}. */
  static <A> void fail(EndpointPool<A> pool, String id, int times) {
    Endpoint<A> e = endpoint(pool, id);
    for (int i = 0; i < times; i++) {
      pool.acquire(e).failure(BOOM);
    }
  }

  /** Fails each endpoint once and asserts it is then ejected (the pool must eject on one failure). */
  static void eject(EndpointPool<?> pool, String... ids) {
    for (String id : ids) {
      fail(pool, id, 1);
      assertThat(state(pool, id)).isEqualTo(EndpointState.EJECTED);
    }
  }

  /** The recorded state changes, in order. */
  final List<PoolEvent.StateChanged> stateChanges() {
    return events.stream().filter(PoolEvent.StateChanged.class::isInstance).map(PoolEvent.StateChanged.class::cast)
        .toList();
  }

  /** The recorded serving-tier changes, in order. */
  final List<PoolEvent.ServingTierChanged> tierChanges() {
    return events.stream().filter(PoolEvent.ServingTierChanged.class::isInstance)
        .map(PoolEvent.ServingTierChanged.class::cast).toList();
  }
}
