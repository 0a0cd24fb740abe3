package io.rota.jdbc.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MySQL replication with GTIDs ({@code gtid_mode=ON}). Role, lag: see {@link MySqlFamilyDialect}.
 *
 * <h2>Positions</h2>
 * A position is a MySQL GTID set: per source UUID (and tag, MySQL 8.3+), intervals of transaction
 * numbers, as in {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9,4f...:1-3} or
 * {@code uuid:1-5:tag1:1-3}. The primary's position and what a replica has applied are both
 * {@code @@global.gtid_executed}: GTIDs name the server that wrote them, so a replica's own
 * transactions cannot pass for the primary's. {@code replayed} covers {@code required} when
 * {@code required} is a subset of {@code replayed} ({@code GTID_SUBSET(required, replayed)}, or
 * {@code WAIT_FOR_EXECUTED_GTID_SET(required, 0)} succeeding), computed here without a round trip.
 * Without GTIDs ({@code gtid_mode=OFF}) there are no positions: lag comes from
 * {@code Seconds_Behind_Source} alone, and causal read-your-writes keeps the context on the primary.
 *
 * <p>Detected from the product name {@code MySQL} (MySQL Connector/J, or MariaDB Connector/J on a
 * MySQL server) unless the version names MariaDB. Thread-safe.
 */
public final class MySqlDialect extends MySqlFamilyDialect {

  /** The shared instance. */
  public static final MySqlDialect INSTANCE = new MySqlDialect();

  private MySqlDialect() {}

  @Override
  public String name() {
    return "MySQL";
  }

  @Override
  public boolean supports(String databaseProductName) {
    return lower(databaseProductName).equals("mysql");
  }

  @Override
  public boolean supports(String databaseProductName, String databaseProductVersion) {
    return supports(databaseProductName) && !lower(databaseProductVersion).contains("mariadb");
  }

  @Override
  String currentPositionQuery() {
    return "SELECT @@global.gtid_executed";
  }

  @Override
  String appliedPositionQuery() {
    return "SELECT @@global.gtid_executed";
  }

  @Override
  String receivedPositionColumn() {
    return "Retrieved_Gtid_Set";
  }

  @Override
  String statusLimitation() {
    return "user lacks REPLICATION CLIENT (MySQL): Seconds_Behind_Source and the applier state are not readable;"
        + " lag is estimated from GTID sets, and not at all with gtid_mode=OFF (grant it for exact lag and for"
        + " noticing a stopped SQL thread at once)";
  }

  @Override
  public boolean covers(String replayed, String required) {
    Map<String, List<long[]>> have = parseGtidSet(replayed);
    for (Map.Entry<String, List<long[]>> need : parseGtidSet(required).entrySet()) {
      List<long[]> intervals = have.get(need.getKey());
      if (intervals == null) {
        return false;
      }
      for (long[] n : need.getValue()) {
        if (!contains(intervals, n)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether one of the merged, sorted intervals holds all of {@code n}. */
  private static boolean contains(List<long[]> merged, long[] n) {
    int lo = 0;
    int hi = merged.size() - 1;
    while (lo <= hi) { // the last interval starting at or before n's start
      int mid = (lo + hi) >>> 1;
      if (merged.get(mid)[0] <= n[0]) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi >= 0 && merged.get(hi)[1] >= n[1];
  }

  /**
   * Parses a GTID set into merged, sorted, inclusive intervals per {@code uuid} or {@code uuid:tag}
   * (both lower case). Whitespace (MySQL puts a newline after each comma) is ignored.
   *
   * @throws IllegalArgumentException if it is not a GTID set
   */
  static Map<String, List<long[]>> parseGtidSet(String set) {
    Map<String, List<long[]>> intervals = new HashMap<>();
    for (String part : set.split(",")) {
      String entry = part.replaceAll("\\s", "");
      if (entry.isEmpty()) {
        continue;
      }
      String[] fields = entry.split(":", -1);
      String uuid = lower(fields[0]);
      if (fields.length < 2 || !isUuid(uuid)) {
        throw invalid(set);
      }
      String key = uuid;
      boolean sawInterval = false;
      for (int i = 1; i < fields.length; i++) {
        String f = fields[i];
        if (f.isEmpty()) {
          throw invalid(set);
        }
        if (Character.isDigit(f.charAt(0))) {
          intervals.computeIfAbsent(key, k -> new ArrayList<>()).add(interval(f, set));
          sawInterval = true;
        } else {
          if (i == fields.length - 1 || !f.chars().allMatch(c -> c == '_' || Character.isLetterOrDigit(c))) {
            throw invalid(set); // a tag must be followed by intervals
          }
          key = uuid + ":" + lower(f);
        }
      }
      if (!sawInterval) {
        throw invalid(set);
      }
    }
    for (List<long[]> list : intervals.values()) {
      merge(list);
    }
    return intervals;
  }

  private static long[] interval(String f, String set) {
    int dash = f.indexOf('-');
    try {
      long start = Long.parseLong(dash < 0 ? f : f.substring(0, dash));
      long end = dash < 0 ? start : Long.parseLong(f.substring(dash + 1));
      if (start < 1 || end < start) {
        throw invalid(set);
      }
      return new long[] {start, end};
    } catch (NumberFormatException e) {
      throw invalid(set);
    }
  }

  /** Sorts and merges overlapping and adjacent intervals in place. */
  private static void merge(List<long[]> list) {
    list.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] iv : list) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && iv[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], iv[1]);
      } else {
        merged.add(new long[] {iv[0], iv[1]});
      }
    }
    list.clear();
    list.addAll(merged);
  }

  private static boolean isUuid(String s) {
    String hex = s.replace("-", "");
    return hex.length() == 32 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static IllegalArgumentException invalid(String set) {
    return new IllegalArgumentException("GTID set: '" + set
        + "' (expected: uuid:interval[:interval...][,uuid:...], e.g. 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9)");
  }
}
