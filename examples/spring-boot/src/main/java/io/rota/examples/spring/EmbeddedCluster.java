package io.rota.examples.spring;

import io.rota.testkit.PgCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Not part of the application: gives the example its own database servers, so that it runs on a
 * machine with nothing but a JDK and Maven. Before the context starts it starts a real PostgreSQL
 * primary and one streaming replica on 127.0.0.1 ({@link PgCluster}, from Maven dependencies) and
 * points {@code spring.datasource.*} and {@code rota.jdbc.replicas[0].url} at them, over whatever
 * {@code application.properties} says. The cluster is a bean, {@code embeddedPgCluster}, and is
 * stopped when the context closes (Ctrl-C included) or fails to start.
 *
 * <p>Off with {@value #ENABLED}{@code =false}: the application then uses the servers in its
 * properties. Registered in {@code META-INF/spring.factories}; an application of your own has neither
 * this class nor that file. Used once per context, at start-up; not meant to be shared between threads.
 */
public final class EmbeddedCluster implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  /** The property that turns the embedded cluster off; default {@code true}. */
  public static final String ENABLED = "example.embedded-cluster";

  /** The name of the cluster's bean. */
  public static final String BEAN_NAME = "embeddedPgCluster";

  private static final String PROPERTY_SOURCE = "rota-example-embedded-cluster";
  private static final Logger logger = LoggerFactory.getLogger(EmbeddedCluster.class);

  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public EmbeddedCluster() {}

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment env = context.getEnvironment();
    if (!env.getProperty(ENABLED, Boolean.class, true) || env.getPropertySources().contains(PROPERTY_SOURCE)) {
      return;
    }
    // zonky's per-server lines say nothing the cluster's own progress lines do not.
    LoggingSystem.get(EmbeddedCluster.class.getClassLoader()).setLogLevel("io.zonky.test", LogLevel.WARN);
    logger.info("Starting a PostgreSQL primary and a streaming replica on 127.0.0.1 ({}=false uses the servers "
        + "in application.properties instead)", ENABLED);
    PgCluster cluster = PgCluster.start(1, line -> logger.info("{}", line));
    Map<String, Object> servers = new LinkedHashMap<>();
    servers.put("spring.datasource.url", cluster.jdbcUrl(PgCluster.PRIMARY));
    servers.put("spring.datasource.username", PgCluster.APP_USER);
    servers.put("spring.datasource.password", PgCluster.APP_PASSWORD);
    // Boot binds a list from one place only: every rota.jdbc.replicas[0].* of application.properties
    // (the URL alone there) must be set here, or the others are lost.
    servers.put("rota.jdbc.replicas[0].url", cluster.jdbcUrl(1));
    env.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, servers));

    // Registered before any other bean, so destroyed after all of them: the pools close first.
    DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
    beans.registerSingleton(BEAN_NAME, cluster);
    beans.registerDisposableBean(BEAN_NAME, () -> {
      logger.info("Stopping the PostgreSQL primary and replica");
      cluster.close();
    });
  }
}
