package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Validation of {@link RoutingDataSourceBuilder} and {@link ReadYourWrites}. */
class RoutingDataSourceBuilderTest extends RoutingTestSupport {

  @Test
  void build_noPrimary() {
    RoutingDataSourceBuilder b = RoutingDataSource.builder().replica("r1", r1);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("primary: none (expected: a DataSource for the primary)");
  }

  @Test
  void build_noReplicas() {
    RoutingDataSourceBuilder b = RoutingDataSource.builder().primary(primary);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("replicas: none (expected: at least one replica; without replicas use the primary DataSource"
            + " directly)");
  }

  @Test
  void replica_blankId() {
    assertThatThrownBy(() -> RoutingDataSource.builder().replica(" ", r1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replica id: ' ' (expected: a non-blank string)");
    assertThatThrownBy(() -> RoutingDataSource.builder().replica("", r1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replica id: '' (expected: a non-blank string)");
  }

  @Test
  void replica_duplicateId() {
    RoutingDataSourceBuilder b = RoutingDataSource.builder().replica("r1", r1);

    assertThatThrownBy(() -> b.replica("r1", r2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replica id: 'r1' (expected: unique; it is already used)");
  }

  @Test
  void build_replicaIdEqualToPrimaryId() {
    RoutingDataSourceBuilder b = RoutingDataSource.builder().primary("pg-1", primary).replica("pg-1", r1);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("replica id: 'pg-1' (expected: different from the primary id)");
  }

  @Test
  void build_replicaIdEqualToDefaultPrimaryId() {
    RoutingDataSourceBuilder b = RoutingDataSource.builder().replica("primary", r1).primary(primary);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("replica id: 'primary' (expected: different from the primary id)");
  }

  @Test
  void replica_negativeWeight() {
    assertThatThrownBy(() -> RoutingDataSource.builder().replica("r1", r1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of replica 'r1': -1 (expected: 0..10000)");
  }

  @Test
  void replica_weightAboveMaximum() {
    assertThatThrownBy(() -> RoutingDataSource.builder().replica("r1", r1, 10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of replica 'r1': 10001 (expected: 0..10000)");
  }

  @Test
  void replica_weightsAtTheBoundsAreAccepted() {
    RoutingDataSource ds = build(RoutingDataSource.builder()
        .primary(primary)
        .replica("r1", r1, 0)
        .replica("r2", r2, 10_000));

    assertThat(ds.snapshot().replica("r1").weight()).isZero();
    assertThat(ds.snapshot().replica("r2").weight()).isEqualTo(10_000);
  }

  @Test
  void maxReplicationLag_zero() {
    assertThatThrownBy(() -> RoutingDataSource.builder().maxReplicationLag(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxReplicationLag: PT0S (expected: > 0; noLagCheck() turns the check off)");
  }

  @Test
  void maxReplicationLag_negative() {
    assertThatThrownBy(() -> RoutingDataSource.builder().maxReplicationLag(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxReplicationLag: PT-1S (expected: > 0; noLagCheck() turns the check off)");
  }

  @Test
  void maxReplicationLag_nullTurnsTheCheckOff() {
    RoutingDataSource ds = build(builder().noLagCheck());

    assertThat(ds.snapshot().replicas()).hasSize(2);
  }

  @Test
  void healthCheckInterval_zero() {
    assertThatThrownBy(() -> RoutingDataSource.builder().healthCheckInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckInterval: PT0S (expected: > 0)");
  }

  @Test
  void healthCheckIntervalMillis_negative() {
    assertThatThrownBy(() -> RoutingDataSource.builder().healthCheckIntervalMillis(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckInterval: PT-0.005S (expected: > 0)");
  }

  @Test
  void readYourWritesWindow_zero() {
    assertThatThrownBy(() -> ReadYourWrites.window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: PT0S (expected: > 0)");
  }

  @Test
  void readYourWritesWindow_negative() {
    assertThatThrownBy(() -> ReadYourWrites.window(Duration.ofMinutes(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: PT-1M (expected: > 0)");
  }

  @Test
  void name_blank() {
    assertThatThrownBy(() -> RoutingDataSource.builder().name("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: '  ' (expected: a non-blank string)");
  }

  @Test
  void primary_blankId() {
    assertThatThrownBy(() -> RoutingDataSource.builder().primary(" ", primary))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("primary id: ' ' (expected: a non-blank string)");
  }

  @Test
  void build_copiesTheBuilder() {
    RoutingDataSourceBuilder b = builder().name("orders");
    RoutingDataSource ds = build(b);

    b.replica("r3", new StubDataSource("r3"), 5).name("other");

    assertThat(ds.name()).isEqualTo("orders");
    assertThat(ds.snapshot().replicas()).extracting(RoutingSnapshot.Node::id).containsExactly("r1", "r2");
  }
}
