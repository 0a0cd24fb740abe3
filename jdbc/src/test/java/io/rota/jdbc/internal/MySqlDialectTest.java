package io.rota.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.internal.MySqlFamilyDialect.Channel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** MySQL GTID sets and detection, on plain strings. */
class MySqlDialectTest {

  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String B = "4d2b9c1a-0000-11ef-8000-0242ac120002";

  private final MySqlDialect d = MySqlDialect.INSTANCE;

  @Test
  void supports_mySqlConnectorJOnAMySqlServer() {
    assertThat(d.supports("MySQL")).isTrue();
    assertThat(d.supports("MySQL", "8.0.36")).isTrue();
    assertThat(d.supports("MySQL", "8.4.2-commercial")).isTrue();
  }

  @Test
  void supports_notMariaDb() {
    assertThat(d.supports("MariaDB")).isFalse();
    assertThat(d.supports("MariaDB", "11.4.5-MariaDB-log")).isFalse();
    assertThat(d.supports("MySQL", "11.4.5-MariaDB-log")).as("MySQL Connector/J on MariaDB").isFalse();
    assertThat(d.supports("PostgreSQL", "17.2")).isFalse();
  }

  @Test
  void coversIsSubset() {
    assertThat(d.covers(A + ":1-10", A + ":1-10")).isTrue();
    assertThat(d.covers(A + ":1-10", A + ":3-7")).isTrue();
    assertThat(d.covers(A + ":1-10", A + ":10")).isTrue();
    assertThat(d.covers(A + ":1-10", A + ":1-11")).isFalse();
    assertThat(d.covers(A + ":1-10", A + ":11")).isFalse();
  }

  @Test
  void coversWithGaps() {
    String replayed = A + ":1-5:7-9";
    assertThat(d.covers(replayed, A + ":1-5")).isTrue();
    assertThat(d.covers(replayed, A + ":8")).isTrue();
    assertThat(d.covers(replayed, A + ":6")).as("in the gap").isFalse();
    assertThat(d.covers(replayed, A + ":1-9")).as("spans the gap").isFalse();
    assertThat(d.covers(replayed, A + ":1-5:7-9")).isTrue();
    // Adjacent and overlapping intervals merge.
    assertThat(d.covers(A + ":1-5:6-9", A + ":1-9")).isTrue();
    assertThat(d.covers(A + ":4-9:1-5", A + ":1-9")).isTrue();
  }

  @Test
  void coversNeedsEverySource() {
    String replayed = A + ":1-10,\n" + B + ":1-3";
    assertThat(d.covers(replayed, B + ":2," + A + ":5")).isTrue();
    assertThat(d.covers(replayed, A + ":1-10,\n" + B + ":1-4")).isFalse();
    assertThat(d.covers(A + ":1-10", A + ":1-10," + B + ":1")).as("source B missing").isFalse();
    // UUIDs compare regardless of case.
    assertThat(d.covers(A.toUpperCase(java.util.Locale.ROOT) + ":1-10", A + ":1-10")).isTrue();
  }

  @Test
  void coversEmptySets() {
    assertThat(d.covers("", "")).isTrue();
    assertThat(d.covers(A + ":1", "")).isTrue();
    assertThat(d.covers("", A + ":1")).isFalse();
  }

  @Test
  void coversTaggedGtids() {
    String replayed = A + ":1-5:audit:1-3";
    assertThat(d.covers(replayed, A + ":audit:2")).isTrue();
    assertThat(d.covers(replayed, A + ":AUDIT:2")).as("tags compare regardless of case").isTrue();
    assertThat(d.covers(replayed, A + ":audit:4")).isFalse();
    assertThat(d.covers(replayed, A + ":other:1")).isFalse();
    assertThat(d.covers(replayed, A + ":1-5")).isTrue();
  }

  @Test
  void parseGtidSet_invalid() {
    for (String bad : new String[] {"nonsense", A, A + ":", A + ":0", A + ":5-3", A + ":x-1", "3e11fa47:1-5",
        A + ":1:tag", A + ":1-2-3"}) {
      assertThatThrownBy(() -> MySqlDialect.parseGtidSet(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("GTID set: '" + bad + "'");
    }
  }

  @Test
  void lagRulesAreTheFamilysOnGtidSets() {
    assertThat(d.lag(new Channel(true, 4L, A + ":1-10"), A + ":1-10", A + ":1-10")).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, 4L, A + ":1-10"), A + ":1-6", A + ":1-10")).isEqualTo(Duration.ofSeconds(4));
    assertThat(d.lag(new Channel(false, null, A + ":1-10"), A + ":1-10", A + ":1-10")).isNull();
    assertThat(d.lag(new Channel(true, null, A + ":1-10"), A + ":1-10", null)).isEqualTo(Duration.ZERO);
    assertThat(d.lag(new Channel(true, null, A + ":1-10"), A + ":1-8", null)).isNull();
  }
}
