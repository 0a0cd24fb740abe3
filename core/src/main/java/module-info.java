/**
 * Rota core: endpoints, smooth weighted round-robin selection, health tracking and events. Only the
 * API packages are exported; {@code io.rota.core.internal} is not.
 */
@SuppressWarnings("module") // the qualified export names modules built after this one
module io.rota.core {
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
  requires org.slf4j;
  requires static transitive org.jspecify;
  // Optional: only the Micrometer binder (the *Metrics class) uses it.
  requires static micrometer.core;

  exports io.rota.core;
  exports io.rota.core.event;
  exports io.rota.core.spi;
  // Shared implementation helpers, for Rota's own modules only.
  exports io.rota.core.internal to io.rota.jdbc, io.rota.http;
}
