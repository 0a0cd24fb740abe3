package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.rota.core.event.PoolEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The publisher on its own: entries in, selection and view out. */
class SelectionPublisherTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final EndpointPoolConfig config = EndpointPoolConfig.custom().consecutiveFailures(1).build();
  private final SelectionPublisher<String> publisher = new SelectionPublisher<>("p", 0, new Random(1));
  private final List<Entry<String>> entries = new ArrayList<>();
  private final List<PoolEvent> events = new ArrayList<>();

  private Entry<String> entry(String id, int weight, Tier tier) {
    Entry<String> e = new Entry<>(Endpoint.of(id, "addr-" + id, weight).withTier(tier), self -> new EndpointHealth(
        config, new SlowStart(config.slowStart(), config.slowStartInitialWeightPercent()),
        CircuitBreaker.of(id, DefaultEndpointPool.breakerConfig(config)), scheduler, () -> {}, () -> {}));
    entries.add(e);
    return e;
  }

  private void publish() {
    publisher.publish(entries, ticker.read(), false, events);
  }

  @Test
  void integralWeightsAreDividedByTheirGcdAndFractionsResolvedToAHundredth() {
    assertThat(SelectionPublisher.scheduleWeights(List.of(2.0, 4.0, 6.0))).containsExactly(1, 2, 3);
    assertThat(SelectionPublisher.scheduleWeights(List.of(0.5, 1.0))).containsExactly(1, 2);
    assertThat(SelectionPublisher.scheduleWeights(List.of(0.1, 1.0))).containsExactly(1, 10);
    assertThat(SelectionPublisher.scheduleWeights(List.of())).isEmpty();
  }

  @Test
  void longPeriodsAreScaledDownToMaxSlots() {
    List<Double> effective = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      effective.add(i % 2 == 0 ? 1000.0 : 999.0); // period 199,900 > MAX_SLOTS
    }
    int[] w = SelectionPublisher.scheduleWeights(effective);
    long total = 0;
    for (int x : w) {
      total += x;
    }
    assertThat(total).isBetween(SelectionPublisher.MAX_SLOTS - 200L, SelectionPublisher.MAX_SLOTS + 200L);
    assertThat((double) w[0] / w[1]).isCloseTo(1000.0 / 999, within(0.003));
  }

  @Test
  void theBackupTierServesOnlyWhileNoPrimaryIsAvailableAndTheViewSaysSo() {
    Entry<String> a = entry("a", 1, Tier.PRIMARY);
    entry("x", 1, Tier.BACKUP);
    publish();
    assertThat(publisher.selection().tier).isEqualTo(Tier.PRIMARY);
    assertThat(publisher.selection().select().id()).isEqualTo("a");

    a.health.onFailure(0, new java.io.IOException());
    a.health.reconcile(ticker.read()); // its publish action is a no-op here
    publish();

    assertThat(publisher.selection().tier).isEqualTo(Tier.BACKUP);
    assertThat(publisher.selection().select().id()).isEqualTo("x");
    SelectionPublisher.View<String> view = publisher.view();
    assertThat(view.tier()).isEqualTo(Tier.BACKUP);
    assertThat(view.endpoints()).extracting(v -> v.endpoint().id() + " " + v.state() + " " + v.effectiveWeight())
        .containsExactly("a EJECTED 0.0", "x HEALTHY 1.0");
    assertThat(events).filteredOn(PoolEvent.ServingTierChanged.class::isInstance).hasSize(2);
    assertThat(events).filteredOn(PoolEvent.StateChanged.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((PoolEvent.StateChanged) e).cause()).contains("1 consecutive failures"));
  }

  @Test
  void anUnchangedScheduleKeepsTheSelectionAndItsCounter() {
    entry("a", 1, Tier.PRIMARY);
    entry("b", 2, Tier.PRIMARY);
    publish();
    Selection<String> first = publisher.selection();
    first.select();
    first.select();

    publish();

    assertThat(publisher.selection()).isSameAs(first);
    assertThat(first.position()).isEqualTo(2);
  }
}
