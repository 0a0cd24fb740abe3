package io.rota.spring.jpa;

import io.rota.jdbc.RoutingDataSource;
import io.rota.testkit.PgCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A {@code @SpringBootTest} class over one {@link PgCluster} (a primary and one replica) started for
 * the class and closed after it, with the application's properties pointing at it; each test begins
 * with the replica healthy in the starter's routing data source. Test classes run one at a time.
 */
abstract class ClusterTest {

  static PgCluster cluster;
  static final JpaCluster.Routings routings = new JpaCluster.Routings();

  @Autowired RoutingDataSource routing;

  @BeforeAll
  static void startCluster() {
    cluster = PgCluster.start(1);
  }

  @AfterAll
  static void closeCluster() {
    routings.close();
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    JpaCluster.register(registry, cluster);
  }

  @BeforeEach
  void replicaHealthy() {
    routings.add(routing);
    JpaCluster.awaitReplicaHealthy(routing);
  }
}
