package io.rota.spring.actuate;

import io.rota.jdbc.RoutingDataSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code rota} health contributor ({@code management.health.rota.enabled})
 * and the {@code rota} actuator endpoint, for the application's {@link RoutingDataSource} bean. Each
 * backs off when its Boot module is absent or the user defines their own bean.
 */
@AutoConfiguration(afterName = RotaActuatorAutoConfiguration.JDBC_AUTO_CONFIGURATION)
@ConditionalOnClass(RoutingDataSource.class)
public final class RotaActuatorAutoConfiguration {

  /** The auto-configuration that defines the routing data source. */
  static final String JDBC_AUTO_CONFIGURATION = "io.rota.spring.RotaJdbcAutoConfiguration";

  /** Creates the auto-configuration; Spring calls it. */
  public RotaActuatorAutoConfiguration() {}

  /** The health contributor, when {@code spring-boot-health} is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnBean(RoutingDataSource.class)
  @ConditionalOnEnabledHealthIndicator("rota")
  static final class Health {

    /** Returns the {@code rota} health contributor (named after the bean, less its suffix). */
    @Bean
    @ConditionalOnMissingBean(name = "rotaHealthIndicator")
    RotaHealthIndicator rotaHealthIndicator(RoutingDataSource dataSource) {
      return new RotaHealthIndicator(dataSource);
    }
  }

  /** The endpoint, when the actuator is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
  @ConditionalOnBean(RoutingDataSource.class)
  @ConditionalOnAvailableEndpoint(RotaEndpoint.class)
  static final class EndpointConfiguration {

    /** Returns the {@code rota} endpoint. */
    @Bean
    @ConditionalOnMissingBean
    RotaEndpoint rotaEndpoint(RoutingDataSource dataSource) {
      return new RotaEndpoint(dataSource);
    }
  }
}
