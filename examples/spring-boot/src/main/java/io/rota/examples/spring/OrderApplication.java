package io.rota.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An order service on Spring Boot with a PostgreSQL primary and a streaming replica behind rota-spring:
 * writes run on the primary, {@code @Transactional(readOnly = true)} and {@code @ReadOnly} work on the
 * replica. Its own code knows nothing of Rota beyond one annotation; the routing comes from the
 * dependency and a few lines of {@code rota.jdbc.*} in {@code application.properties}.
 *
 * <p>Run from the repository root: {@code mvn -q -pl examples/spring-boot -am compile exec:java}.
 * With no servers given it starts its own primary and replica ({@link EmbeddedCluster}, not part of
 * the application); {@code --example.embedded-cluster=false} uses the servers in the properties.
 * Spring creates and uses it once, at start-up.
 */
@SpringBootApplication
public class OrderApplication {

  /** Not instantiated by hand: Spring creates the configuration. */
  public OrderApplication() {}

  /**
   * Starts the service.
   *
   * @param args Spring Boot arguments ({@code --server.port=8081}, ...) and {@code --smoke}
   */
  public static void main(String[] args) {
    SpringApplication.run(OrderApplication.class, args);
  }
}
