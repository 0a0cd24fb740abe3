package io.rota.spring;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.PropertyResolver;

/**
 * Finds the one Hibernate set-up under which read-only transactions silently run on the primary even
 * with {@link ReadOnlyTransactionListener}: a connection handling mode that does not hold the
 * connection (so Spring's {@code HibernateJpaDialect} never calls {@code setReadOnly(true)}) together
 * with {@code provider_disables_autocommit=true} (so Hibernate touches no connection while the
 * transaction begins: it begins for Rota at its first statement, after the listener's scope ended).
 * Stateless and thread-safe.
 */
final class HibernateSettingsCheck {

  static final String HANDLING_MODE = "spring.jpa.properties.hibernate.connection.handling_mode";
  static final String PROVIDER_DISABLES_AUTOCOMMIT =
      "spring.jpa.properties.hibernate.connection.provider_disables_autocommit";

  private static final Logger logger = LoggerFactory.getLogger(RotaJdbcAutoConfiguration.class);

  private HibernateSettingsCheck() {}

  /** Returns what is wrong and how to fix it, or {@code null} when read-only transactions route. */
  static @Nullable String problem(PropertyResolver env) {
    String mode = env.getProperty(HANDLING_MODE);
    String disables = env.getProperty(PROVIDER_DISABLES_AUTOCOMMIT);
    if (mode == null || disables == null || !Boolean.parseBoolean(disables.trim())) {
      return null;
    }
    if (mode.trim().toUpperCase(Locale.ROOT).endsWith("_AND_HOLD")) {
      return null;
    }
    return "rota.jdbc: " + HANDLING_MODE + "=" + mode.trim() + " with " + PROVIDER_DISABLES_AUTOCOMMIT
        + "=true sends @Transactional(readOnly = true) to the primary: in this mode Spring does not call"
        + " Connection.setReadOnly(true), and Hibernate begins the transaction only at its first statement."
        + " Use DELAYED_ACQUISITION_AND_HOLD (Boot's default: remove " + HANDLING_MODE
        + ") or DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION without " + PROVIDER_DISABLES_AUTOCOMMIT;
  }

  /** Logs {@link #problem} at WARN, once per call (the starter calls it once at start-up). */
  static void warnIfReadsGoToThePrimary(PropertyResolver env) {
    String problem = problem(env);
    if (problem != null) {
      logger.warn(problem);
    }
  }
}
