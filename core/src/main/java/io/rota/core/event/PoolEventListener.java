package io.rota.core.event;

/**
 * Receives {@link PoolEvent}s. A pool delivers its events to each listener in the order its changes
 * were made and one at a time (a listener is never called concurrently by the same pool), after the
 * change is visible to {@code select()} and never while the pool holds its lock. By default delivery
 * runs on the pool's own daemon threads ({@code rota-<pool>-events-N}), so a slow listener delays
 * only its own events, not picks, reports or other listeners; with
 * {@link io.rota.core.EndpointPoolBuilder#eventExecutor} it runs where that executor says. An
 * exception a listener throws is logged at WARN (at most once a minute per listener) and otherwise
 * ignored.
 */
@FunctionalInterface
public interface PoolEventListener {

  /** Handles one event. */
  void onEvent(PoolEvent event);
}
