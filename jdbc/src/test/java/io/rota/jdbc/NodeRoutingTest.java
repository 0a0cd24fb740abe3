package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.spi.Dialect;
import io.rota.jdbc.spi.NodeRole;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Nodes without fixed roles ({@code node(...)}) over stub data sources whose roles a test dialect
 * reports: writes follow the one writable node, fail at once while there is none, and never reach a
 * read-only node.
 */
class NodeRoutingTest extends RoutingTestSupport {

  /** The role each stub node reports, by name; a missing one is read-only. */
  final Map<String, NodeRole> roles = new ConcurrentHashMap<>();
  final List<RoutingEvent> events = new CopyOnWriteArrayList<>();

  /** A dialect whose role probe answers from {@link #roles}. */
  final Dialect dialect = new Dialect() {
    @Override
    public String name() {
      return "Test";
    }

    @Override
    public boolean supports(String databaseProductName) {
      return false;
    }

    @Override
    public boolean isReplica(Connection c) {
      return !probeRole(c).isWritable();
    }

    @Override
    public NodeRole probeRole(Connection c) {
      String node = ((StubConnection) Proxy.getInvocationHandler(c)).node.name;
      return roles.getOrDefault(node, NodeRole.readOnly());
    }

    @Override
    public @Nullable String currentPosition(Connection primary) {
      return null;
    }

    @Override
    public ReplicaStatus replicaStatus(Connection replica, @Nullable String primaryPosition) {
      return new ReplicaStatus(null, Duration.ZERO);
    }

    @Override
    public boolean covers(String replayed, String required) {
      return true;
    }
  };

  RoutingDataSource nodes() {
    roles.put("primary", NodeRole.writable().withTimeline(1));
    return build(RoutingDataSource.builder()
        .node("db1", primary)
        .node("db2", r1)
        .node("db3", r2)
        .dialect(dialect)
        .healthCheckInterval(Duration.ofMillis(50))
        .rise(1)
        .listener(events::add));
  }

  static void awaitTarget(RoutingDataSource ds, @Nullable String node) {
    await(() -> java.util.Objects.equals(ds.snapshot().writeTarget(), node), "write target " + node);
  }

  /** Waits until a writable node is out of the read pool (its check failed as a replica's). */
  static void awaitOutOfReads(RoutingDataSource ds, String node) {
    await(() -> ds.replicaPool().snapshot().endpoint(node).state() == io.rota.core.EndpointState.DOWN,
        node + " out of the reads");
  }

