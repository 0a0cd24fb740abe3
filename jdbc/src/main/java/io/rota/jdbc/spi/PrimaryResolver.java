package io.rota.jdbc.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The authority on which node takes writes, for a routing data source built with
 * {@code node(...)}: for example a client of Patroni's REST API ({@code GET /leader}), of the etcd or
 * Consul key its HA tool keeps the leader lease in, or a fixed tie-break of your own. When one is
 * given, Rota routes writes to the node it names, and only while that node's own probe finds it
 * writable: a node the resolver names that is read-only or unreachable takes no writes, and neither
 * does any other node. When none is given, Rota chooses by its own rules (see the README's "Primary
 * failover").
 *
 * <p>Called on a health-check thread after each node's probe (so about once per node per check
 * interval) and never on the path of a connection. It must be quick and bounded: a call that
 * blocks delays that node's next probe. Cache in the resolver if asking is costly. Implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface PrimaryResolver {

  /**
   * Returns the id of the node that may take writes now, or {@code null} if none may (writes are
   * then refused, naming this resolver). A thrown exception refuses writes too, with its message.
   *
   * @param writable the ids of the nodes whose last probe found them reachable and writable, in the
   *     order they were configured; possibly empty
   * @throws Exception if the authority cannot be asked
   */
  @Nullable String resolve(List<String> writable) throws Exception;
}
