package io.rota.jdbc.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * MariaDB replication with global transaction ids. Role, lag: see {@link MySqlFamilyDialect}.
 *
 * <h2>Positions</h2>
 * A position is a MariaDB GTID position: one {@code domain-server-sequence} per replication domain,
 * comma-separated ({@code 0-1-42,1-3-7}; empty when nothing was logged).
 * <ul>
 *   <li>The primary's position is {@code @@global.gtid_binlog_pos}: the last GTID it wrote to its
 *       binary log, per domain. Read right after a commit it includes that commit.
 *   <li>What a replica has applied is {@code @@global.gtid_slave_pos}: the last GTID its SQL thread
 *       applied from its primary, per domain. Not {@code @@gtid_current_pos}: that one also counts
 *       transactions the replica logged itself, which can carry sequence numbers the primary has not
 *       reached and would then pass for applied.
 *   <li>{@code replayed} covers {@code required} when, for every domain in {@code required},
 *       {@code replayed} has a sequence number at least as high: the rule of
 *       {@code MASTER_GTID_WAIT(required, 0)}, done here without a round trip. Sequence numbers grow
 *       within a domain whichever server wrote them (with {@code gtid_strict_mode}, as recommended),
 *       so the server id is not compared.
 * </ul>
 *
 * <p>Detected from the product name {@code MariaDB} (MariaDB Connector/J), or {@code MySQL} with a
 * version that names MariaDB ({@code 11.4.5-MariaDB-log}: MySQL Connector/J, or MariaDB Connector/J
 * with {@code useMysqlMetadata}). Thread-safe.
 */
public final class MariaDbDialect extends MySqlFamilyDialect {

  /** The shared instance. */
  public static final MariaDbDialect INSTANCE = new MariaDbDialect();

  private MariaDbDialect() {}

  @Override
  public String name() {
    return "MariaDB";
  }

  @Override
  public boolean supports(String databaseProductName) {
    return lower(databaseProductName).contains("mariadb");
  }

  @Override
  public boolean supports(String databaseProductName, String databaseProductVersion) {
    return supports(databaseProductName)
        || lower(databaseProductName).equals("mysql") && lower(databaseProductVersion).contains("mariadb");
  }

  @Override
  String currentPositionQuery() {
    return "SELECT @@global.gtid_binlog_pos";
  }

  @Override
  String appliedPositionQuery() {
    return "SELECT @@global.gtid_slave_pos";
  }

  @Override
  String receivedPositionColumn() {
    return "Gtid_IO_Pos";
  }

  @Override
  String statusLimitation() {
    return "user lacks REPLICA MONITOR (MariaDB 10.5+; REPLICATION CLIENT before): Seconds_Behind_Master and the"
        + " applier state are not readable; lag is estimated from GTID positions (grant it for exact lag and for"
        + " noticing a stopped SQL thread at once)";
  }

  @Override
  public boolean covers(String replayed, String required) {
    Map<Long, Long> have = parsePosition(replayed);
    for (Map.Entry<Long, Long> need : parsePosition(required).entrySet()) {
      Long seq = have.get(need.getKey());
      if (seq == null || Long.compareUnsigned(seq, need.getValue()) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a GTID position into the highest sequence number per domain.
   *
   * @throws IllegalArgumentException if it is not a comma-separated list of {@code domain-server-seq}
   */
  static Map<Long, Long> parsePosition(String position) {
    Map<Long, Long> seqByDomain = new HashMap<>();
    for (String part : position.split(",")) {
      String gtid = part.trim();
      if (gtid.isEmpty()) {
        continue;
      }
      String[] fields = gtid.split("-", -1);
      if (fields.length != 3) {
        throw invalid(position);
      }
      long domain;
      long seq;
      try {
        domain = Long.parseUnsignedLong(fields[0]);
        Long.parseUnsignedLong(fields[1]); // server id: validated, not compared
        seq = Long.parseUnsignedLong(fields[2]);
      } catch (NumberFormatException e) {
        throw invalid(position);
      }
      seqByDomain.merge(domain, seq, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }
    return seqByDomain;
  }

  private static IllegalArgumentException invalid(String position) {
    return new IllegalArgumentException("GTID position: '" + position
        + "' (expected: comma-separated domain-server-sequence, e.g. 0-1-42,1-3-7)");
  }
}
