package io.rota.spring.web;

import io.rota.jdbc.RoutingDataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Registers the {@link ReadYourWritesFilter} in servlet web applications that have a
 * {@link RoutingDataSource} bean, for every request, early in the chain; turned off by
 * {@code rota.web.read-your-writes-filter=false}.
 */
@AutoConfiguration(afterName = "io.rota.spring.RotaJdbcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class, RoutingDataSource.class})
@ConditionalOnBean(RoutingDataSource.class)
@ConditionalOnBooleanProperty(name = "rota.web.read-your-writes-filter", matchIfMissing = true)
@EnableConfigurationProperties(RotaWebProperties.class)
public final class RotaWebAutoConfiguration {

  /** The filter's order: early, so that the request's work runs inside its context. */
  public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  /** Creates the auto-configuration; Spring calls it. */
  public RotaWebAutoConfiguration() {}

  /** Returns the filter's registration. */
  @Bean
  FilterRegistrationBean<ReadYourWritesFilter> rotaReadYourWritesFilter(RotaWebProperties properties) {
    FilterRegistrationBean<ReadYourWritesFilter> r =
        new FilterRegistrationBean<>(new ReadYourWritesFilter(properties.getReadYourWritesScope()));
    r.setOrder(FILTER_ORDER);
    return r;
  }
}
