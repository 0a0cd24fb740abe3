package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Abort and close return the node pool's slot, and the calls JDBC allows on an unbound connection
 * take none: a primary pool of 2 connections with a 2 s connection timeout shows a leaked slot at
 * the third acquire.
 */
class AbortAndCloseIT extends RealUseSupport {

  private HikariDataSource primary;
  private List<HikariDataSource> pools;

  @BeforeEach
  void build() {
    primary = cluster.hikari(0, config -> {
      config.setMaximumPoolSize(2);
      config.setConnectionTimeout(2_000);
    });
    HikariDataSource replica1 = cluster.hikari(1);
    HikariDataSource replica2 = cluster.hikari(2);
    pools = List.of(primary, replica1, replica2);
    ds = builder("abort-close", primary, replica1, replica2).build();
    ItSupport.awaitReplicasHealthy(ds);
  }

  private static int active(HikariDataSource pool) {
    return pool.getHikariPoolMXBean().getActiveConnections();
  }

  private int activeEverywhere() {
    return pools.stream().mapToInt(AbortAndCloseIT::active).sum();
  }

  /** The primary pool has every slot back, and a further connection and SELECT take under 2 s. */
  private void assertPrimarySlotsBack() throws SQLException {
    awaitWithin(Duration.ofSeconds(5), "the primary pool has no active connection", () -> active(primary) == 0);
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      assertThat(nodeOf(c)).isEqualTo("primary");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("getConnection + SELECT").isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void a1_abortingAConnectionAfterAStatement20TimesOnAPoolOf2LeaksNoSlot() throws SQLException {
    for (int i = 0; i < 20; i++) {
      Connection c = ds.getConnection();
      if (i % 2 == 0) {
        insert(c, unique("a1"));
      } else {
        assertThat(nodeOf(c)).isEqualTo("primary");
      }
      c.abort(Runnable::run);
      assertThat(c.isClosed()).as("aborted connection %d is closed", i).isTrue();
    }
    assertPrimarySlotsBack();
  }

  @Test
  void a2_closeAfterAStatementErrorReturnsTheSlot() throws SQLException {
    for (int i = 0; i < 5; i++) {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        assertThatThrownBy(() -> st.execute("SELEC 1")).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42601")); // syntax_error
      }
    }
    assertPrimarySlotsBack();
  }

  @Test
  void a2_isValidIsClosedUnwrapAndIsWrapperForOnAnUnboundConnectionAnswerAsJdbcSaysAndTakeNoConnection()
      throws SQLException {
    Connection c = ds.getConnection();
    try {
      assertThat(c.isValid(1)).as("isValid(1) of an open, unbound connection").isTrue();
      assertThat(c.isClosed()).isFalse();
      assertThat(c.unwrap(Connection.class)).isSameAs(c);
      assertThat(c.isWrapperFor(c.getClass())).as("isWrapperFor(its own type)").isTrue();
      assertThat(c.isWrapperFor(Connection.class)).isTrue();
      // Health checks borrow from the same pools for a moment; a connection bound by these calls
      // would stay taken until close, so the count must reach zero while c is still open.
      awaitWithin(Duration.ofSeconds(5), "no physical connection taken by isValid/isClosed/unwrap/isWrapperFor",
          () -> activeEverywhere() == 0);
    } finally {
      c.close();
    }
    assertThat(c.isValid(1)).as("isValid(1) after close").isFalse();
    assertThat(c.isClosed()).as("isClosed() after close").isTrue();
    awaitWithin(Duration.ofSeconds(5), "no physical connection taken after close", () -> activeEverywhere() == 0);
  }
}
