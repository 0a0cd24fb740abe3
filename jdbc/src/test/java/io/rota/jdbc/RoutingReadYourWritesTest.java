package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read-your-writes, time-window mode: after a committed write, the context reads from the primary. */
class RoutingReadYourWritesTest extends RoutingTestSupport {

  private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopOtherThread() throws InterruptedException {
    otherThread.shutdownNow();
    otherThread.awaitTermination(10, TimeUnit.SECONDS);
  }

  private RoutingDataSource routingWithWindow() {
    return build(builder().readYourWrites(ReadYourWrites.window(Duration.ofMinutes(5))));
  }

  private String readOnlyReadOnOtherThread(RoutingDataSource ds, Object contextKey) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return contextKey == null ? readOnlyRead(ds) : RoutingDataSource.inContext(contextKey, () -> readOnlyRead(ds));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, otherThread).get(10, TimeUnit.SECONDS);
  }

  @Test
  void afterAWriteTheSameThreadReadsFromThePrimaryAndOtherContextsFromAReplica() throws Exception {
    RoutingDataSource ds = routingWithWindow();
    assertThat(readOnlyRead(ds)).as("before any write").isIn("r1", "r2");

    autoCommitWrite(ds);

    assertThat(readOnlyRead(ds)).isEqualTo("primary");
    assertThat(readOnlyRead(ds)).isEqualTo("primary");
    assertThat(ds.snapshot().readYourWritesOnPrimary()).isEqualTo(2);
    assertThat(ds.snapshot().fallbacks()).isZero();
    assertThat(primary.work().get(1).readOnly).as("read kept on the primary is still read-only").isTrue();
    assertThat(RoutingDataSource.inContext("user-2", () -> readOnlyRead(ds))).isIn("r1", "r2");
    assertThat(readOnlyReadOnOtherThread(ds, null)).isIn("r1", "r2");
    assertThat(ds.snapshot().readYourWritesOnPrimary()).isEqualTo(2);
  }

  @Test
  void aWriteCommittedInAKeyedContextKeepsThatKeysReadsOnThePrimaryOnAnyThread() throws Exception {
    RoutingDataSource ds = routingWithWindow();

    RoutingDataSource.inContext("user-1", () -> {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        write(c);
        assertThat(RoutingDataSource.inContext("user-1", () -> readOnlyRead(ds)))
            .as("not committed yet").isIn("r1", "r2");
        c.commit();
      }
      return null;
    });

    assertThat(RoutingDataSource.inContext("user-1", () -> readOnlyRead(ds))).isEqualTo("primary");
    assertThat(readOnlyReadOnOtherThread(ds, "user-1")).isEqualTo("primary");
    assertThat(RoutingDataSource.inContext("user-2", () -> readOnlyRead(ds))).isIn("r1", "r2");
    assertThat(readOnlyRead(ds)).as("this thread without a key is another context").isIn("r1", "r2");
    assertThat(ds.snapshot().readYourWritesOnPrimary()).isEqualTo(2);
  }

  @Test
  void aCommitBySwitchingAutoCommitOnCountsAsAWrite() throws SQLException {
    RoutingDataSource ds = routingWithWindow();

    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      write(c);
      c.setAutoCommit(true);
    }

    assertThat(readOnlyRead(ds)).isEqualTo("primary");
  }

  @Test
  void aRolledBackWriteIsNotAWrite() throws SQLException {
    RoutingDataSource ds = routingWithWindow();

    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      write(c);
      c.rollback();
    }

    assertThat(readOnlyRead(ds)).isIn("r1", "r2");
    assertThat(ds.snapshot().readYourWritesOnPrimary()).isZero();
  }

  @Test
  void aSelectOnThePrimaryIsNotAWrite() throws SQLException {
    RoutingDataSource ds = routingWithWindow();

    assertThat(plainRead(ds)).isEqualTo("primary");

    assertThat(readOnlyRead(ds)).isIn("r1", "r2");
  }

  @Test
  void withReadYourWritesOffAReadRightAfterAWriteGoesToAReplica() throws SQLException {
    RoutingDataSource ds = routing();

    autoCommitWrite(ds);

    assertThat(readOnlyRead(ds)).isIn("r1", "r2");
    assertThat(ds.snapshot().readYourWritesOnPrimary()).isZero();
  }
}
