package io.rota.spring.actuate;

import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code rota} actuator endpoint ({@code /actuator/rota} once exposed): the routing snapshot of a
 * {@link RoutingDataSource} — every node's role, state, reason, lag and counters, the fallbacks to
 * the primary and the reads kept on it by read-your-writes. Read-only; shows no URLs or passwords.
 * Thread-safe.
 */
@Endpoint(id = "rota")
public final class RotaEndpoint {

  private final RoutingDataSource dataSource;

  /** Creates the endpoint of {@code dataSource}. */
  public RotaEndpoint(RoutingDataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Returns the routing snapshot as plain values. */
  @ReadOperation
  public Map<String, @Nullable Object> snapshot() {
    RoutingSnapshot s = dataSource.snapshot();
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("dialect", s.dialect());
    m.put("primary", RotaDetails.node(s.primary(), false));
    m.put("replicas", RotaDetails.replicas(s.replicas()));
    m.put("fallbacks", s.fallbacks());
    m.put("readYourWritesOnPrimary", s.readYourWritesOnPrimary());
    return m;
  }
}
