package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.rota.core.event.PoolEvent;
import io.rota.core.event.PoolEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsTest extends PoolTestSupport {

  private EndpointPool<String> pool() {
    return build(this.<String>builder("test")
        .config(EndpointPoolConfig.custom().consecutiveFailures(2).ejectionTime(Duration.ofSeconds(10)).build())
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1))
        .endpoint(Endpoint.of("x", "addr-x", 1).withTier(Tier.BACKUP)));
  }

  private static boolean picks(EndpointPool<String> pool, String id, int picks) {
    for (int i = 0; i < picks; i++) {
      Endpoint<String> e = pool.select();
      if (e != null && e.id().equals(id)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aListenerGivenToTheBuilderHearsTheFirstHealthChecks() {
    EndpointPool<String> pool = build(this.<String>builder("test")
        .config(EndpointPoolConfig.custom().fall(1).healthCheckJitterPercent(0).build())
        .healthCheck(e -> {
          if (e.id().equals("b")) {
            throw new java.io.IOException("down from the start");
          }
        })
        .listener(events::add)
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1)));

    scheduler.runDue(); // the first checks run at once

    assertThat(pool.snapshot().endpoint("b").state()).isEqualTo(EndpointState.DOWN);
    assertThat(events).filteredOn(PoolEvent.StateChanged.class::isInstance)
        .extracting(e -> ((PoolEvent.StateChanged) e).endpointId(), e -> ((PoolEvent.StateChanged) e).to())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("b", EndpointState.DOWN));
  }

  @Test
  void membershipAndWeightChangesAreDelivered() {
    EndpointPool<String> pool = pool();
    pool.addListener(events::add);
    long t = ticker.read();

    pool.add(Endpoint.of("c", "addr-c", 7).withTier(Tier.BACKUP));
    pool.setWeight("c", 9);
    pool.setWeight("c", 9); // no change, no event
    pool.remove("c");
    pool.remove("c"); // nothing removed, no event

    assertThat(events).containsExactly(
        new PoolEvent.EndpointAdded("test", t, "c", Tier.BACKUP, 7),
        new PoolEvent.WeightChanged("test", t, "c", 7, 9),
        new PoolEvent.EndpointRemoved("test", t, "c"));
  }

  @Test
  void stateChangesAreDeliveredWithFromAndTo() {
    EndpointPool<String> pool = pool();
    pool.addListener(events::add);

    fail(pool, "a", 2);
    long ejectedAt = ticker.read();
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(events).filteredOn(PoolEvent.StateChanged.class::isInstance)
        .map(PoolEvent.StateChanged.class::cast)
        .satisfiesExactly(
            e -> {
              assertThat(e.pool()).isEqualTo("test");
              assertThat(e.endpointId()).isEqualTo("a");
              assertThat(e.tickerNanos()).isEqualTo(ejectedAt);
              assertThat(e.from()).isEqualTo(EndpointState.HEALTHY);
              assertThat(e.to()).isEqualTo(EndpointState.EJECTED);
              assertThat(e.cause()).contains("2 consecutive failures", "java.io.IOException", "PT10S");
            },
            e -> {
              assertThat(e.endpointId()).isEqualTo("a");
              assertThat(e.tickerNanos()).isEqualTo(ejectedAt + Duration.ofSeconds(10).toNanos());
              assertThat(e.from()).isEqualTo(EndpointState.EJECTED);
              assertThat(e.to()).isEqualTo(EndpointState.HALF_OPEN);
            });
  }

  @Test
  void servingTierChangesAreDelivered() {
    EndpointPool<String> pool = pool();
    pool.addListener(events::add);

    fail(pool, "a", 2);
    fail(pool, "b", 2);
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(events).filteredOn(PoolEvent.ServingTierChanged.class::isInstance)
        .map(PoolEvent.ServingTierChanged.class::cast)
        .extracting(PoolEvent.ServingTierChanged::tier, PoolEvent.ServingTierChanged::panic)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Tier.BACKUP, false),
            org.assertj.core.groups.Tuple.tuple(Tier.PRIMARY, false));
  }

  @Test
  void aRemovedEndpointIsNeverPickedFromInsideTheRemovedListener() {
    EndpointPool<String> pool = pool();
    List<Boolean> pickedInListener = new ArrayList<>();
    pool.addListener(event -> {
      if (event instanceof PoolEvent.EndpointRemoved) {
        pickedInListener.add(picks(pool, "b", 1_000));
        pickedInListener.add(pool.snapshot().endpoint("b") != null);
      }
    });

    pool.remove("b");

    assertThat(pickedInListener).containsExactly(false, false);
  }

  @Test
  void changesAreVisibleFromInsideTheirListener() {
    EndpointPool<String> pool = pool();
    List<String> seen = new ArrayList<>();
    pool.addListener(event -> {
      if (event instanceof PoolEvent.EndpointAdded added) {
        seen.add("added picked=" + picks(pool, added.endpointId(), 1_000));
      } else if (event instanceof PoolEvent.WeightChanged changed) {
        seen.add("weight=" + pool.snapshot().endpoint(changed.endpointId()).weight());
      } else if (event instanceof PoolEvent.StateChanged changed) {
        seen.add(changed.to() + " picked=" + picks(pool, changed.endpointId(), 1_000)
            + " state=" + pool.snapshot().endpoint(changed.endpointId()).state());
      } else if (event instanceof PoolEvent.ServingTierChanged changed) {
        seen.add("tier " + changed.tier() + " snapshot=" + pool.snapshot().servingTier()
            + " picked=" + pool.select().tier());
      }
    });

    pool.add(Endpoint.of("c", "addr-c", 1));
    pool.setWeight("c", 5);
    fail(pool, "c", 2);
    pool.remove("a");
    fail(pool, "b", 2);

    assertThat(seen).containsExactly(
        "added picked=true",
        "weight=5",
        "EJECTED picked=false state=EJECTED",
        "EJECTED picked=false state=EJECTED",
        "tier BACKUP snapshot=BACKUP picked=BACKUP");
  }

  @Test
  void aListenerThatThrowsBreaksNeitherThePoolNorOtherListeners() {
    EndpointPool<String> pool = pool();
    pool.addListener(event -> {
      throw new IllegalStateException("listener bug");
    });
    pool.addListener(events::add);
    pool.addListener(event -> {
      throw new IllegalStateException("another listener bug");
    });

    assertThatCode(() -> {
      pool.add(Endpoint.of("c", "addr-c", 1));
      fail(pool, "c", 2);
      pool.setWeight("a", 3);
      pool.remove("c");
    }).doesNotThrowAnyException();

    assertThat(events).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("EndpointAdded", "StateChanged", "WeightChanged", "EndpointRemoved");
    assertThat(pool.endpoints()).extracting(Endpoint::id).containsExactly("a", "b", "x");
    assertThat(pool.snapshot().endpoint("a").weight()).isEqualTo(3);
    assertThat(pool.select()).isNotNull();
  }

  @Test
  void removeListenerStopsDelivery() {
    EndpointPool<String> pool = pool();
    PoolEventListener listener = events::add;
    pool.addListener(listener);
    pool.add(Endpoint.of("c", "addr-c", 1));

    assertThat(pool.removeListener(listener)).isTrue();
    pool.remove("c");
    pool.setWeight("a", 2);

    assertThat(events).singleElement().isInstanceOf(PoolEvent.EndpointAdded.class);
    assertThat(pool.removeListener(listener)).isFalse();
  }
}
