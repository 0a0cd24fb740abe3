package io.rota.spring;

import com.zaxxer.hikari.HikariConfig;
import io.rota.jdbc.ReadOnly;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingDataSourceBuilder;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Wraps the application's DataSource (Boot's, from {@code spring.datasource.*}, or the user's own bean)
 * in a {@link RoutingDataSource}, exposed as the {@code @Primary} DataSource, with replica pools built
 * from {@code rota.jdbc.replicas}; the pools are not beans, so nothing else (health, Flyway, Liquibase)
 * sees them. Also runs {@link ReadOnly @ReadOnly} bean methods in a read-only scope, outside the
 * transaction interceptor. Backs off when the application defines its own {@code RoutingDataSource} or
 * sets {@code rota.jdbc.enabled=false}. A {@link ReadOnlyTransactionListener} makes read-only Spring
 * transactions read-only for Rota whatever the transaction manager does with the connection.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnProperty(prefix = "rota.jdbc", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(RotaJdbcProperties.class)
public class RotaJdbcAutoConfiguration {

  /** The bean name of the routing data source. */
  public static final String BEAN_NAME = "rotaRoutingDataSource";

  /**
   * The order of the {@code @ReadOnly} advisor: ahead of (outside) the transaction interceptor, whose
   * order is {@link Ordered#LOWEST_PRECEDENCE} unless the application changes it.
   */
  public static final int READ_ONLY_ADVISOR_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

  /** Created by Spring. */
  public RotaJdbcAutoConfiguration() {}

  /**
   * The replica pools from {@code rota.jdbc.replicas}: not DataSource beans, so Boot's health
   * indicator, Flyway and Liquibase never see them. With a Hikari primary they take its auto-commit,
   * isolation, catalog and schema. Closed after the routing data source.
   *
   * @param beans the bean factory, to find the application's DataSource
   * @param properties the settings, validated here
   * @param primaryProperties {@code spring.datasource.*}: a replica with no username of its own uses
   *     the primary's username and password
   * @return the pools
   */
  @Bean
  @ConditionalOnMissingBean(RoutingDataSource.class)
  public RotaReplicaPools rotaReplicaPools(ListableBeanFactory beans, RotaJdbcProperties properties,
      ObjectProvider<DataSourceProperties> primaryProperties) {
    properties.validate();
    DataSource primaryPool = primary(beans);
    DataSourceProperties primary = primaryProperties.getIfAvailable();
    return new RotaReplicaPools(properties.getReplicas(), primaryPool instanceof HikariConfig h ? h : null,
        primary == null ? null : primary.determineUsername(), primary == null ? null : primary.determinePassword());
  }

  /**
   * The routing data source over the application's DataSource and the replica pools.
   *
   * @param beans the bean factory, to find the application's one other DataSource bean
   * @param properties the settings
   * @param pools the replica pools
   * @return the routing data source; closed on context shutdown, before the pools
   */
  @Bean(name = BEAN_NAME, destroyMethod = "close")
  @Primary
  @ConditionalOnMissingBean(RoutingDataSource.class)
  public RoutingDataSource rotaRoutingDataSource(ListableBeanFactory beans, RotaJdbcProperties properties,
      RotaReplicaPools pools) {
    RoutingDataSourceBuilder b = RoutingDataSource.builder().primary(primary(beans))
        .fallbackToPrimary(properties.isFallbackToPrimary())
        .readYourWrites(properties.mode());
    if (properties.getMaxReplicationLag() != null) {
      b.maxReplicationLag(properties.getMaxReplicationLag());
    }
    if (properties.getHealthCheckInterval() != null) {
      b.healthCheckInterval(properties.getHealthCheckInterval());
    }
    if (properties.getRise() != null) {
      b.rise(properties.getRise());
    }
    if (properties.getFall() != null) {
      b.fall(properties.getFall());
    }
    pools.forEach((id, pool, weight) -> b.replica(id, pool, weight));
    return b.build();
  }

  /**
   * The advisor that runs {@code @ReadOnly} methods (or every method of a {@code @ReadOnly} class) in a
   * read-only scope, ordered outside the transaction interceptor.
   *
   * @return the advisor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static Advisor rotaReadOnlyAdvisor() {
    ComposablePointcut pointcut = new ComposablePointcut(AnnotationMatchingPointcut.forClassAnnotation(ReadOnly.class))
        .union(AnnotationMatchingPointcut.forMethodAnnotation(ReadOnly.class));
    DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, new ReadOnlyMethodInterceptor());
    advisor.setOrder(READ_ONLY_ADVISOR_ORDER);
    return advisor;
  }

  /**
   * Begins new read-only transactions in a read-only scope, so that they run on a replica with every
   * Hibernate connection handling mode, not only those in which Spring calls
   * {@code Connection.setReadOnly(true)}. Boot applies it to the transaction manager it auto-configures.
   *
   * Logs a WARN at start-up if Hibernate is set up so that read-only transactions would still run on
   * the primary ({@code handling_mode} other than {@code *_AND_HOLD} with
   * {@code provider_disables_autocommit=true}), naming the properties and the fix.
   *
   * @param env the environment, for the Hibernate properties under {@code spring.jpa.properties}
   * @return the listener
   */
  @Bean
  @ConditionalOnMissingBean(ReadOnlyTransactionListener.class)
  public ReadOnlyTransactionListener rotaReadOnlyTransactionListener(Environment env) {
    HibernateSettingsCheck.warnIfReadsGoToThePrimary(env);
    return new ReadOnlyTransactionListener();
  }

  private static DataSource primary(ListableBeanFactory beans) {
    List<String> names = new ArrayList<>();
    for (String name : beans.getBeanNamesForType(DataSource.class, false, false)) {
      if (!name.equals(BEAN_NAME)) {
        names.add(name);
      }
    }
    if (names.size() != 1) {
      throw new IllegalStateException("rota.jdbc: expected exactly one DataSource bean to wrap as the primary, found "
          + names + " (define one, define your own RoutingDataSource bean, or set rota.jdbc.enabled=false)");
    }
    return beans.getBean(names.get(0), DataSource.class);
  }
}
