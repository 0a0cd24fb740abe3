package io.rota.jdbc;

/**
 * What a routing data source built with {@link RoutingDataSourceBuilder#node node(...)} does when more
 * than one node is writable at once (an old primary back without having been demoted: split brain).
 * Either way writes follow a single writable node (a promoted replica once the old primary is gone),
 * and never go to two nodes.
 */
public enum Failover {
  /**
   * Writes go to the node Rota's rules choose: the newest timeline (PostgreSQL), else the node the
   * read-only nodes replicate from (MySQL family, where the grant allows reading it), else the node
   * that was taking writes already; the other writable nodes are fenced (no writes). When no rule
   * decides, all writes are refused until one node is left writable. The default.
   */
  AUTOMATIC,
  /**
   * While more than one node is writable, all writes are refused, until the operator leaves a single
   * writable node (demotes or stops the others). One writable node is still followed.
   */
  MANUAL
}
