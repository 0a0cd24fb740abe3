package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.jdbc.WriteTargets.Decision;
import io.rota.jdbc.WriteTargets.Probe;
import io.rota.jdbc.spi.NodeRole;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The rules that choose the node taking writes, and what their changes announce. */
class WriteTargetsTest {

  static final Instant T0 = Instant.parse("2026-12-07T23:40:01.123Z");

  static Probe writable(String id, long timeline) {
    return new Probe(id, true, NodeRole.writable().withTimeline(timeline), null);
  }

  static Probe writableMySql(String id, String serverId) {
    return new Probe(id, true, NodeRole.writable().withServerId(serverId), null);
  }

  static Probe readOnly(String id) {
    return new Probe(id, true, NodeRole.readOnly(), null);
  }

  static Probe follower(String id, String serverId, String source) {
    return new Probe(id, true, NodeRole.readOnly().withServerId(serverId).withSourceServerId(source), null);
  }

  static Probe unreachable(String id) {
    return new Probe(id, true, null, "unreachable: SQLState 08001: Connection refused");
  }

  static Decision decide(List<Probe> probes, String incumbent) {
    return WriteTargets.decide("rota", probes, incumbent, null, Failover.AUTOMATIC, null);
  }

  @Test
  void theOneWritableNodeTakesWrites() {
    Decision d = decide(List.of(readOnly("db1"), writable("db2", 2), readOnly("db3")), null);
    assertThat(d.target()).isEqualTo("db2");
    assertThat(d.fenced()).isEmpty();
  }

  @Test
  void noWritableNodeRefusesNamingTheLastPrimaryAndSinceWhen() {
    WriteTargets.Lost lost = new WriteTargets.Lost("db1", T0, "unreachable", "Connection refused");
    Decision d = WriteTargets.decide("rota", List.of(unreachable("db1"), readOnly("db2"), readOnly("db3")), null, lost,
        Failover.AUTOMATIC, null);
    assertThat(d.target()).isNull();
    assertThat(d.refusal()).isEqualTo("Primary 'db1' of 'rota' unreachable since 2026-12-07T23:40:01.123Z"
        + " (Connection refused); no other writable node (db2: read-only, db3: read-only);"
        + " writes are refused until a node is writable (promote a replica)");
  }

  @Test
  void noWritableNodeAtStartNamesEveryNodesState() {
    Decision d = decide(List.of(new Probe("db1", false, null, null), readOnly("db2")), null);
    assertThat(d.refusal()).isEqualTo("No writable node in 'rota' (db1: not probed yet, db2: read-only); writes are"
        + " refused until a node is writable");
  }

  @Test
  void newestTimelineWinsAndTheOtherIsFenced() {
    // The old primary came back stand-alone on timeline 1; the promoted replica is on timeline 2.
    Decision d = decide(List.of(writable("db1", 1), writable("db2", 2), readOnly("db3")), "db1");
    assertThat(d.target()).isEqualTo("db2");
    assertThat(d.fenced()).containsOnlyKeys("db1");
    assertThat(d.fenced().get("db1")).contains("fenced").contains("db2 takes them").contains("newest timeline 2");
  }

  @Test
  void sameTimelineKeepsTheNodeTakingWrites() {
    Decision d = decide(List.of(writable("db1", 3), writable("db2", 3)), "db2");
    assertThat(d.target()).isEqualTo("db2");
    assertThat(d.fenced()).containsOnlyKeys("db1");
    assertThat(d.fenced().get("db1")).contains("was taking writes already");
  }

  @Test
  void sameTimelineWithoutIncumbentRefusesAllWrites() {
    Decision d = decide(List.of(writable("db1", 3), writable("db2", 3)), null);
    assertThat(d.target()).isNull();
    assertThat(d.refusal()).startsWith("Writes to 'rota' refused: 2 nodes are writable (db1 timeline 3, db2 timeline 3)"
        + " and nothing tells which is the primary").contains("PrimaryResolver");
    assertThat(d.fenced()).containsOnlyKeys("db1", "db2");
  }

  @Test
  void mySqlFamilyKeepsTheNodeTheReplicasFollow() {
    // Old primary (server id 1) back writable; db2 (server id 2) promoted; db3 replicates from 2.
    Decision d = decide(List.of(writableMySql("db1", "1"), writableMySql("db2", "2"), follower("db3", "3", "2")), null);
    assertThat(d.target()).isEqualTo("db2");
    assertThat(d.fenced().get("db1")).contains("the read-only nodes replicate from");
  }

  @Test
  void mySqlFamilyWithoutReplicaStatusFallsBackToTheIncumbent() {
    Decision d = decide(List.of(writableMySql("db1", "1"), writableMySql("db2", "2"), readOnly("db3")), "db2");
    assertThat(d.target()).isEqualTo("db2");
    Decision none = decide(List.of(writableMySql("db1", "1"), writableMySql("db2", "2"), readOnly("db3")), null);
    assertThat(none.target()).isNull();
  }

