package io.rota.examples.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The demo's command line. {@link #parse} refuses a bad value with a message that names it and what
 * is allowed.
 *
 * @param duration how long the workload runs
 * @param threads workload threads
 * @param faults whether the fault schedule runs
 * @param database which database cluster to start
 * @param report where the HTML report is written
 * @param prometheusPort the port of a Prometheus scrape endpoint ({@code /metrics} on 127.0.0.1), or
 *     {@code null} for none
 * @param plain plain periodic lines even on a terminal
 * @param help whether {@code --help} was given (then nothing runs)
 */
public record DemoOptions(
    Duration duration,
    int threads,
    boolean faults,
    Database database,
    Path report,
    @Nullable Integer prometheusPort,
    boolean plain,
    boolean help) {

  /** The database family the demo runs on. */
  public enum Database {
    /** A PostgreSQL primary with two streaming replicas. */
    POSTGRES,
    /** A MariaDB primary with two GTID replicas. */
    MARIADB
  }

  /** The shortest run with faults: the schedule needs this long to show each fault and its recovery. */
  public static final Duration MIN_DURATION_WITH_FAULTS = Duration.ofSeconds(20);
  /** The shortest run without faults. */
  public static final Duration MIN_DURATION = Duration.ofSeconds(5);
  /** The longest run. */
  public static final Duration MAX_DURATION = Duration.ofHours(24);
  /** At most this many workload threads. */
  public static final int MAX_THREADS = 64;

  /** What {@code --help} prints. */
  public static final String USAGE = String.join("\n",
      "Rota demo: an order service on a real database cluster and four HTTP backends, balanced inside",
      "the application, broken on a schedule and watched live.",
      "",
      "usage: mvn -q -pl examples -am compile exec:java [-Dexec.args=\"OPTIONS\"]",
      "",
      "  --duration D       how long the workload runs: 60s (default), 90s, 5m, 1h; at least 20s with",
      "                     faults, 5s without",
      "  --threads N        workload threads, 1.." + MAX_THREADS + " (default 6)",
      "  --no-faults        run without the fault schedule",
      "  --db postgres|mariadb",
      "                     PostgreSQL primary + 2 streaming replicas (default), or MariaDB primary +",
      "                     2 GTID replicas",
      "  --report PATH      the HTML report (default target/rota-demo-report.html)",
      "  --prometheus PORT  serve the meters for Prometheus on http://127.0.0.1:PORT/metrics",
      "  --plain            plain lines instead of the live dashboard",
      "  --help             this text",
      "",
      "The exit status is 0 when every promise held (no write on a replica, no stale own read, no",
      "failed read or idempotent HTTP request while a node or backend could serve it, no POST resent),",
      "1 when one did not, 2 for bad options, 3 when a server could not start.");

  /** Parses the command line. */
  public static DemoOptions parse(String... args) {
    Duration duration = Duration.ofSeconds(60);
    int threads = 6;
    boolean faults = true;
    Database database = Database.POSTGRES;
    Path report = Path.of("target", "rota-demo-report.html");
    Integer prometheus = null;
    boolean plain = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--no-faults" -> faults = false;
        case "--plain" -> plain = true;
        case "--duration" -> {
          String v = inline != null ? inline : value(args, ++i, name);
          duration = duration(v);
        }
        case "--threads" -> {
          String v = inline != null ? inline : value(args, ++i, name);
          threads = intIn(name, v, 1, MAX_THREADS);
        }
        case "--db" -> {
          String v = inline != null ? inline : value(args, ++i, name);
          database = switch (v.toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql", "pg" -> Database.POSTGRES;
            case "mariadb", "maria" -> Database.MARIADB;
            default -> throw new IllegalArgumentException(
                "--db " + v + ": unknown database; allowed: postgres, mariadb");
          };
        }
        case "--report" -> {
          String v = inline != null ? inline : value(args, ++i, name);
          if (v.isBlank()) {
            throw new IllegalArgumentException("--report needs a file path");
          }
          report = Path.of(v);
        }
        case "--prometheus" -> {
          String v = inline != null ? inline : value(args, ++i, name);
          prometheus = intIn(name, v, 1, 65535);
        }
        default -> throw new IllegalArgumentException(
            "unknown option '" + arg + "'; allowed: --duration, --threads, --no-faults, --db, --report,"
                + " --prometheus, --plain, --help");
      }
    }
    Duration min = faults ? MIN_DURATION_WITH_FAULTS : MIN_DURATION;
    if (!help && (duration.compareTo(min) < 0 || duration.compareTo(MAX_DURATION) > 0)) {
      throw new IllegalArgumentException("--duration " + format(duration) + ": allowed " + format(min)
          + " to 24h" + (faults ? " (the fault schedule needs at least 20s; --no-faults allows 5s)" : ""));
    }
    return new DemoOptions(duration, threads, faults, database, report, prometheus, plain, help);
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static int intIn(String name, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " " + v + ": allowed a whole number from " + min + " to " + max);
  }

  /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 1m30s}, {@code 45} (seconds), or ISO-8601 {@code PT90S}. */
  static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("pt")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      if (s.matches("(\\d+h)?(\\d+m)?(\\d+s)?") && !s.isEmpty()) {
        return Duration.parse("PT" + s.toUpperCase(Locale.ROOT));
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new IllegalArgumentException("--duration " + v + ": not a duration; write it as 60s, 5m, 1h or 1m30s");
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s >= 60) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
