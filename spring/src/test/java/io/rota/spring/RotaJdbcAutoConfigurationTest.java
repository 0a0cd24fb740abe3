package io.rota.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rota.jdbc.RoutingDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Back-off and start-up validation, without a database (nothing here connects). */
class RotaJdbcAutoConfigurationTest {

  private static HikariDataSource unusedPrimary() {
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/never-used");
    ds.setInitializationFailTimeout(-1);
    return ds;
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(RotaJdbcAutoConfiguration.class))
      .withBean("dataSource", DataSource.class, RotaJdbcAutoConfigurationTest::unusedPrimary);

  @Test
  void backsOffWhenDisabled() {
    runner.withPropertyValues("rota.jdbc.enabled=false").run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).doesNotHaveBean(RoutingDataSource.class);
      assertThat(ctx).doesNotHaveBean(RotaReplicaPools.class);
      assertThat(ctx.getBeansOfType(DataSource.class)).containsOnlyKeys("dataSource");
    });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnRoutingDataSource() {
    runner.withBean("mine", RoutingDataSource.class,
        () -> RoutingDataSource.builder().primary(unusedPrimary()).replica("r", unusedPrimary()).build(), d -> d.setDestroyMethodName("close"))
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBeansOfType(RoutingDataSource.class)).containsOnlyKeys("mine");
          assertThat(ctx).doesNotHaveBean(RotaReplicaPools.class);
        });
  }

  @Test
  void aBadReadYourWritesModeFailsStartUpNamingThePropertyAndTheAllowedValues() {
    runner.withPropertyValues("rota.jdbc.read-your-writes=sometimes").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("rota.jdbc.read-your-writes")
          .hasMessageContaining("'sometimes'").hasMessageContaining("off, window or causal");
    });
  }

  @Test
  void noReplicasFailsStartUpNamingTheProperty() {
    runner.run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("rota.jdbc.replicas: none");
    });
  }

  @Test
  void aBadReplicaWeightFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("rota.jdbc.replicas[0].url=jdbc:postgresql://127.0.0.1:1/x",
        "rota.jdbc.replicas[0].weight=-1").run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("rota.jdbc.replicas[0].weight: -1")
              .hasMessageContaining("expected: 0..10000");
        });
  }

  @Test
  void readOnlyTransactionsGetTheListenerAndReplicaPoolsThePrimaryPoolsConnectionDefaults() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RotaJdbcAutoConfiguration.class))
        .withBean("dataSource", DataSource.class, () -> {
      HikariDataSource ds = unusedPrimary();
      ds.setAutoCommit(false);
      ds.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
      ds.setSchema("app");
      return ds;
    }).withPropertyValues("rota.jdbc.replicas[0].url=jdbc:postgresql://127.0.0.1:1/x").run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).hasSingleBean(ReadOnlyTransactionListener.class);
      ctx.getBean(RotaReplicaPools.class).forEach((id, pool, weight) -> {
        assertThat(pool.isAutoCommit()).as(id + " auto-commit").isFalse();
        assertThat(pool.getTransactionIsolation()).isEqualTo("TRANSACTION_REPEATABLE_READ");
        assertThat(pool.getSchema()).isEqualTo("app");
      });
    });
  }

  @Test
  void hibernateSettingsCheck_releaseAfterTransactionWithProviderDisablesAutocommit() {
    org.springframework.mock.env.MockEnvironment env = new org.springframework.mock.env.MockEnvironment()
        .withProperty(HibernateSettingsCheck.HANDLING_MODE, "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION")
        .withProperty(HibernateSettingsCheck.PROVIDER_DISABLES_AUTOCOMMIT, "true");
    assertThat(HibernateSettingsCheck.problem(env))
        .contains("spring.jpa.properties.hibernate.connection.handling_mode=DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION")
        .contains("provider_disables_autocommit=true").contains("to the primary").contains("DELAYED_ACQUISITION_AND_HOLD");
    env.setProperty(HibernateSettingsCheck.HANDLING_MODE, "DELAYED_ACQUISITION_AND_HOLD");
    assertThat(HibernateSettingsCheck.problem(env)).as("a holding mode").isNull();
    env.setProperty(HibernateSettingsCheck.HANDLING_MODE, "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION");
    env.setProperty(HibernateSettingsCheck.PROVIDER_DISABLES_AUTOCOMMIT, "false");
    assertThat(HibernateSettingsCheck.problem(env)).as("auto-commit left to Hibernate").isNull();
    assertThat(HibernateSettingsCheck.problem(new org.springframework.mock.env.MockEnvironment())).as("Boot's defaults").isNull();
  }

  @Test
  void passwordsNeverAppearInToString() {
    RotaJdbcProperties p = new RotaJdbcProperties();
    RotaJdbcProperties.Replica r = new RotaJdbcProperties.Replica();
    r.setUrl("jdbc:postgresql://h/db");
    r.setPassword("s3cret-pw");
    p.getReplicas().add(r);
    assertThat(p.toString()).doesNotContain("s3cret-pw").contains("****");
  }

  private static final String REPLICA_URL = "rota.jdbc.replicas[0].url=jdbc:postgresql://127.0.0.1:1/x";

  @Test
  void furtherHikariSettingsOfAReplicaReachItsPool() {
    runner.withPropertyValues(REPLICA_URL, "rota.jdbc.replicas[0].hikari.idle-timeout=123000",
        "rota.jdbc.replicas[0].hikari.data-source-properties.ssl=true").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          ctx.getBean(RotaReplicaPools.class).forEach((id, pool, weight) -> {
            assertThat(pool.getIdleTimeout()).isEqualTo(123_000);
            assertThat(pool.getDataSourceProperties()).containsEntry("ssl", "true");
            assertThat(pool.getConnectionTimeout()).as("the replica default").isEqualTo(1_000);
          });
        });
  }

  @Test
  void aHikariSettingThatDoesNotExistFailsStartUpNamingIt() {
    runner.withPropertyValues(REPLICA_URL, "rota.jdbc.replicas[0].hikari.idle-timout=1000").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).hasStackTraceContaining("rota.jdbc.replicas[0].hikari")
          .hasStackTraceContaining("idle-timout").hasStackTraceContaining("spring.datasource.hikari.*");
    });
  }

  @Test
  void credentialsInTheHikariMapAreRefusedForTheReplicasOwnSettings() {
    runner.withPropertyValues(REPLICA_URL, "rota.jdbc.replicas[0].hikari.password=pw").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("rota.jdbc.replicas[0].hikari.password")
          .hasMessageContaining(".password");
    });
  }

  @Test
  void aPasswordInAReplicaUrlNeverAppearsInToString() {
    RotaJdbcProperties.Replica r = new RotaJdbcProperties.Replica();
    r.setUrl("jdbc:postgresql://h/db?user=app&password=url-secret");
    assertThat(r.toString()).doesNotContain("url-secret").contains("password=***");
  }
}
