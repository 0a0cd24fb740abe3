package io.rota.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.EndpointState;
import io.rota.examples.JdbcExample.Order;
import io.rota.examples.JdbcExample.Result;
import io.rota.jdbc.RoutingSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link JdbcExample} once, on its real PostgreSQL primary and two replicas, and checks that
 * each call ran where the example says and that it stopped its servers.
 */
class JdbcExampleIT {

  private static Result result;
  private static String output;

  @BeforeAll
  static void runExample() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      result = JdbcExample.run(out);
    }
    output = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(output);
  }

  @Test
  void theWriteRunsOnThePrimary() {
    assertThat(result.write()).isEqualTo("primary");
    assertThat(result.snapshot().primary().writes()).isEqualTo(1);
    assertThat(output).contains("save(1, book):             primary");
  }

  @Test
  void readOnlyMethodAndSetReadOnlyReadOnReplicas() {
    assertThat(result.readOnlyMethod()).isIn("replica-1", "replica-2");
    assertThat(result.setReadOnly()).isIn("replica-1", "replica-2");
    assertThat(output).contains("@ReadOnly recent():        " + result.readOnlyMethod())
        .contains("setReadOnly(true) query:   " + result.setReadOnly());
  }

  @Test
  void theReadRightAfterTheWriteSeesIt() {
    assertThat(result.seenAfterWrite()).containsExactly(new Order(1, "book"));
    RoutingSnapshot s = result.snapshot();
    if (result.readAfterWrite().equals("primary")) {
      // Causal: no replica had replayed the write yet, so the read was kept on the primary.
      assertThat(s.readYourWritesOnPrimary()).isEqualTo(1);
    } else {
      assertThat(result.readAfterWrite()).isIn("replica-1", "replica-2");
      assertThat(s.readYourWritesOnPrimary()).isZero();
    }
    long replicaReads = s.replicas().stream().mapToLong(RoutingSnapshot.Node::reads).sum();
    assertThat(replicaReads).as("read-only connections routed to replicas")
        .isEqualTo(result.readAfterWrite().equals("primary") ? 2 : 3);
  }

  @Test
  void theSnapshotShowsEveryNodeInItsRole() {
    RoutingSnapshot s = result.snapshot();
    assertThat(s.dialect()).isEqualTo("PostgreSQL");
    assertThat(s.primary().role()).isEqualTo(RoutingSnapshot.Role.PRIMARY);
    assertThat(s.replicas()).extracting(RoutingSnapshot.Node::id).containsExactly("replica-1", "replica-2");
    assertThat(s.replicas()).allSatisfy(n -> {
      assertThat(n.role()).isEqualTo(RoutingSnapshot.Role.REPLICA);
      assertThat(n.state()).isEqualTo(EndpointState.HEALTHY);
    });
    assertThat(output).contains("snapshot of 'rota' (PostgreSQL)");
  }

  @Test
  void theExampleStopsItsServers() {
    // PgCluster.close() deletes the directory only after every server in it has stopped.
    assertThat(result.directory()).as("the cluster directory").isNotNull().doesNotExist();
  }
}
