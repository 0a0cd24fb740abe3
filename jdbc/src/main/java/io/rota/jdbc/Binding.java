package io.rota.jdbc;

import io.rota.core.Endpoint;
import io.rota.core.Lease;
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
  /** The replica pool's lease on {@link #replica}, reported once when the binding is released. */
  final @Nullable Lease<DataSource> lease;
  /** The physical connection's auto-commit when the pool handed it out. */
  final boolean pooledAutoCommit;

  Binding(Connection connection, String nodeId, @Nullable Lease<DataSource> lease, boolean pooledAutoCommit) {
    this.connection = connection;
    this.nodeId = nodeId;
    this.replica = lease == null ? null : lease.endpoint();
    this.lease = lease;
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
