package io.rota.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.jdbc.Dialects;
import io.rota.jdbc.spi.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Dialects}: the built-in instances and detection from JDBC product names and versions. (Here,
 * beside the dialects, rather than as {@code io.rota.jdbc.DialectsTest}.)
 */
class BuiltInDialectTest {

  @Test
  void factoriesReturnTheSharedInstances() {
    assertThat(Dialects.postgres()).isSameAs(PostgresDialect.INSTANCE);
    assertThat(Dialects.mariadb()).isSameAs(MariaDbDialect.INSTANCE);
    assertThat(Dialects.mysql()).isSameAs(MySqlDialect.INSTANCE);
    assertThat(Dialects.postgres().name()).isEqualTo("PostgreSQL");
    assertThat(Dialects.mariadb().name()).isEqualTo("MariaDB");
    assertThat(Dialects.mysql().name()).isEqualTo("MySQL");
  }

  // Routing-level detection of the drivers' usual answers: io.rota.jdbc.MariaDbDialectDetectionTest.
  @ParameterizedTest
  @CsvSource({
      "MariaDB,    10.11.6-MariaDB-1:10.11.6+maria~deb12,  MariaDB",
      "MySQL,      10.6.18-MariaDB-log,                    MariaDB",    // MariaDB before MySQL: same product name
      "mariadb,    11.8.1-MariaDB,                         MariaDB",
      "MySQL,      8.0.36-0ubuntu0.22.04.1,                MySQL",
      "MySQL,      9.1.0,                                  MySQL",
      "MySQL,      '',                                     MySQL",      // version unknown
      "PostgreSQL, 16.4 (Debian 16.4-1.pgdg120+2),         PostgreSQL"})
  void detect_knownProducts(String product, String version, String dialect) {
    Dialect d = Dialects.detect(product, version);
    assertThat(d).isNotNull();
    assertThat(d.name()).isEqualTo(dialect);
  }

  @ParameterizedTest
  @CsvSource({"StubDB, 1.0", "H2, 2.2.224", "Oracle, 23.0", "'', ''"})
  void detect_unknownProducts(String product, String version) {
    assertThat(Dialects.detect(product, version)).isNull();
  }

  @Test
  void detect_null() {
    assertThatThrownBy(() -> Dialects.detect(null, "1")).isInstanceOf(NullPointerException.class)
        .hasMessage("productName");
    assertThatThrownBy(() -> Dialects.detect("MySQL", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("productVersion");
  }
}
