package io.rota.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * What the {@link PgCluster} and {@link MariaDbCluster} test harnesses share: free ports, the cluster
 * directory under {@code target/} (locked while its cluster lives, reaped with its servers when its JVM
 * died), log tails for failure messages, and bounded polling.
 */
public final class ClusterSupport {

  /** Primary and replicas are node 0 and nodes 1..N in both harnesses. */
  public static final int PRIMARY = 0;
  static final int LOG_TAIL_LINES = 40;

  private static final int START_ATTEMPTS = 3;
  private static final String LOCK_FILE = "cluster.lock";

  private ClusterSupport() {}

  // ------------------------------------------------------------------ start / close

  /** A step that may fail with an {@link IOException}. */
  interface IoSupplier<T> {
    T get() throws IOException;
  }

  /**
   * Makes and starts a cluster; when the start fails because a port was taken meanwhile (the
   * failure's message passes {@code portTaken}), discards it and tries again with a new one, at most
   * three times in all.
   */
  static <C> C startRetrying(IoSupplier<C> make, Consumer<C> start, Consumer<C> discard, Predicate<String> portTaken) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      C cluster;
      try {
        cluster = make.get();
      } catch (IOException e) {
        throw new UncheckedIOException("could not prepare the cluster directory", e);
      }
      try {
        start.accept(cluster);
        return cluster;
      } catch (RuntimeException e) {
        discard.accept(cluster);
        last = e;
        if (!portTaken.test(String.valueOf(e.getMessage()))) {
          throw e;
        }
      }
    }
    throw last;
  }

  /** Runs {@code close}, printing instead of throwing what it fails with (for shutdown hooks and failed starts). */
  static void closeQuietly(Runnable close, String label) {
    try {
      close.run();
    } catch (RuntimeException e) {
      System.err.println(label + ": cleanup failed: " + e);
    }
  }

  /** Removes the hook, unless the JVM is already running it (close called from the hook itself). */
  static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // called from the hook itself
    }
  }

  /**
   * Makes a HikariCP pool that keeps no connection idle and does not fail when made while its node is
   * down, and adds it to {@code pools} (closed by {@link #closeAll}).
   */
  static HikariDataSource pool(HikariConfig config, List<HikariDataSource> pools) {
    config.setMinimumIdle(0);
    config.setInitializationFailTimeout(-1);
    HikariDataSource ds = new HikariDataSource(config);
    synchronized (pools) {
      pools.add(ds);
    }
    return ds;
  }

  /**
   * The end of a cluster's close: closes the pools, stops every node (replicas first, the primary last)
   * and unlocks and deletes the cluster directory (or keeps it, with {@code -D<keepProperty>=true}),
   * going on past failures. Throws the first failure, the others suppressed.
   */
  static void closeAll(List<HikariDataSource> pools, int nodes, IntConsumer stopNode, FileChannel lock, Path root,
      String keepProperty, String label) {
    RuntimeException failure = closePools(pools);
    for (int i = nodes - 1; i >= 0; i--) {
      try {
        stopNode.accept(i);
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    failure = release(lock, root, keepProperty, label, failure);
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException closePools(List<HikariDataSource> pools) {
    RuntimeException failure = null;
    synchronized (pools) {
      for (HikariDataSource pool : pools) {
        try {
          pool.close();
        } catch (RuntimeException e) {
          failure = addTo(failure, e);
        }
      }
      pools.clear();
    }
    return failure;
  }

  // ------------------------------------------------------------------ the cluster directory

  /**
   * A new cluster directory {@code target/<prefix><random>}, after removing the stale ones of
   * clusters whose JVM died without closing them; {@code endServersIn} ends the servers left running
   * in each node directory of a stale one first.
   */
  static Path newRoot(String prefix, String label, Consumer<Path> endServersIn) throws IOException {
    Path target = targetDirectory();
    reapStale(target, prefix, label, endServersIn);
    Path root = target.resolve(prefix + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(root);
    return root;
  }

  /** Locks the cluster directory for as long as the returned channel is open: {@link #reapStale} keeps off it. */
  static FileChannel lock(Path root) throws IOException {
    FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (channel.tryLock() == null) {
      channel.close();
      throw new IOException("could not lock " + root.resolve(LOCK_FILE));
    }
    return channel;
  }

  private static RuntimeException release(FileChannel lock, Path root, String keepProperty, String label,
      RuntimeException failure) {
    try {
      lock.close(); // releases the lock
    } catch (IOException e) {
      failure = addTo(failure, new UncheckedIOException(e));
    }
    try {
      if (Boolean.getBoolean(keepProperty)) {
        System.err.println(label + ": -D" + keepProperty + "=true, leaving " + root);
      } else {
        deleteRecursively(root);
      }
    } catch (IOException e) {
      failure = addTo(failure, new UncheckedIOException("could not delete " + root, e));
    }
    return failure;
  }

  /**
   * Removes the {@code <prefix>*} directories of clusters whose JVM died without closing them: their
   * lock is free. Their servers are ended first.
   */
  private static void reapStale(Path target, String prefix, String label, Consumer<Path> endServersIn) {
    if (!Files.isDirectory(target)) {
      return;
    }
    try (var dirs = Files.newDirectoryStream(target, prefix + "*")) {
      for (Path dir : dirs) {
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
          continue; // being created, or not ours
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
          FileLock lock = ch.tryLock();
          if (lock == null) {
            continue; // another JVM's live cluster
          }
          try (var nodeDirs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            nodeDirs.forEach(endServersIn);
          }
          lock.release();
        } catch (OverlappingFileLockException liveInThisJvm) {
          continue;
        }
        deleteRecursively(dir);
        System.err.println(label + ": removed stale " + dir);
      }
    } catch (IOException e) {
      System.err.println(label + ": could not clean stale clusters in " + target + ": " + e);
    }
  }

  /**
   * Ends a server that has no harness to stop it (its start failed half-way, or its JVM died) by the
   * pid in its pid file, if that process is a {@code command}: SIGTERM, and SIGKILL after {@code wait}.
   */
  static void killLeftover(Path pidFile, String command, Duration wait) {
    long pid;
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return;
    }
    ProcessHandle.of(pid)
        .filter(h -> h.info().command().map(cmd -> cmd.endsWith(command)).orElse(false))
        .ifPresent(h -> {
          h.destroy(); // SIGTERM
          try {
            h.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            h.destroyForcibly();
          }
        });
  }

  /**
   * Sends {@code signal} ({@code "-STOP"}, {@code "-CONT"}) to the processes with these pids with
   * {@code kill}; throws with kill's output if it fails for a reason other than a process that has
   * exited in the meantime (a backend that ended between the listing and the signal).
   */
  static void kill(String signal, List<Long> pids) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("kill", signal));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean exited = p.waitFor(10, TimeUnit.SECONDS);
    if (exited && p.exitValue() == 0) {
      return;
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (exited && onlyVanishedProcesses(output)) {
      return;
    }
    throw new IOException(String.join(" ", command) + " failed: " + (exited ? output : "no answer in 10 s"));
  }

  /** Whether every line of kill's output reports a process that no longer exists (ESRCH). */
  static boolean onlyVanishedProcesses(String killOutput) {
    return !killOutput.isBlank()
        && killOutput.lines().filter(l -> !l.isBlank()).allMatch(l -> l.contains("No such process"));
  }

  /** The system property that chooses where clusters keep their files; see {@link #targetDirectory()}. */
  public static final String DIRECTORY_PROPERTY = "rota.testkit.dir";

  /**
   * Where clusters keep their files: {@value #DIRECTORY_PROPERTY} if set; else {@code ${basedir}/target}
   * when a build tool set {@code basedir} (Surefire and Failsafe do); else the {@code target} directory
   * these classes were loaded from; else {@code ./target}.
   */
  static Path targetDirectory() {
    String configured = System.getProperty(DIRECTORY_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    String basedir = System.getProperty("basedir");
    if (basedir != null) {
      return Path.of(basedir).toAbsolutePath().resolve("target");
    }
    try {
      Path classes = Path.of(ClusterSupport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(classes) && classes.getParent() != null
          && classes.getParent().getFileName().toString().equals("target")) {
        return classes.getParent();
      }
    } catch (URISyntaxException | RuntimeException ignored) {
      // fall through
    }
    return Path.of("target").toAbsolutePath();
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE; // vanished meanwhile
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  // ------------------------------------------------------------------ nodes, ports, logs

  /** A node's name in file names and messages: {@code primary}, {@code replica1}, ... */
  static String nodeName(int node) {
    return node == PRIMARY ? "primary" : "replica" + node;
  }

  static void checkNode(int node, int replicaCount) {
    if (node < 0 || node > replicaCount) {
      throw new IllegalArgumentException("no node " + node + " (0 = primary, 1.." + replicaCount + " = replicas)");
    }
  }

  static void checkReplica(int i, int replicaCount) {
    if (i < 1 || i > replicaCount) {
      throw new IllegalArgumentException("no replica " + i + " (replicas are 1.." + replicaCount + ")");
    }
  }

  /** {@code count} distinct free TCP ports on 127.0.0.1. */
  static int[] freePorts(int count) throws IOException {
    // Hold all sockets open until every port is chosen, so the ports are distinct.
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  /**
   * A failure with the last {@value #LOG_TAIL_LINES} lines of the node's server log, and the last 10
   * of the primary's when {@code primaryLog} is given (the node is a replica).
   */
  static IllegalStateException failure(String message, Path log, Path primaryLog, Throwable cause) {
    StringBuilder sb = new StringBuilder(message)
        .append("\n--- ").append(log).append(" (last ").append(LOG_TAIL_LINES).append(" lines) ---\n")
        .append(tail(log, LOG_TAIL_LINES));
    if (primaryLog != null) {
      sb.append("\n--- ").append(primaryLog).append(" (last 10 lines) ---\n").append(tail(primaryLog, 10));
    }
    return new IllegalStateException(sb.toString(), cause);
  }

  /** The last {@code lines} lines of a log file (of its last 64 KiB), or why there are none. */
  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no log file)";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, 64 * 1024);
      byte[] buf = new byte[size];
      raf.seek(length - size);
      raf.readFully(buf);
      String[] all = new String(buf, StandardCharsets.UTF_8).split("\n", -1);
      int from = Math.max(0, all.length - lines - 1);
      return String.join("\n", Arrays.asList(all).subList(from, all.length)).stripTrailing();
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

  static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  /** The first column of the first row {@code sql} returns on {@code ds}, or null if none. */
  public static String queryString(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** {@code next} if {@code first} is null, else {@code first} with {@code next} suppressed. */
  private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** Bounded polling with a short, growing pause (1 ms up to 20 ms); no fixed sleeps. */
  static final class Deadline {
    private final long end;
    private long pauseMillis = 1;

    Deadline(Duration timeout) {
      this.end = System.nanoTime() + timeout.toNanos();
    }

    /** Sleeps a little and returns true, or returns false once the deadline has passed. */
    boolean sleepOrExpire() {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        Thread.sleep(Math.min(pauseMillis, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting", e);
      }
      pauseMillis = Math.min(20, pauseMillis * 2);
      return true;
    }
  }
}
