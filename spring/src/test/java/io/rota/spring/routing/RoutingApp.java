package io.rota.spring.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Boot application the routing ITs run, configured by properties alone as a user's would be:
 * {@code spring.datasource.*} for the primary and one line for the replica. JPA is on the test class
 * path for io.rota.spring.jpa; this application has no entities and means the JDBC set-up
 * (DataSourceTransactionManager), so Boot's Hibernate and Spring Data JPA stay off.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
    "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
class RoutingApp {

  /** The property naming the query that answers the server's port ({@link Queries#POSTGRES_PORT}, ...). */
  static final String PORT_QUERY = "routing-it.port-query";

  @Bean
  Queries queries(JdbcTemplate jdbc, @Value("${" + PORT_QUERY + "}") String portQuery) {
    return new Queries(jdbc, portQuery);
  }

  @Bean
  Outer outer(Queries queries) {
    return new Outer(queries);
  }

  /**
   * Starts the application over a primary and one replica.
   *
   * @param more further properties (schema set-up)
   * @param args command-line arguments, which win over the module's test application.properties
   */
  static ConfigurableApplicationContext start(String portQuery, String primaryUrl, String replicaUrl, String username,
      String password, Map<String, Object> more, String... args) {
    Map<String, Object> properties = new HashMap<>(more);
    properties.put(PORT_QUERY, portQuery);
    properties.put("spring.datasource.url", primaryUrl);
    properties.put("spring.datasource.username", username);
    properties.put("spring.datasource.password", password);
    properties.put("rota.jdbc.replicas[0].url", replicaUrl);
    properties.put("rota.jdbc.health-check-interval", "200ms");
    return new SpringApplicationBuilder(RoutingApp.class).web(WebApplicationType.NONE).properties(properties).run(args);
  }

  /** Counts the notes with this body through {@code ds}, past Rota. */
  static int rows(DataSource ds, String body) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM notes WHERE body = ?")) {
      ps.setString(1, body);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
