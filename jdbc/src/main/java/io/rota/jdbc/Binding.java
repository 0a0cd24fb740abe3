package io.rota.jdbc;

import io.rota.core.Endpoint;
import java.sql.Connection;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A physical connection a routing connection holds, and where it came from: the primary, or a
 * replica of the replica pool (whose outcome is reported when the binding is released).
 * Confined to the routing connection that holds it.
 */
final class Binding {

  final Connection connection;
  final String nodeId;
  /** The replica, or {@code null} on the primary. */
  final @Nullable Endpoint<DataSource> replica;
  /** From {@code EndpointPool.onStart}, for replicas. */
  final long startNanos;
  /** The physical connection's auto-commit when the pool handed it out. */
  final boolean pooledAutoCommit;

  Binding(Connection connection, String nodeId, @Nullable Endpoint<DataSource> replica, long startNanos,
      boolean pooledAutoCommit) {
    this.connection = connection;
    this.nodeId = nodeId;
    this.replica = replica;
    this.startNanos = startNanos;
    this.pooledAutoCommit = pooledAutoCommit;
  }

  boolean onReplica() {
    return replica != null;
  }

  @Override
  public String toString() {
    return (replica == null ? "primary " : "replica ") + nodeId;
  }
}
