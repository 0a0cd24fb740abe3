package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Long uptimes: the pick counter crosses 2^31 and 2^32 without leaving the rotation. */
class SelectionCounterTest extends PoolTestSupport {

  @ParameterizedTest
  @ValueSource(longs = {Integer.MAX_VALUE, 1L << 32})
  void picksCrossLargeCounterValuesWithoutLeavingThePattern(long boundary) {
    EndpointPool<String> pool = build(this.<String>builder("long")
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 2))
        .endpoint(Endpoint.of("c", "addr-c", 3)));
    Selection<String> published = ((DefaultEndpointPool<String>) pool).selection();
    Endpoint<String>[] period = published.bySlot;
    assertThat(period).hasSize(6);

    long start = boundary - 100;
    Selection<String> s = new Selection<>(period, published.schedule, List.of(), published.weights,
        published.tier, false, start);
    for (long c = start; c < boundary + 100; c++) {
      assertThat(s.position()).isEqualTo(c);
      assertThat(s.select()).as("pick %s", c).isSameAs(period[(int) (c % period.length)]);
    }
    assertThat(s.position()).isEqualTo(boundary + 100);
  }

  @Test
  void aSelectionStartedPastIntegerMaxValueKeepsTheShares() {
    EndpointPool<String> pool = build(this.<String>builder("long")
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 2))
        .endpoint(Endpoint.of("c", "addr-c", 3)));
    Selection<String> published = ((DefaultEndpointPool<String>) pool).selection();
    Selection<String> s = new Selection<>(published.bySlot, published.schedule, List.of(), published.weights,
        published.tier, false, Integer.MAX_VALUE - 3L);
    int[] counts = new int[3];
    for (int i = 0; i < 6_000; i++) {
      counts[s.select().id().charAt(0) - 'a']++;
    }
    assertThat(counts).containsExactly(1_000, 2_000, 3_000);
  }
}
