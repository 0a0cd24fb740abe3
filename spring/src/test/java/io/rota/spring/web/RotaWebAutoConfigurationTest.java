package io.rota.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.jdbc.RoutingDataSource;
import io.rota.spring.actuate.RotaActuatorAutoConfiguration;
import io.rota.spring.actuate.RotaEndpoint;
import io.rota.spring.actuate.RotaHealthIndicator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which beans the auto-configurations define, over a routing data source whose servers are absent. */
class RotaWebAutoConfigurationTest {

  private static final AutoConfigurations CONFIGS =
      AutoConfigurations.of(RotaWebAutoConfiguration.class, RotaActuatorAutoConfiguration.class);

  @Test
  void registersTheFilterInServletWebApplications() {
    new WebApplicationContextRunner().withConfiguration(CONFIGS).withUserConfiguration(Routing.class)
        .withPropertyValues("management.endpoints.web.exposure.include=rota")
        .run(c -> {
          assertThat(c).hasSingleBean(FilterRegistrationBean.class);
          FilterRegistrationBean<?> r = c.getBean(FilterRegistrationBean.class);
          assertThat(r.getFilter()).isInstanceOf(ReadYourWritesFilter.class);
          assertThat(((ReadYourWritesFilter) r.getFilter()).scope()).isEqualTo(ReadYourWritesFilter.Scope.REQUEST);
          assertThat(c).hasSingleBean(RotaHealthIndicator.class).hasSingleBean(RotaEndpoint.class);
        });
  }

  @Test
  void aPropertyTurnsTheFilterOffOrChangesItsScope() {
    WebApplicationContextRunner runner =
        new WebApplicationContextRunner().withConfiguration(CONFIGS).withUserConfiguration(Routing.class);
    runner.withPropertyValues("rota.web.read-your-writes-filter=false")
        .run(c -> assertThat(c).doesNotHaveBean(FilterRegistrationBean.class));
    runner.withPropertyValues("rota.web.read-your-writes-scope=session")
        .run(c -> assertThat(((ReadYourWritesFilter) c.getBean(FilterRegistrationBean.class).getFilter()).scope())
            .isEqualTo(ReadYourWritesFilter.Scope.SESSION));
    runner.withPropertyValues("rota.web.read-your-writes-scope=tenant")
        .run(c -> assertThat(c).hasFailed().getFailure().hasStackTraceContaining("rota.web.read-your-writes-scope"));
  }

  @Test
  void noFilterOutsideServletWebApplicationsAndNothingWithoutARoutingDataSource() {
    new ApplicationContextRunner().withConfiguration(CONFIGS).withUserConfiguration(Routing.class)
        .run(c -> assertThat(c).doesNotHaveBean(FilterRegistrationBean.class).hasSingleBean(RotaHealthIndicator.class));
    new WebApplicationContextRunner().withConfiguration(CONFIGS)
        .run(c -> assertThat(c).doesNotHaveBean(FilterRegistrationBean.class).doesNotHaveBean(RotaHealthIndicator.class)
            .doesNotHaveBean(RotaEndpoint.class));
  }

  @Test
  void theEndpointExistsOnlyWhenExposed() {
    new WebApplicationContextRunner().withConfiguration(CONFIGS).withUserConfiguration(Routing.class)
        .run(c -> assertThat(c).doesNotHaveBean(RotaEndpoint.class));
  }

  @Test
  void theHealthContributorCanBeTurnedOff() {
    new WebApplicationContextRunner().withConfiguration(CONFIGS).withUserConfiguration(Routing.class)
        .withPropertyValues("management.health.rota.enabled=false")
        .run(c -> assertThat(c).doesNotHaveBean(RotaHealthIndicator.class));
  }

  /** A routing data source over a port nothing listens on (its checks fail; no test uses a connection). */
  @Configuration(proxyBeanMethods = false)
  static class Routing {
    @Bean(destroyMethod = "close")
    RoutingDataSource routingDataSource() {
      PGSimpleDataSource nowhere = new PGSimpleDataSource();
      nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
      return RoutingDataSource.builder().primary("p", nowhere).replica("r", nowhere)
          .healthCheckInterval(Duration.ofSeconds(10)).build();
    }
  }
}
