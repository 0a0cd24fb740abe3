package io.rota.examples.demo.view;

import io.rota.examples.demo.RunRecord.Event;
import io.rota.examples.demo.RunRecord.Fault;
import io.rota.examples.demo.RunRecord.Second;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the live dashboard shows at one moment: the latest second of the run, the recent events and
 * the faults running now. Immutable.
 *
 * @param title what runs, shown on the first line
 * @param elapsedMillis time since the workload started
 * @param totalMillis how long the run is planned to last (0 when open-ended)
 * @param latest the last complete second, or {@code null} before the first one ends
 * @param recentEvents the latest events, oldest first (the dashboard shows the last
 *     {@value ConsoleDashboard#FEED_LINES}; plain mode prints each once)
 * @param activeFaults the faults running now
 * @param lagLimitMillis the replicas' lag limit in milliseconds, or 0 when none is set; a lag above it
 *     is highlighted
 */
public record LiveView(
    String title,
    long elapsedMillis,
    long totalMillis,
    @Nullable Second latest,
    List<Event> recentEvents,
    List<Fault> activeFaults,
    long lagLimitMillis) {

  /**
   * Copies the lists.
   *
   * @throws IllegalArgumentException if a time or the lag limit is negative
   */
  public LiveView {
    if (elapsedMillis < 0) {
      throw new IllegalArgumentException("elapsedMillis: " + elapsedMillis + " (expected: >= 0)");
    }
    if (totalMillis < 0) {
      throw new IllegalArgumentException("totalMillis: " + totalMillis + " (expected: >= 0)");
    }
    if (lagLimitMillis < 0) {
      throw new IllegalArgumentException("lagLimitMillis: " + lagLimitMillis + " (expected: >= 0)");
    }
    recentEvents = List.copyOf(recentEvents);
    activeFaults = List.copyOf(activeFaults);
  }
}
