package io.rota.jdbc.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a role probe ({@link Dialect#probeRole}) found on one node: whether it takes writes now, and
 * what helps choose between two nodes that both do.
 *
 * <ul>
 *   <li>{@link #timeline()}: PostgreSQL's timeline id of a writable node (it grows by one at every
 *       promotion, so the node promoted last has the highest); {@code -1} where the database has none
 *       or it could not be read.
 *   <li>{@link #serverId()}: the node's own replication identity (MySQL family {@code @@server_id}),
 *       or {@code null}.
 *   <li>{@link #sourceServerId()}: for a node that replicates, the {@code serverId} of the node it
 *       replicates from ({@code Master_Server_Id}; needs the grant to read replica status), or
 *       {@code null} if unknown.
 * </ul>
 *
 * <p>Immutable and thread-safe. Create one with {@link #writable()} or {@link #readOnly()} and the
 * {@code with…} methods.
 */
public final class NodeRole {

  private static final NodeRole WRITABLE = new NodeRole(true, -1, null, null);
  private static final NodeRole READ_ONLY = new NodeRole(false, -1, null, null);

  private final boolean writable;
  private final long timeline;
  private final @Nullable String serverId;
  private final @Nullable String sourceServerId;

  private NodeRole(boolean writable, long timeline, @Nullable String serverId, @Nullable String sourceServerId) {
    this.writable = writable;
    this.timeline = timeline;
    this.serverId = serverId;
    this.sourceServerId = sourceServerId;
  }

  /** Returns a role that takes writes, with nothing else known. */
  public static NodeRole writable() {
    return WRITABLE;
  }

  /** Returns a read-only role (a replica, or a server set read-only), with nothing else known. */
  public static NodeRole readOnly() {
    return READ_ONLY;
  }

  /**
   * Returns this role with the given timeline.
   *
   * @throws IllegalArgumentException if {@code timeline} is below -1
   */
  public NodeRole withTimeline(long timeline) {
    if (timeline < -1) {
      throw new IllegalArgumentException("timeline: " + timeline + " (expected: >= 0, or -1 for unknown)");
    }
    return timeline == this.timeline ? this : new NodeRole(writable, timeline, serverId, sourceServerId);
  }

  /** Returns this role with the given server id ({@code null} for unknown). */
  public NodeRole withServerId(@Nullable String serverId) {
    return Objects.equals(serverId, this.serverId) ? this : new NodeRole(writable, timeline, serverId, sourceServerId);
  }

  /** Returns this role with the server id of the node it replicates from ({@code null} for unknown). */
  public NodeRole withSourceServerId(@Nullable String sourceServerId) {
    return Objects.equals(sourceServerId, this.sourceServerId) ? this
        : new NodeRole(writable, timeline, serverId, sourceServerId);
  }

  /** Returns whether the node takes writes now. */
  public boolean isWritable() {
    return writable;
  }

  /** Returns the timeline of a writable PostgreSQL node, or {@code -1} if unknown or not applicable. */
  public long timeline() {
    return timeline;
  }

  /** Returns the node's replication identity (MySQL family {@code @@server_id}), or {@code null}. */
  public @Nullable String serverId() {
    return serverId;
  }

  /** Returns the server id of the node this one replicates from, or {@code null} if unknown. */
  public @Nullable String sourceServerId() {
    return sourceServerId;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof NodeRole r && r.writable == writable && r.timeline == timeline
        && Objects.equals(r.serverId, serverId) && Objects.equals(r.sourceServerId, sourceServerId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(writable, timeline, serverId, sourceServerId);
  }

  @Override
  public String toString() {
    return (writable ? "writable" : "read-only") + (timeline >= 0 ? ", timeline " + timeline : "")
        + (serverId != null ? ", server id " + serverId : "")
        + (sourceServerId != null ? ", replicates from server id " + sourceServerId : "");
  }
}
