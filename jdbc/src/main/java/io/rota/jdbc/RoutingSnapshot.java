package io.rota.jdbc;

import io.rota.core.EndpointState;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a {@link RoutingDataSource}: every node with its role, state and counters.
 *
 * <p>With nodes without fixed roles ({@link RoutingDataSourceBuilder#node}), {@code primary} is the
 * node that takes writes now (or, while writes are refused, the last one that did, {@code DOWN}, with
 * why in its reason), and {@code replicas} are all the other nodes, each with the role its last
 * probe found: a fenced node shows as role {@code PRIMARY}, state {@code DOWN}, and why in its reason.
 *
 * @param name the data source name
 * @param dialect the dialect in use, or {@code null} while not yet detected
 * @param primary the primary node
 * @param replicas the replica nodes, in the order they were configured
 * @param fallbacks read-only connections that went to the primary because no replica was usable
 * @param readYourWritesOnPrimary read-only connections kept on the primary by read-your-writes
 * @param writeTarget the node that takes writes now, or {@code null} while writes are refused
 * @param writesRefused why writes are refused now (the message they fail with), or {@code null} while
 *     a node takes them
 */
public record RoutingSnapshot(
    String name,
    @Nullable String dialect,
    Node primary,
    List<Node> replicas,
    long fallbacks,
    long readYourWritesOnPrimary,
    @Nullable String writeTarget,
    @Nullable String writesRefused) {

  /** Creates a snapshot; the list is copied. */
  public RoutingSnapshot {
    replicas = List.copyOf(replicas);
  }

  /**
   * Creates a snapshot as before failover existed: the write target is the primary while its state is
   * {@code HEALTHY}, else writes are refused for its {@link Node#reason()}.
   */
  public RoutingSnapshot(String name, @Nullable String dialect, Node primary, List<Node> replicas, long fallbacks,
      long readYourWritesOnPrimary) {
    this(name, dialect, primary, replicas, fallbacks, readYourWritesOnPrimary,
        primary.state() == EndpointState.HEALTHY ? primary.id() : null,
        primary.state() == EndpointState.HEALTHY ? null : primary.reason());
  }

  /** Returns the replica with that id, or {@code null}. */
  public @Nullable Node replica(String id) {
    for (Node n : replicas) {
      if (n.id().equals(id)) {
        return n;
      }
    }
    return null;
  }

  /**
   * One node.
   *
   * @param id the node id
   * @param role what the node said it is at the last check (for nodes without fixed roles: what its
   *     last role probe found)
   * @param state for replicas, the health state in the replica pool; for the primary, {@code HEALTHY}
   *     while reachable and in the primary role, else {@code DOWN}
   * @param weight the configured weight (replicas; 0 for the primary)
   * @param reads read-only connections routed to the node
   * @param writes read-write connections routed to the node (primary only)
   * @param failures connections to the node that failed
   * @param ejections for replicas, how many times in a row the replica pool has ejected it (0 once
   *     it recovers); 0 for the primary
   * @param lag the replication lag at the last check, or {@code null} if unknown (or the primary)
   * @param position the log position replayed (replica) or written (primary) at the last check
   * @param inFlight connections routed to the node and not yet returned (replicas; 0 for the primary)
   * @param reason why the node takes no work now (its last failed check, an ejection, its lag), or
   *     {@code null} while it is usable
   */
  public record Node(
      String id,
      Role role,
      EndpointState state,
      int weight,
      long reads,
      long writes,
      long failures,
      int ejections,
      @Nullable Duration lag,
      @Nullable String position,
      int inFlight,
      @Nullable String reason) {}

  /** What a node says it is. */
  public enum Role {
    /** Accepts writes. */
    PRIMARY,
    /** Replays another node's log; read-only. */
    REPLICA,
    /** Not checked yet, or unreachable at the last check. */
    UNKNOWN
  }
}
