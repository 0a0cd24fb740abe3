package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void of_negativeWeight() {
    assertThatThrownBy(() -> Endpoint.of("a", "addr", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: -1 (expected: 0..10000)");
  }

  @Test
  void of_weightAboveMax() {
    assertThatThrownBy(() -> Endpoint.of("a", "addr", 10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: 10001 (expected: 0..10000)");
  }

  @Test
  void of_weightBounds() {
    assertThat(Endpoint.of("a", "addr", 0).weight()).isZero();
    assertThat(Endpoint.of("a", "addr", Endpoint.MAX_WEIGHT).weight()).isEqualTo(10_000);
    assertThat(Endpoint.of("a", "addr").weight()).isEqualTo(Endpoint.DEFAULT_WEIGHT).isEqualTo(1);
    assertThat(Endpoint.of("a", "addr").tier()).isEqualTo(Tier.PRIMARY);
  }

  @Test
  void of_blankId() {
    assertThatThrownBy(() -> Endpoint.of("  ", "addr"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id: '  ' (expected: a non-blank string)");
    assertThatThrownBy(() -> Endpoint.of("", "addr", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id: ''");
  }

  @Test
  void of_nullId() {
    assertThatThrownBy(() -> Endpoint.of(null, "addr"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("id");
  }

  @Test
  void of_nullAddress() {
    assertThatThrownBy(() -> Endpoint.of("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("address");
  }

  @Test
  void withWeight_badWeight() {
    Endpoint<String> e = Endpoint.of("a", "addr", 1);

    assertThatThrownBy(() -> e.withWeight(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: -1 (expected: 0..10000)");
    assertThatThrownBy(() -> e.withWeight(10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: 10001 (expected: 0..10000)");
  }

  @Test
  void withTier_null() {
    assertThatThrownBy(() -> Endpoint.of("a", "addr").withTier(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tier");
  }

  @Test
  void withersReturnThisWhenNothingChanges() {
    Endpoint<String> e = Endpoint.of("a", "addr", 3);

    assertThat(e.withWeight(3)).isSameAs(e);
    assertThat(e.withTier(Tier.PRIMARY)).isSameAs(e);
  }

  @Test
  void withersReturnAChangedCopy() {
    Endpoint<String> e = Endpoint.of("a", "addr", 3);

    Endpoint<String> heavier = e.withWeight(5);
    Endpoint<String> backup = e.withTier(Tier.BACKUP);

    assertThat(heavier).isNotSameAs(e);
    assertThat(heavier.weight()).isEqualTo(5);
    assertThat(heavier.tier()).isEqualTo(Tier.PRIMARY);
    assertThat(backup.tier()).isEqualTo(Tier.BACKUP);
    assertThat(backup.weight()).isEqualTo(3);
    assertThat(backup.id()).isEqualTo("a");
    assertThat(backup.address()).isEqualTo("addr");
    assertThat(e.weight()).as("the original is unchanged").isEqualTo(3);
    assertThat(e.tier()).isEqualTo(Tier.PRIMARY);
  }

  @Test
  void equalityCoversEveryField() {
    Endpoint<String> e = Endpoint.of("a", "addr", 3);

    assertThat(e).isEqualTo(Endpoint.of("a", new String("addr"), 3)).hasSameHashCodeAs(Endpoint.of("a", "addr", 3));
    assertThat(e).isNotEqualTo(Endpoint.of("b", "addr", 3));
    assertThat(e).isNotEqualTo(Endpoint.of("a", "other", 3));
    assertThat(e).isNotEqualTo(Endpoint.of("a", "addr", 4));
    assertThat(e).isNotEqualTo(e.withTier(Tier.BACKUP));
    assertThat(e).isNotEqualTo(null);
    assertThat(e).isNotEqualTo("a");
    assertThat(e.withWeight(4).withWeight(3)).isEqualTo(e).hasSameHashCodeAs(e);
  }

  @Test
  void toStringLeavesTheAddressOut() {
    Endpoint<String> e = Endpoint.of("db-1", "jdbc:postgresql://admin:hunter2@10.0.0.1/app", 3);

    assertThat(e.toString()).isEqualTo("db-1 (weight 3)").doesNotContain("hunter2", "10.0.0.1");
    assertThat(e.withTier(Tier.BACKUP).toString()).isEqualTo("db-1 (backup, weight 3)");
  }
}
