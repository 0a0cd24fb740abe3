package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointState;
import io.rota.core.event.PoolEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Replicas added, removed and re-weighted at run time; the effective configuration shown. */
class MembershipTest extends RoutingTestSupport {

  private final StubDataSource r3 = new StubDataSource("r3");

  private static Set<String> servers(RoutingDataSource ds, int reads) throws SQLException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < reads; i++) {
      seen.add(readOnlyRead(ds));
    }
    return seen;
  }

  @Test
  void anAddedReplicaIsCheckedTakesReadsAndIsAnnounced() throws SQLException {
    List<RoutingEvent> events = new CopyOnWriteArrayList<>();
    RoutingDataSource ds = build(builder().listener(events::add));
    ds.addReplica("r3", r3, 10);
    await(() -> r3.logins().stream().anyMatch(l -> !l.isWork()), "the first check of r3");
    await(() -> ds.snapshot().replica("r3") != null
        && ds.snapshot().replica("r3").state() == EndpointState.HEALTHY, "r3 healthy");

    assertThat(servers(ds, 40)).contains("r3");
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RoutingEvent.ReplicaPoolEvent.class,
        p -> assertThat(p.event()).isInstanceOf(PoolEvent.EndpointAdded.class)));
  }

  @Test
  void aRemovedReplicaTakesNoNewReadsWhileAConnectionAlreadyOnItFinishesThere() throws SQLException {
    RoutingDataSource ds = routing();
    try (Connection held = ds.getConnection()) {
      held.setReadOnly(true);
      held.setAutoCommit(false);
      String node = read(held);
      String other = node.equals("r1") ? "r2" : "r1";
      assertThat(ds.removeReplica(node)).isTrue();

      assertThat(servers(ds, 20)).containsOnly(other);
      assertThat(read(held)).as("the transaction already on it").isEqualTo(node);
      held.commit();
      assertThat(ds.snapshot().replica(node)).isNull();
    }
    assertThat(ds.removeReplica("nope")).isFalse();
  }

  @Test
  void aReplicaWeightSetToZeroDrainsIt() throws SQLException {
    RoutingDataSource ds = routing();
    ds.setReplicaWeight("r1", 0);
    assertThat(servers(ds, 20)).containsOnly("r2");
  }

  @Test
  void addReplica_badInput() {
    RoutingDataSource ds = routing();
    assertThatThrownBy(() -> ds.addReplica("r1", r3, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("replica id: 'r1' (expected: unique; it is already used)");
    assertThatThrownBy(() -> ds.addReplica("primary", r3, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'primary'");
    assertThatThrownBy(() -> ds.addReplica(" ", r3, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank");
    assertThatThrownBy(() -> ds.addReplica("r3", r3, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight of replica 'r3': -1");
    assertThatThrownBy(() -> ds.setReplicaWeight("nope", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replica id: 'nope' (expected: one of");
    ds.close();
    assertThatThrownBy(() -> ds.addReplica("r3", r3, 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void toStringShowsTheEffectiveConfigurationAndNoSecret() {
    RoutingDataSource ds = build(builder().noLagCheck().maxReruns(2).fall(3));
    assertThat(ds.toString())
        .contains("primary=primary", "replicas={r1=3, r2=1}", "maxReplicationLag=off", "maxReruns=2", "fall=3",
            "primaryNetworkTimeout=PT30S", "replicaNetworkTimeout=PT10S", "healthCheckTimeout=PT2S")
        .doesNotContain("StubDataSource");
  }
}
