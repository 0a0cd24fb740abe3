package io.rota.jdbc;

import io.rota.testkit.PgCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves the {@link PgCluster} harness: real streaming replication, lag on demand, restarts, promotion. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgClusterIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(10);

    private static PgCluster cluster;

    @BeforeAll
    static void startCluster() throws SQLException {
        cluster = PgCluster.start(2);
        exec(cluster.primaryDataSource(), "CREATE TABLE items (id text PRIMARY KEY)");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void nodesAreWhatTheySayAndInetServerPortTellsThemApart() throws SQLException {
        assertThat(queryInt(cluster.primaryDataSource(), "SELECT inet_server_port()")).isEqualTo(cluster.port(PgCluster.PRIMARY));
        assertThat(queryBool(cluster.primaryDataSource(), "SELECT pg_is_in_recovery()")).isFalse();
        for (int i = 1; i <= 2; i++) {
            assertThat(queryInt(cluster.replicaDataSource(i), "SELECT inet_server_port()")).isEqualTo(cluster.port(i));
            assertThat(queryBool(cluster.replicaDataSource(i), "SELECT pg_is_in_recovery()")).isTrue();
            try (var hikari = cluster.hikari(i)) {
                assertThat(queryInt(hikari, "SELECT inet_server_port()")).isEqualTo(cluster.port(i));
            }
        }
        assertThat(queryInt(cluster.hikari(PgCluster.PRIMARY), "SELECT inet_server_port()")).isEqualTo(cluster.port(PgCluster.PRIMARY));
        assertThat(cluster.jdbcUrl(1)).contains("127.0.0.1:" + cluster.port(1));
        assertThat(cluster.directory()).isDirectory();
        assertThat(cluster.directory().getFileName().toString()).startsWith("pg-");
        assertThat(cluster.directory().getParent().getFileName().toString()).isEqualTo("target");
    }

    @Test
    @Order(2)
    void applicationPasswordIsChecked() {
        var ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(cluster.jdbcUrl(PgCluster.PRIMARY));
        ds.setUser(PgCluster.APP_USER);
        ds.setPassword("wrong");
        assertThatThrownBy(ds::getConnection)
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("28P01"); // invalid_password
    }

    @Test
    @Order(3)
    void rowWrittenOnPrimaryIsVisibleOnBothReplicas() throws SQLException {
        String id = insertOnPrimary();
        for (int i = 1; i <= 2; i++) {
            cluster.awaitReplicaCaughtUp(i, CATCH_UP);
            assertThat(exists(cluster.replicaDataSource(i), id)).as("replica %d has the row", i).isTrue();
        }
    }

    @Test
    @Order(4)
    void replicasRejectWrites() {
        for (int i = 1; i <= 2; i++) {
            DataSource replica = cluster.replicaDataSource(i);
            assertThatThrownBy(() -> exec(replica, "INSERT INTO items VALUES ('x')"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("25006"); // read_only_sql_transaction
        }
    }

    @Test
    @Order(5)
    void pausedReplayMakesReplicaLagUntilResumed() throws SQLException {
        cluster.pauseReplay(1);
        try {
            String id = insertOnPrimary();
            cluster.awaitReplicaCaughtUp(2, CATCH_UP);
            assertThat(exists(cluster.replicaDataSource(2), id)).as("running replica has the row").isTrue();
            assertThat(exists(cluster.replicaDataSource(1), id)).as("paused replica misses the row").isFalse();
            assertThatThrownBy(() -> cluster.awaitReplicaCaughtUp(1, Duration.ofMillis(300)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not catch up")
                    .hasMessageContaining("paused");

            cluster.resumeReplay(1);
            cluster.awaitReplicaCaughtUp(1, CATCH_UP);
            assertThat(exists(cluster.replicaDataSource(1), id)).as("resumed replica has the row").isTrue();
        } finally {
            cluster.resumeReplay(1);
        }
    }

    @Test
    @Order(6)
    void stoppedReplicaComesBackReplicating() throws SQLException {
        cluster.stopReplica(2);
        assertThat(cluster.isRunning(2)).isFalse();
        assertThatThrownBy(() -> queryInt(cluster.replicaDataSource(2), "SELECT 1")).isInstanceOf(SQLException.class);
        String missed = insertOnPrimary();

        cluster.startReplica(2);
        String after = insertOnPrimary();
        cluster.awaitReplicaCaughtUp(2, CATCH_UP);
        assertThat(queryInt(cluster.replicaDataSource(2), "SELECT inet_server_port()")).isEqualTo(cluster.port(2));
        assertThat(queryBool(cluster.replicaDataSource(2), "SELECT pg_is_in_recovery()")).isTrue();
        assertThat(exists(cluster.replicaDataSource(2), missed)).as("row written while it was down").isTrue();
        assertThat(exists(cluster.replicaDataSource(2), after)).as("row written after restart").isTrue();
    }

    @Test
    @Order(7)
    void restartedPrimaryKeepsReplicasStreaming() throws SQLException {
        cluster.stopPrimary();
        assertThatThrownBy(() -> queryInt(cluster.primaryDataSource(), "SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(queryBool(cluster.replicaDataSource(1), "SELECT pg_is_in_recovery()")).as("replica serves reads meanwhile").isTrue();

        cluster.startPrimary();
        String id = insertOnPrimary();
        for (int i = 1; i <= 2; i++) {
            cluster.awaitReplicaCaughtUp(i, CATCH_UP);
            assertThat(exists(cluster.replicaDataSource(i), id)).as("replica %d after primary restart", i).isTrue();
        }
    }

    @Test
    @Order(8)
    void promotedReplicaAcceptsWrites() throws SQLException {
        cluster.promote(1);
        assertThat(queryBool(cluster.replicaDataSource(1), "SELECT pg_is_in_recovery()")).isFalse();
        exec(cluster.replicaDataSource(1), "INSERT INTO items VALUES ('written-on-promoted')");
        assertThat(exists(cluster.replicaDataSource(1), "written-on-promoted")).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private static String insertOnPrimary() throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = cluster.primaryDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        return id;
    }

    private static boolean exists(DataSource ds, String id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static void exec(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int queryInt(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean queryBool(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
