package io.rota.spring.actuate;

import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import io.rota.core.EndpointState;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code rota} health contributor: the primary and each replica of a {@link RoutingDataSource}
 * with its role, state, reason and lag. The status is {@code DOWN} only while the primary is down; a
 * replica that is down is reported in the details and the status stays {@code UP}, since reads fall
 * back to the other replicas or the primary. No URLs or passwords are shown. It reads the data
 * source's snapshot and opens no connection. Thread-safe.
 */
public final class RotaHealthIndicator implements HealthIndicator {

  private final RoutingDataSource dataSource;

  /** Creates the indicator of {@code dataSource}. */
  public RotaHealthIndicator(RoutingDataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Returns the health: DOWN while the primary is down, else UP, with every node's details. */
  @Override
  public Health health() {
    RoutingSnapshot s = dataSource.snapshot();
    boolean primaryDown = s.primary().state() == EndpointState.DOWN;
    return (primaryDown ? Health.down() : Health.up())
        .withDetail("name", s.name())
        .withDetail("primary", RotaDetails.node(s.primary(), false))
        .withDetail("replicas", RotaDetails.replicas(s.replicas()))
        .build();
  }
}
