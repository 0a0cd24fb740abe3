package io.rota.jdbc;

import static io.rota.jdbc.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rota.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Primary failover on a real PostgreSQL primary and two streaming replicas, nodes given without
 * fixed roles: the primary stops under a write and read load from 8 threads, replica 1 is promoted
 * with {@code pg_promote()}, replica 2 is re-pointed to it; then the old primary comes back
 * stand-alone and writable, on its old timeline.
 */
class PgPrimaryFailoverIT {

  @Test
  void writesFollowThePromotedReplicaAndTheOldPrimaryIsFenced() throws Exception {
    List<RoutingEvent> events = new CopyOnWriteArrayList<>();
    try (PgCluster cluster = PgCluster.start(2);
        RoutingDataSource ds = RoutingDataSource.builder()
            .name("failover")
            .node("pg0", cluster.hikari(0, PgPrimaryFailoverIT::pool))
            .node("pg1", cluster.hikari(1, PgPrimaryFailoverIT::pool))
            .node("pg2", cluster.hikari(2, PgPrimaryFailoverIT::pool))
            .healthCheckInterval(Duration.ofSeconds(1))
            .healthCheckTimeout(Duration.ofSeconds(1))
            .listener(events::add)
            .build()) {
      FailoverLoad.createTable(cluster.dataSource(0),
          "CREATE TABLE failover_rows (writer int, seq int, PRIMARY KEY (writer, seq))");
      await("pg0 takes writes and pg1, pg2 reads", () -> "pg0".equals(ds.snapshot().writeTarget())
          && ds.snapshot().replicas().stream().allMatch(n -> n.role() == RoutingSnapshot.Role.REPLICA
              && n.state() == io.rota.core.EndpointState.HEALTHY));
      assertThat(ds.snapshot().primary().role()).isEqualTo(RoutingSnapshot.Role.PRIMARY);

      FailoverLoad load = new FailoverLoad(ds, 8, "SELECT inet_server_port()", port -> "pg" + cluster.nodeOfPort(port));
      try {
        await("commits on pg0", () -> load.commitsOn("pg0", 0) >= 50 && load.reads.get() >= 50);

        long stopped = System.nanoTime();
        cluster.stopPrimary();
        await("a write refused at once as the primary is gone", () -> load.writeFailures.stream()
            .anyMatch(f -> f.message().startsWith("Primary 'pg0' of 'failover' unreachable since ")));
        long refusedAfter = load.writeFailures.stream()
            .filter(f -> f.message().startsWith("Primary 'pg0' of 'failover' unreachable since "))
            .mapToLong(FailoverLoad.Failure::atNanos).min().getAsLong() - stopped;

        cluster.promote(1);
        long promoted = System.nanoTime();
        cluster.repointReplica(2, 1);
        await("a commit on the promoted pg1", () -> load.firstCommitOn("pg1", promoted) > 0);
        long resumedAfter = load.firstCommitOn("pg1", promoted) - promoted;
        System.out.printf("PgPrimaryFailoverIT: writes refused %d ms after the primary stopped; resumed on pg1 %d ms after"
            + " pg_promote() returned%n", refusedAfter / 1_000_000, resumedAfter / 1_000_000);
        assertThat(Duration.ofNanos(resumedAfter)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        long resumed = System.nanoTime();
        await("commits on pg1", () -> load.commitsOn("pg1", resumed) >= 50);

        // The old primary comes back on its own, writable, on timeline 1 (pg1 is on timeline 2).
        cluster.startPrimary();
        long restarted = System.nanoTime();
        await("pg0 fenced", () -> ds.snapshot().replicas().stream().anyMatch(n -> n.id().equals("pg0")
            && n.role() == RoutingSnapshot.Role.PRIMARY && n.reason() != null && n.reason().contains("fenced")));
        long fenced = System.nanoTime();
        await("more commits on pg1", () -> load.commitsOn("pg1", fenced) >= 50);
        load.close();

        // No write reached a read-only node or the fenced one; the gap's failures all name pg0.
        assertThat(load.commits).allSatisfy(c -> assertThat(c.node()).isIn("pg0", "pg1"));
        assertThat(load.commits).filteredOn(c -> c.node().equals("pg1")).allSatisfy(
            c -> assertThat(c.atNanos()).isGreaterThan(promoted));
        assertThat(load.commits).filteredOn(c -> c.node().equals("pg0")).allSatisfy(
            c -> assertThat(c.atNanos()).isLessThan(restarted));
        // Writes fail only in the gap (one routed just before the refusals began fails when its pool
        // gives up waiting for a connection, a little after writes resumed).
        assertThat(load.writeFailures).allSatisfy(f -> {
          assertThat(f.atNanos()).isGreaterThan(stopped); // none before the primary stopped
          assertThat(f.startedNanos()).isLessThan(resumed); // none began once writes had resumed
        });
        // Each names pg0, or is the database's own error for a transaction in flight as it stopped.
        assertThat(load.writeFailures).allSatisfy(f -> assertThat(f.message()).satisfiesAnyOf(
            m -> assertThat(m).contains("pg0"),
            m -> assertThat(m).contains("terminating connection due to administrator command")));
        assertThat(load.readFailures).isEmpty();

        // Every committed row is on the new primary.
        Set<String> onNewPrimary = rows(cluster, 1);
        assertThat(load.commits).allSatisfy(c -> assertThat(onNewPrimary).contains(c.writer() + "/" + c.seq()));
        // Every row on the old primary is one it committed before it stopped: a recorded commit, or a
        // write in flight as it stopped whose commit failed on the client (its outcome was unknown).
        Set<String> possible = new HashSet<>();
        load.commits.stream().filter(c -> c.node().equals("pg0")).forEach(c -> possible.add(c.writer() + "/" + c.seq()));
        load.writeFailures.stream().filter(f -> f.startedNanos() < stopped).forEach(f -> possible.add(f.row()));
        assertThat(rows(cluster, 0)).as("rows on the fenced old primary").isSubsetOf(possible);

        RoutingSnapshot s = ds.snapshot();
        assertThat(s.writeTarget()).isEqualTo("pg1");
        assertThat(s.primary().id()).isEqualTo("pg1");
        assertThat(s.replica("pg2").role()).isEqualTo(RoutingSnapshot.Role.REPLICA);
        assertThat(s.replica("pg0").reason()).contains("fenced").contains("timeline 1").contains("timeline 2");
        assertThat(events).filteredOn(e -> e instanceof RoutingEvent.WriteTargetChanged)
            .extracting(e -> ((RoutingEvent.WriteTargetChanged) e).current()).containsExactly("pg0", null, "pg1");
        assertThat(events).filteredOn(e -> e instanceof RoutingEvent.NodeFenced)
            .extracting(e -> ((RoutingEvent.NodeFenced) e).node()).containsExactly("pg0");
      } finally {
        load.close();
      }
    }
  }

  /**
   * Up to 10 connections. The pool waits 2 s for a connection from a dead server: longer than the
   * check timeout, which is what then takes the primary out.
   */
  static void pool(com.zaxxer.hikari.HikariConfig c) {
    c.setMaximumPoolSize(10);
  }

  private static Set<String> rows(PgCluster cluster, int node) throws SQLException {
    Set<String> rows = new HashSet<>();
    try (Connection c = cluster.dataSource(node).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT writer, seq FROM failover_rows")) {
      while (rs.next()) {
        rows.add(rs.getInt(1) + "/" + rs.getInt(2));
      }
    }
    return rows;
  }
}
