package io.rota.spring.jpa;

import static io.rota.spring.jpa.JpaCluster.assertPrimary;
import static io.rota.spring.jpa.JpaCluster.assertReplica;
import static org.assertj.core.api.Assertions.assertThat;

import io.rota.jdbc.RoutingDataSource;
import io.rota.testkit.PgCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.resource.jdbc.spi.PhysicalConnectionHandlingMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hibernate's connection handling modes ({@code spring.jpa.properties.hibernate.connection.handling_mode})
 * that keep a local transaction on one connection: a read-only transaction runs on the replica, a
 * read-write one, and one nested either way, on the node of its kind. Spring's {@code HibernateJpaDialect}
 * calls {@code Connection.setReadOnly(true)} only in the two {@code *_AND_HOLD} modes; the starter's
 * {@code ReadOnlyTransactionListener} routes {@code DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION}.
 * (The JTA modes {@code ..._RELEASE_AFTER_STATEMENT} and {@code ..._RELEASE_BEFORE_TRANSACTION_COMPLETION}
 * split a resource-local transaction over connections or lose its commit, with or without Rota: not
 * tested here.) Also with pools that hand out connections with auto-commit off. One cluster; one small
 * context per case, without a web server.
 */
class ConnectionHandlingModeIT {

  static PgCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = PgCluster.start(1);
  }

  @AfterAll
  static void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static ConfigurableApplicationContext start(String... extra) {
    List<String> props = new ArrayList<>(JpaCluster.properties(cluster));
    props.addAll(List.of(extra));
    return new SpringApplicationBuilder(JpaTestApplication.class).web(WebApplicationType.NONE)
        .properties(props.toArray(String[]::new)).run();
  }

  @ParameterizedTest
  @EnumSource(names = {"IMMEDIATE_ACQUISITION_AND_HOLD", "DELAYED_ACQUISITION_AND_HOLD",
      "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION"})
  void readOnlyTransactionsRunOnTheReplicaAndWritesOnThePrimary(PhysicalConnectionHandlingMode mode) {
    assertRouting(mode.toString(), "spring.jpa.properties.hibernate.connection.handling_mode=" + mode);
  }

  @Test
  void withBootsDefaultMode() {
    assertRouting("Boot's default");
  }

  /** Hikari {@code auto-commit=false} and {@code provider_disables_autocommit}: the replica's pool follows. */
  @ParameterizedTest
  @EnumSource(names = {"IMMEDIATE_ACQUISITION_AND_HOLD", "DELAYED_ACQUISITION_AND_HOLD"})
  void withConnectionsHandedOutWithAutoCommitOff(PhysicalConnectionHandlingMode mode) {
    assertRouting(mode + " + provider_disables_autocommit",
        "spring.jpa.properties.hibernate.connection.handling_mode=" + mode,
        "spring.datasource.hikari.auto-commit=false",
        "spring.jpa.properties.hibernate.connection.provider_disables_autocommit=true");
  }

  /**
   * The one set-up the starter cannot route and warns about at start-up: nothing touches the
   * connection while the transaction begins, and Spring never marks it read-only.
   */
  @Test
  void releaseAfterTransactionWithAutoCommitOffRunsReadOnlyTransactionsOnThePrimaryAsTheWarningSays() {
    try (ConfigurableApplicationContext ctx = start(
        "spring.jpa.properties.hibernate.connection.handling_mode=DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION",
        "spring.datasource.hikari.auto-commit=false", "spring.jpa.properties.hibernate.connection.provider_disables_autocommit=true")) {
      JpaCluster.awaitReplicaHealthy(ctx.getBean(RoutingDataSource.class));
      assertPrimary(cluster, ctx.getBean(NoteService.class).readAll()[1], "@Transactional(readOnly = true)");
    }
  }

  private static void assertRouting(String mode, String... properties) {
    try (ConfigurableApplicationContext ctx = start(properties)) {
      JpaCluster.awaitReplicaHealthy(ctx.getBean(RoutingDataSource.class));
      NoteService service = ctx.getBean(NoteService.class);
      String name = "mode-" + UUID.randomUUID();
      assertReplica(cluster, service.readAll()[1], mode + ": @Transactional(readOnly = true)");
      assertPrimary(cluster, service.save(name)[1], mode + ": @Transactional");
      int[] nested = service.readThenWriteRequiresNew(name);
      assertReplica(cluster, nested[0], mode + ": read-only outer");
      assertPrimary(cluster, nested[1], mode + ": read-write REQUIRES_NEW inside it");
      nested = service.writeThenReadOnlyRequiresNew(name);
      assertPrimary(cluster, nested[0], mode + ": read-write outer");
      assertReplica(cluster, nested[1], mode + ": read-only REQUIRES_NEW inside it");
      assertReplica(cluster, service.readAll()[1], mode + ": @Transactional(readOnly = true) again");
      assertThat(JpaCluster.countOn(cluster, PgCluster.PRIMARY, name)).isEqualTo(3);
    }
  }
}
