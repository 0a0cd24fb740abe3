package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.rota.core.spi.HealthCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoEndpointAvailableTest extends PoolTestSupport {

  private EndpointPool<String> pool(HealthCheck<String> check) {
    return build(this.<String>builder("orders")
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).fall(1).healthCheckJitterPercent(0).build())
        .healthCheck(check)
        .endpoint(Endpoint.of("a", "jdbc:postgresql://user:secret@db-a/orders", 2))
        .endpoint(Endpoint.of("b", "jdbc:postgresql://user:secret@db-b/orders", 1))
        .endpoint(Endpoint.of("x", "jdbc:postgresql://user:secret@db-x/orders", 3).withTier(Tier.BACKUP)));
  }

  @Test
  void selectOrThrowListsEveryEndpointWithTierWeightAndState() {
    EndpointPool<String> pool = pool(endpoint -> {
      if (endpoint.id().equals("b")) {
        throw new IOException("down");
      }
    });
    scheduler.runDue(); // b down by active check
    fail(pool, "a", 1); // one failure ejects
    fail(pool, "x", 1);

    assertThat(pool.select()).isNull();
    assertThatThrownBy(pool::selectOrThrow)
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessage("No endpoint available in pool 'orders': a (primary, weight 2, EJECTED), "
            + "b (primary, weight 1, DOWN), x (backup, weight 3, EJECTED)")
        .hasMessageNotContaining("secret")
        .asInstanceOf(type(NoEndpointAvailableException.class))
        .satisfies(e -> {
          assertThat(e.snapshot().pool()).isEqualTo("orders");
          assertThat(e.snapshot().servingTier()).isNull();
          assertThat(e.snapshot().endpoints()).extracting(EndpointSnapshot::state)
              .containsExactly(EndpointState.EJECTED, EndpointState.DOWN, EndpointState.EJECTED);
        });
  }

  @Test
  void selectOrThrowPicksWhileAnyEndpointIsAvailable() {
    EndpointPool<String> pool = pool(endpoint -> { });
    fail(pool, "a", 1); // one failure ejects
    fail(pool, "b", 1);

    assertThat(pool.selectOrThrow().id()).isEqualTo("x");
    fail(pool, "x", 1);
    assertThatThrownBy(pool::selectOrThrow).isInstanceOf(NoEndpointAvailableException.class);

    scheduler.advance(Duration.ofSeconds(10)); // ejections over: half-open
    assertThat(pool.selectOrThrow()).isNotNull();
  }

  @Test
  void messageOfAnEmptySnapshotSaysSo() {
    NoEndpointAvailableException e = new NoEndpointAvailableException(new PoolSnapshot("orders", null, false, List.of()));

    assertThat(e).hasMessage("No endpoint available in pool 'orders': it has no endpoints");
  }

  @Test
  void selectOrThrowOnAPoolWhoseEndpointsWereAllRemoved() {
    EndpointPool<String> pool = pool(endpoint -> { });
    pool.remove("a");
    pool.remove("b");
    pool.remove("x");

    assertThat(pool.select()).isNull();
    assertThatThrownBy(pool::selectOrThrow)
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessage("No endpoint available in pool 'orders': it has no endpoints");
  }
}
