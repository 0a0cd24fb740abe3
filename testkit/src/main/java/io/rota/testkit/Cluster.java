package io.rota.testkit;

/**
 * What {@link PgCluster} and {@link MariaDbCluster} both offer: node {@link ClusterSupport#PRIMARY 0}
 * is the primary, nodes {@code 1..N} the replicas, each on its own loopback port.
 */
public interface Cluster extends AutoCloseable {

  /** The port node {@code node} listens on. */
  int port(int node);

  /** A JDBC URL for node {@code node}, for the application user. */
  String jdbcUrl(int node);

  /** Freezes node {@code node} with SIGSTOP: it keeps its port and connections and answers nothing. */
  void freeze(int node);

  /** Resumes a node frozen by {@link #freeze(int)}. */
  void thaw(int node);

  /** Stops every server and deletes the cluster's files. */
  @Override
  void close();
}
