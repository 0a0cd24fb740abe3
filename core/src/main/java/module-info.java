/**
 * Rota core: endpoints, smooth weighted round-robin selection, health tracking and events. Only the
 * API packages are exported; {@code io.rota.core.internal} is not.
 */
module io.rota.core {
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.rota.core;
  exports io.rota.core.event;
  exports io.rota.core.spi;
}
