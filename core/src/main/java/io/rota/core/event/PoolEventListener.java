package io.rota.core.event;

/**
 * Receives {@link PoolEvent}s. Called on the thread that made the change (a reporting caller, a
 * health-check thread or the pool's scheduler), after the change is published and outside any lock;
 * it must be quick and must not block. An exception it throws is logged at WARN and otherwise ignored.
 */
@FunctionalInterface
public interface PoolEventListener {

  /** Handles one event. */
  void onEvent(PoolEvent event);
}
