package io.rota.jdbc;

import static io.rota.jdbc.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import io.rota.testkit.MariaDbCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Primary failover on a real MariaDB primary and two GTID replicas, nodes given without fixed roles:
 * the primary stops under a write and read load from 8 threads, replica 1 is promoted
 * ({@code STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only=0}), replica 2 follows it
 * ({@code CHANGE MASTER TO … MASTER_USE_GTID=slave_pos}); the old primary comes back writable (fenced:
 * the replicas follow the promoted node), then is demoted to follow it and takes reads again.
 */
class MariaDbPrimaryFailoverIT {

  @Test
  void writesFollowThePromotedReplicaAndTheOldPrimaryIsFencedThenAReplicaAgain() throws Exception {
    List<RoutingEvent> events = new CopyOnWriteArrayList<>();
    try (MariaDbCluster cluster = MariaDbCluster.start(2);
        RoutingDataSource ds = RoutingDataSource.builder()
            .name("failover")
            .node("m0", cluster.hikari(0))
            .node("m1", cluster.hikari(1))
            .node("m2", cluster.hikari(2))
            .healthCheckInterval(Duration.ofSeconds(1))
            .healthCheckTimeout(Duration.ofSeconds(1))
            .listener(events::add)
            .build()) {
      FailoverLoad.createTable(cluster.dataSource(0),
          "CREATE TABLE failover_rows (writer INT, seq INT, PRIMARY KEY (writer, seq))");
      cluster.awaitCaughtUp(Duration.ofSeconds(10));
      await("m0 takes writes and m1, m2 reads", () -> "m0".equals(ds.snapshot().writeTarget())
          && ds.snapshot().replicas().stream().allMatch(n -> n.role() == RoutingSnapshot.Role.REPLICA
              && n.state() == EndpointState.HEALTHY));

      FailoverLoad load = new FailoverLoad(ds, 8, "SELECT @@server_id",
          id -> "m" + MariaDbCluster.nodeOfServerId(id));
      try {
        await("commits on m0", () -> load.commitsOn("m0", 0) >= 50 && load.reads.get() >= 50);

        long stopped = System.nanoTime();
        cluster.stopPrimary();
        await("a write refused at once as the primary is gone", () -> load.writeFailures.stream()
            .anyMatch(f -> f.message().startsWith("Primary 'm0' of 'failover' unreachable since ")));
        long refusedAfter = load.writeFailures.stream()
            .filter(f -> f.message().startsWith("Primary 'm0' of 'failover' unreachable since "))
            .mapToLong(FailoverLoad.Failure::atNanos).min().getAsLong() - stopped;

        cluster.awaitReceivedApplied(1, Duration.ofSeconds(10)); // what an operator's promotion waits for
        cluster.promote(1);
        long promoted = System.nanoTime();
        cluster.replicateFrom(2, 1);
        await("a commit on the promoted m1", () -> load.firstCommitOn("m1", promoted) > 0);
        long resumedAfter = load.firstCommitOn("m1", promoted) - promoted;
        System.out.printf("MariaDbPrimaryFailoverIT: writes refused %d ms after the primary stopped; resumed on m1 %d"
            + " ms after the promotion%n", refusedAfter / 1_000_000, resumedAfter / 1_000_000);
        assertThat(Duration.ofNanos(resumedAfter)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        long resumed = System.nanoTime();
        await("commits on m1", () -> load.commitsOn("m1", resumed) >= 50);

        // The old primary comes back writable (read_only=0): m2 replicates from m1, so m1 keeps the writes.
        cluster.startPrimary();
        long restarted = System.nanoTime();
        await("m0 fenced", () -> ds.snapshot().replicas().stream().anyMatch(n -> n.id().equals("m0")
            && n.role() == RoutingSnapshot.Role.PRIMARY && n.reason() != null && n.reason().contains("fenced")));
        long fenced = System.nanoTime();
        await("more commits on m1", () -> load.commitsOn("m1", fenced) >= 50);
        assertThat(ds.snapshot().replica("m0").reason()).contains("replicate from");

        // Demoted, it follows m1 and becomes a replica again, taking reads, without a restart of Rota.
        cluster.replicateFrom(0, 1);
        await("m0 a healthy replica again", () -> {
          RoutingSnapshot.Node m0 = ds.snapshot().replica("m0");
          return m0 != null && m0.role() == RoutingSnapshot.Role.REPLICA && m0.state() == EndpointState.HEALTHY;
        });
        long demoted = System.nanoTime();
        await("reads on m0", () -> ds.snapshot().replica("m0").reads() > 0);
        load.close();

        assertThat(load.commits).allSatisfy(c -> assertThat(c.node()).isIn("m0", "m1"));
        assertThat(load.commits).filteredOn(c -> c.node().equals("m1")).allSatisfy(
            c -> assertThat(c.atNanos()).isGreaterThan(promoted));
        assertThat(load.commits).filteredOn(c -> c.node().equals("m0")).allSatisfy(
            c -> assertThat(c.atNanos()).isLessThan(restarted));
        assertThat(load.writeFailures).allSatisfy(f -> {
          assertThat(f.atNanos()).isGreaterThan(stopped); // none before the primary stopped
          assertThat(f.startedNanos()).isLessThan(resumed); // none began once writes had resumed
        });
        assertThat(load.readFailures).isEmpty();

        Set<String> rows = new HashSet<>();
        try (Connection c = cluster.dataSource(1).getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT writer, seq FROM failover_rows")) {
          while (rs.next()) {
            rows.add(rs.getInt(1) + "/" + rs.getInt(2));
          }
        }
        assertThat(load.commits).allSatisfy(c -> assertThat(rows).contains(c.writer() + "/" + c.seq()));
        assertThat(demoted).isGreaterThan(fenced);
        assertThat(ds.snapshot().writeTarget()).isEqualTo("m1");
        assertThat(events).filteredOn(e -> e instanceof RoutingEvent.WriteTargetChanged)
            .extracting(e -> ((RoutingEvent.WriteTargetChanged) e).current()).containsExactly("m0", null, "m1");
        assertThat(events).filteredOn(e -> e instanceof RoutingEvent.NodeFenced)
            .extracting(e -> ((RoutingEvent.NodeFenced) e).node()).containsExactly("m0");
      } finally {
        load.close();
      }
    }
  }
}
