package io.rota.spring.jpa;

import static io.rota.spring.jpa.JpaCluster.assertPrimary;
import static io.rota.spring.jpa.JpaCluster.assertReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The replica stops between two read-only JPA transactions, or inside one: the next read runs on the
 * primary (the re-run rule, then the fallback) or fails with Rota's message naming the replica and the
 * reason through Spring's exception translation, never Hibernate's "Unable to rollback"; the read
 * after it works; none costs more than the replica's connection timeout (1 s) and one check interval
 * (1 s), plus a margin for a loaded machine.
 */
@SpringBootTest(classes = JpaTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class ReplicaDiesIT extends ClusterTest {

  /** The replica's connection timeout (the starter's default) and one health-check interval. */
  private static final Duration BOUND = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofSeconds(1);

  @Autowired NoteService service;

  @BeforeEach
  void replicaServing() {
    assertReplica(cluster, service.readAll()[1], "a read before the replica stops");
  }

  @AfterEach
  void replicaBack() {
    if (!cluster.isRunning(JpaCluster.REPLICA)) {
      cluster.startReplica(JpaCluster.REPLICA);
    }
  }

  /** Runs a read-only transaction, asserting its duration; returns its port. */
  private int timedRead() {
    long t0 = System.nanoTime();
    try {
      return service.readAll()[1];
    } finally {
      assertReadTime(t0);
    }
  }

  private static void assertReadTime(long t0) {
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    System.out.println("ReplicaDiesIT: read took " + took.toMillis() + " ms");
    assertThat(took).as("a read after the replica stopped").isLessThan(BOUND.plus(MARGIN));
  }

  @Test
  void aReplicaStoppedBetweenTwoReadOnlyTransactionsCostsTheNextReadsAtMostTheBoundAndNoneFails() {
    cluster.stopReplica(JpaCluster.REPLICA);
    for (int i = 0; i < 4; i++) {
      assertPrimary(cluster, timedRead(), "read " + i + " after the replica stopped (fallback)");
    }
  }

  @Test
  void aReplicaStoppedInsideAReadOnlyTransactionFailsItWithRotasMessageAndTheNextTransactionWorks() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> service.readAround(() -> cluster.stopReplica(JpaCluster.REPLICA)))
        .isInstanceOf(DataAccessException.class)
        .satisfies(e -> assertThat(causeMessages(e)).as("cause chain of " + e)
            // the reason is the driver's: "An I/O error occurred ..." or "terminating connection due to
            // administrator command", by when the server's shutdown reaches the connection
            .containsPattern("Replica 'replica-1' of 'rota' failed: \\S")
            .doesNotContain("Unable to rollback"));
    assertReadTime(t0);
    assertPrimary(cluster, timedRead(), "the next read-only transaction (fallback)");
    assertPrimary(cluster, timedRead(), "and the one after");
  }

  private static String causeMessages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    }
    return b.toString();
  }
}
