package io.rota.spring.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingDataSourceMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the routing data source's Micrometer meters ({@code rota.jdbc.*} and its
 * pools' {@code rota.pool.*}): a {@link RoutingDataSourceMetrics} binder bean, which Boot binds to
 * every {@link MeterRegistry} bean and which removes its meters when the context closes. Needs
 * Micrometer and Boot's metrics module ({@code spring-boot-micrometer-metrics}, in the actuator
 * starter).
 */
@AutoConfiguration(
    after = MetricsAutoConfiguration.class,
    afterName = RotaActuatorAutoConfiguration.JDBC_AUTO_CONFIGURATION)
@ConditionalOnClass({MeterRegistry.class, MetricsAutoConfiguration.class, RoutingDataSource.class})
@ConditionalOnBean(RoutingDataSource.class)
public final class RotaMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public RotaMetricsAutoConfiguration() {}

  /** Returns the binder of the routing data source's meters. */
  @Bean
  @ConditionalOnMissingBean
  RoutingDataSourceMetrics rotaRoutingDataSourceMetrics(RoutingDataSource dataSource) {
    return RoutingDataSourceMetrics.of(dataSource);
  }
}
