/** Rota JDBC: a read/write-splitting DataSource over the pools the application already has. */
module io.rota.jdbc {
  requires transitive io.rota.core;
  requires transitive java.sql;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static transitive org.jspecify;
  // Optional: only the Micrometer binder (the *Metrics class) uses it.
  requires static micrometer.core;

  exports io.rota.jdbc;
  exports io.rota.jdbc.spi;
}