  static boolean readsFrom(RoutingDataSource ds, String node) {
    try {
      return readOnlyRead(ds).equals(node);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  long updatesOn(StubDataSource n) {
    return n.executions().stream().filter(e -> e.sql().equals(UPDATE)).count();
  }

  @Test
  void writesGoToTheWritableNodeAndReadsToTheReadOnlyOnes() throws SQLException {
    RoutingDataSource ds = nodes();
    awaitTarget(ds, "db1");
    awaitOutOfReads(ds, "db1"); // the pool applies the check's verdict after the write target is chosen
    await(() -> ds.snapshot().replicas().stream().allMatch(n -> n.state() == io.rota.core.EndpointState.HEALTHY),
        "the read-only nodes to take reads");
    for (int i = 0; i < 10; i++) {
      autoCommitWrite(ds);
      assertThat(readOnlyRead(ds)).isIn("r1", "r2");
    }
    assertThat(updatesOn(primary)).isEqualTo(10);
    assertThat(updatesOn(r1) + updatesOn(r2)).isZero();
    RoutingSnapshot s = ds.snapshot();
    assertThat(s.primary().id()).isEqualTo("db1");
    assertThat(s.primary().role()).isEqualTo(RoutingSnapshot.Role.PRIMARY);
    assertThat(s.primary().writes()).isEqualTo(10);
    assertThat(s.replicas()).extracting(RoutingSnapshot.Node::id).containsExactly("db2", "db3");
    assertThat(s.replicas()).extracting(RoutingSnapshot.Node::role).containsOnly(RoutingSnapshot.Role.REPLICA);
    assertThat(s.writesRefused()).isNull();
  }

  @Test
  void writesFailAtOnceWhileNoNodeIsWritableAndFollowThePromotedOne() throws SQLException {
    RoutingDataSource ds = nodes();
    awaitTarget(ds, "db1");
    primary.refuseConnections();
    // The first write meets the dead primary and probes it at once; later ones are refused outright.
    assertThatThrownBy(() -> autoCommitWrite(ds)).isInstanceOf(SQLException.class).hasMessageContaining("db1");
    awaitTarget(ds, null);
    int workLoginsBefore = primary.workLogins().size();
    assertThatThrownBy(() -> autoCommitWrite(ds)).isInstanceOf(SQLException.class)
        .hasMessageStartingWith("Primary 'db1' of 'rota' unreachable since ")
        .hasMessageContaining("; no other writable node (db2: read-only, db3: read-only)")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    assertThat(ds.snapshot().writesRefused()).startsWith("Primary 'db1' of 'rota' unreachable since ");
    assertThat(primary.workLogins()).hasSize(workLoginsBefore); // refused without trying the dead node
    assertThat(readOnlyRead(ds)).isIn("r1", "r2"); // reads go on

    roles.put("r1", NodeRole.writable().withTimeline(2)); // db2 promoted
    awaitTarget(ds, "db2");
    autoCommitWrite(ds);
    assertThat(updatesOn(r1)).isEqualTo(1);
    assertThat(updatesOn(r2)).isZero();
    await(() -> events.stream().filter(e -> e instanceof RoutingEvent.WriteTargetChanged).count() == 3, "3 changes");
    assertThat(events).filteredOn(e -> e instanceof RoutingEvent.WriteTargetChanged)
        .extracting(e -> ((RoutingEvent.WriteTargetChanged) e).current())
        .containsExactly("db1", null, "db2");
    awaitOutOfReads(ds, "db2");
    for (int i = 0; i < 5; i++) {
      assertThat(readOnlyRead(ds)).isEqualTo("r2"); // the new primary takes no reads
    }

    // The old primary back stand-alone and writable, on the old timeline: fenced.
    primary.acceptConnections();
    await(() -> ds.snapshot().replicas().stream().anyMatch(n -> n.id().equals("db1") && n.reason() != null
        && n.reason().contains("fenced")), "db1 fenced");
    for (int i = 0; i < 5; i++) {
      autoCommitWrite(ds);
    }
    assertThat(updatesOn(r1)).isEqualTo(6);
    await(() -> events.stream().anyMatch(e -> e instanceof RoutingEvent.NodeFenced), "the fenced event"); // sent after the snapshot shows it
    assertThat(events).filteredOn(e -> e instanceof RoutingEvent.NodeFenced)
        .extracting(e -> ((RoutingEvent.NodeFenced) e).node()).containsExactly("db1");

    // Demoted and replicating again: a replica, taking reads, no restart.
    roles.put("primary", NodeRole.readOnly());
    await(() -> readsFrom(ds, "primary"), "db1 to take reads again");
    assertThat(ds.snapshot().writeTarget()).isEqualTo("db2");
  }

  @Test
  void aWriteTargetWhosePoolHangsStopsTakingWritesAfterTheCheckTimeout() throws Exception {
    roles.put("primary", NodeRole.writable().withTimeline(1));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
    // A pool that waits for a connection (as HikariCP does for its connectionTimeout) while hang is set.
    javax.sql.DataSource waiting = (javax.sql.DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {javax.sql.DataSource.class}, (p, m, args) -> {
          if (m.getName().equals("getConnection") && hang.get()) {
            release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            throw new SQLException("Connection is not available, request timed out", "08001");
          }
          try {
            return m.invoke(primary, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    RoutingDataSource ds = RoutingDataSource.builder()
        .node("db1", waiting).node("db2", r1).node("db3", r2)
        .dialect(dialect).healthCheckInterval(Duration.ofMillis(50)).healthCheckTimeout(Duration.ofMillis(200))
        .build();
    built.add(ds);
    try {
      awaitTarget(ds, "db1");
      hang.set(true);
      awaitTarget(ds, null);
      assertThatThrownBy(() -> autoCommitWrite(ds)).isInstanceOf(SQLException.class)
          .hasMessageStartingWith("Primary 'db1' of 'rota' unreachable since ")
          .hasMessageContaining("(no answer within 200 ms while taking a connection from its pool)");
    } finally {
      release.countDown();
    }
  }

  @Test
  void manualFailoverRefusesAllWritesWhileTwoNodesAreWritable() throws SQLException {
    roles.put("r1", NodeRole.writable().withTimeline(2));
    RoutingDataSource ds = build(RoutingDataSource.builder()
        .node("db1", primary).node("db2", r1).node("db3", r2)
        .dialect(dialect).failover(Failover.MANUAL).healthCheckInterval(Duration.ofMillis(50)));
    roles.put("primary", NodeRole.writable().withTimeline(1));
    await(() -> ds.snapshot().writesRefused() != null && ds.snapshot().writesRefused().contains("MANUAL"),
        "writes refused");
    assertThatThrownBy(() -> autoCommitWrite(ds)).isInstanceOf(SQLException.class)
        .hasMessage("Writes to 'rota' refused: 2 nodes are writable (db1 timeline 1, db2 timeline 2) and failover is"
            + " MANUAL; leave one writable (demote or stop the others)");
    assertThat(updatesOn(primary) + updatesOn(r1) + updatesOn(r2)).isZero();
    roles.remove("primary"); // the operator demotes db1
    awaitTarget(ds, "db2");
    autoCommitWrite(ds);
    assertThat(updatesOn(r1)).isEqualTo(1);
  }

  @Test
  void aPrimaryResolverChoosesAmongTheWritableNodes() throws SQLException {
    roles.put("primary", NodeRole.writable().withTimeline(1));
    roles.put("r1", NodeRole.writable().withTimeline(2)); // by timeline db2 would win; the resolver says db1
    RoutingDataSource ds = build(RoutingDataSource.builder()
        .node("db1", primary).node("db2", r1).node("db3", r2)
        .dialect(dialect).primaryResolver(writable -> writable.contains("db1") ? "db1" : null)
        .healthCheckInterval(Duration.ofMillis(50)));
    await(() -> "db1".equals(ds.snapshot().writeTarget()) && ds.snapshot().replica("db2") != null
        && ds.snapshot().replica("db2").reason() != null, "db1 chosen, db2 fenced");
    autoCommitWrite(ds);
    assertThat(updatesOn(primary)).isEqualTo(1);
    assertThat(updatesOn(r1)).isZero();
    assertThat(ds.snapshot().replica("db2").reason()).contains("fenced").contains("the PrimaryResolver names db1");
    roles.remove("primary"); // db1 demoted: the resolver names no node that is writable, so none takes writes
    awaitTarget(ds, null);
    assertThatThrownBy(() -> autoCommitWrite(ds)).isInstanceOf(SQLException.class)
        .hasMessage("Writes to 'rota' refused: the PrimaryResolver names no primary (writable: db2 timeline 2)");
  }

  @Test
  void nodeAndPrimaryCannotBeMixed() {
    assertThatThrownBy(() -> RoutingDataSource.builder().primary("p", primary).node("db1", r1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("node('db1', ...): this builder was given a fixed primary(...) or replica(...) already"
            + " (expected: either node(...) for every node, whose roles are then probed, or primary(...) and"
            + " replica(...), not both)");
    assertThatThrownBy(() -> RoutingDataSource.builder().node("db1", r1).replica("r2", r2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("replica('r2', ...): this builder was given nodes without fixed roles");
    assertThatThrownBy(() -> RoutingDataSource.builder().node("db1", r1).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("nodes: [db1] (expected: at least 2");
    assertThatThrownBy(() -> RoutingDataSource.builder().node("db1", r1).node("db1", r2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("node id: 'db1' (expected: unique");
    assertThatThrownBy(() -> RoutingDataSource.builder().primary(primary).replica("r1", r1)
        .failover(Failover.MANUAL).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("failover: MANUAL (expected: only with nodes");
  }
}
