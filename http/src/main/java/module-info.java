/**
 * Rota HTTP: a load-balanced client over {@code java.net.http.HttpClient}, with retries on another
 * endpoint, a retry budget, health checks and TLS. Only {@code io.rota.http} is exported.
 */
module io.rota.http {
  requires transitive io.rota.core;
  requires transitive java.net.http;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires org.slf4j;
  requires static transitive org.jspecify;
  // Optional: only the Micrometer binder (the *Metrics class) uses it.
  requires static micrometer.core;

  exports io.rota.http;
}
