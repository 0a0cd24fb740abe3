package io.rota.jdbc;

import io.rota.core.event.PoolEvent;
import org.jspecify.annotations.Nullable;

/**
 * Something that changed in a {@link RoutingDataSource}. Delivered to listeners registered with
 * {@link RoutingDataSource#addListener}, on the thread that noticed the change; listeners must be quick.
 */
public sealed interface RoutingEvent {

  /**
   * A change in the replica pool: a replica ejected, down (unreachable, lagging, promoted), back, or
   * its weight changed.
   *
   * @param event the pool event
   */
  record ReplicaPoolEvent(PoolEvent event) implements RoutingEvent {}

  /**
   * A node said it has another role than the one it is configured for: the primary is in recovery
   * (a replica, so writes are refused), or a replica was promoted (so it takes no more reads).
   * Also sent when the node is back in its configured role. For nodes without fixed roles
   * ({@link RoutingDataSourceBuilder#node}), {@code configured} is the role found before, and the
   * event is sent whenever a reachable node's role changes.
   *
   * @param node the node id
   * @param configured the role the node is configured for
   * @param observed the role the node reported
   */
  record RoleChanged(String node, RoutingSnapshot.Role configured, RoutingSnapshot.Role observed)
      implements RoutingEvent {}

  /**
   * The primary's health checks took it out (writes are refused at once, with the reason) or brought
   * it back.
   *
   * @param node the primary's id
   * @param down whether it is now down
   * @param reason why, in words
   */
  record PrimaryStateChanged(String node, boolean down, String reason) implements RoutingEvent {}

  /**
   * The node taking writes changed (nodes without fixed roles, {@link RoutingDataSourceBuilder#node}):
   * writes now go to {@code current}, or, when {@code current} is {@code null}, are refused (the
   * primary became unreachable or read-only with no other writable node, or several nodes are writable
   * and none may be chosen).
   *
   * @param previous the node that took writes before, or {@code null} if none did
   * @param current the node that takes writes now, or {@code null} if writes are refused
   * @param reason why, in words (for a refusal: the message writes fail with)
   */
  record WriteTargetChanged(@Nullable String previous,
      @Nullable String current, String reason) implements RoutingEvent {}

  /**
   * A node is writable but takes no writes: another writable node was chosen (or none could be), so
   * writes never reach both. Sent once when a node becomes fenced.
   *
   * @param node the fenced node
   * @param writeTarget the node that takes writes instead, or {@code null} if writes are refused
   * @param reason why it is fenced, in words
   */
  record NodeFenced(String node, @Nullable String writeTarget, String reason)
      implements RoutingEvent {}
}
