package io.rota.core.event;

/**
 * Receives {@link PoolEvent}s. A pool delivers its events in the order its changes were made and one
 * at a time (a listener is never called concurrently by the same pool), after the change is visible
 * to {@code select()} and outside any pool lock. Delivery happens on a thread that made a change (a
 * reporting caller, a health-check thread or the pool's scheduler), so a listener must be quick and
 * must not block. An exception it throws is logged at WARN and otherwise ignored.
 */
@FunctionalInterface
public interface PoolEventListener {

  /** Handles one event. */
  void onEvent(PoolEvent event);
}