  @Test
  void manualModeRefusesAllWritesWhileTwoAreWritable() {
    Decision d = WriteTargets.decide("rota", List.of(writable("db1", 1), writable("db2", 2)), "db1", null,
        Failover.MANUAL, null);
    assertThat(d.target()).isNull();
    assertThat(d.refusal()).isEqualTo("Writes to 'rota' refused: 2 nodes are writable (db1 timeline 1, db2 timeline 2)"
        + " and failover is MANUAL; leave one writable (demote or stop the others)");
    assertThat(d.fenced()).containsOnlyKeys("db1", "db2");
    Decision one = WriteTargets.decide("rota", List.of(unreachable("db1"), writable("db2", 2)), "db1", null,
        Failover.MANUAL, null);
    assertThat(one.target()).isEqualTo("db2");
  }

  @Test
  void resolverIsTheAuthorityButOnlyOverWritableNodes() {
    List<Probe> probes = List.of(writable("db1", 1), writable("db2", 1), readOnly("db3"));
    List<List<String>> asked = new ArrayList<>();
    Decision d = WriteTargets.decide("rota", probes, null, null, Failover.AUTOMATIC, w -> {
      asked.add(w);
      return "db1";
    });
    assertThat(d.target()).isEqualTo("db1");
    assertThat(d.fenced().get("db2")).contains("the PrimaryResolver names db1");
    assertThat(asked).containsExactly(List.of("db1", "db2"));

    Decision readOnly = WriteTargets.decide("rota", probes, null, null, Failover.AUTOMATIC, w -> "db3");
    assertThat(readOnly.target()).isNull();
    assertThat(readOnly.refusal()).isEqualTo("Writes to 'rota' refused: the PrimaryResolver names 'db3', which is"
        + " read-only; writable: db1 timeline 1, db2 timeline 1");

    Decision failed = WriteTargets.decide("rota", probes, null, null, Failover.AUTOMATIC, w -> {
      throw new IllegalStateException("etcd: no quorum");
    });
    assertThat(failed.target()).isNull();
    assertThat(failed.refusal()).contains("the PrimaryResolver failed").contains("etcd: no quorum");
    assertThat(failed.fenced()).containsOnlyKeys("db1", "db2");
  }

  @Test
  void updateAnnouncesEachChangeOnceAndStartsAnEpochOnlyForAnotherNode() {
    AtomicReference<List<Probe>> now = new AtomicReference<>(List.of(writable("db1", 1), readOnly("db2"), readOnly("db3")));
    List<RoutingEvent> events = new ArrayList<>();
    AtomicInteger epochs = new AtomicInteger();
    WriteTargets t = new WriteTargets("rota", Failover.AUTOMATIC, null, now::get, events::add,
        epochs::incrementAndGet, Clock.fixed(T0, ZoneOffset.UTC));
    t.update();
    t.update();
    assertThat(t.current().node()).isEqualTo("db1");
    assertThat(events).singleElement().isInstanceOf(RoutingEvent.WriteTargetChanged.class);

    now.set(List.of(unreachable("db1"), readOnly("db2"), readOnly("db3")));
    t.update();
    assertThat(t.current().node()).isNull();
    assertThat(t.current().refusal()).startsWith("Primary 'db1' of 'rota' unreachable since 2026-12-07T23:40:01.123Z");
    assertThat(events).hasSize(2);
    assertThat(((RoutingEvent.WriteTargetChanged) events.get(1)).current()).isNull();

    now.set(List.of(unreachable("db1"), writable("db2", 2), readOnly("db3")));
    t.update();
    assertThat(t.current().node()).isEqualTo("db2");
    assertThat(epochs).hasValue(1);
    assertThat(events.get(2)).isEqualTo(new RoutingEvent.WriteTargetChanged(null, "db2",
        "the only node chosen to take writes (writable, timeline 2)"));

    now.set(List.of(writable("db1", 1), writable("db2", 2), readOnly("db3")));
    t.update();
    t.update();
    assertThat(t.current().node()).isEqualTo("db2");
    assertThat(events).hasSize(4);
    assertThat(events.get(3)).isInstanceOfSatisfying(RoutingEvent.NodeFenced.class, f -> {
      assertThat(f.node()).isEqualTo("db1");
      assertThat(f.writeTarget()).isEqualTo("db2");
    });
    assertThat(t.fencedReason("db1")).contains("fenced");

    // The old primary demoted and replicating again: a replica, no longer fenced.
    now.set(List.of(readOnly("db1"), writable("db2", 2), readOnly("db3")));
    t.update();
    assertThat(t.fencedReason("db1")).isNull();
    assertThat(t.current().node()).isEqualTo("db2");
    assertThat(epochs).hasValue(1);
  }
}
