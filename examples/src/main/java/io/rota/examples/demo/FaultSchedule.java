package io.rota.examples.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Faults on a schedule: each is a window with an action at its start and one at its end, written for
 * a {@link #BASE} run and scaled to the run's length. One thread runs the actions in time order and
 * announces each start and end as an event; a failed action is announced too and the schedule goes
 * on. Thread-safe.
 */
final class FaultSchedule implements AutoCloseable {

  /** The length the windows are written for; a longer or shorter run stretches them. */
  static final Duration BASE = Duration.ofSeconds(60);

  /** Something a fault does. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /** Where announcements go: {@code (atMillis, text)}. */
  @FunctionalInterface
  interface Announcer {
    void announce(long atMillis, String text);
  }

  /**
   * One fault window.
   *
   * @param name what happens, e.g. "b returns 503"
   * @param target the endpoint or node it hits
   * @param fromSecond start, in seconds of the {@link #BASE} run
   * @param toSecond end, in seconds of the {@link #BASE} run
   * @param begin what starts it
   * @param end what ends it
   * @param endText what the end is announced as, e.g. "b recovers"
   */
  record Window(String name, String target, double fromSecond, double toSecond, Action begin, Action end,
      String endText) {}

  private record Step(long atMillis, Window window, boolean begin) {}

  private final List<Window> windows;
  private final double scale;
  private final LongSupplier elapsedMillis;
  private final Announcer announcer;
  private final Set<Window> active = ConcurrentHashMap.newKeySet();
  private final List<RunRecord.Fault> done = new ArrayList<>(); // guarded by this
  private final java.util.Map<Window, Long> startedAt = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  FaultSchedule(List<Window> windows, Duration runLength, LongSupplier elapsedMillis, Announcer announcer) {
    this.windows = List.copyOf(windows);
    this.scale = (double) runLength.toMillis() / BASE.toMillis();
    this.elapsedMillis = elapsedMillis;
    this.announcer = announcer;
    this.thread = new Thread(this::run, "demo-faults");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The windows as they will run in this run, in milliseconds: for a test or the help text. */
  List<long[]> scaledWindows() {
    List<long[]> out = new ArrayList<>();
    for (Window w : windows) {
      out.add(new long[] {millis(w.fromSecond()), millis(w.toSecond())});
    }
    return out;
  }

  private long millis(double baseSecond) {
    return Math.round(baseSecond * 1000 * scale);
  }

  private void run() {
    List<Step> steps = new ArrayList<>();
    for (Window w : windows) {
      steps.add(new Step(millis(w.fromSecond()), w, true));
      steps.add(new Step(millis(w.toSecond()), w, false));
    }
    steps.sort(Comparator.comparingLong(Step::atMillis).thenComparing(s -> s.begin() ? 1 : 0));
    for (Step step : steps) {
      long wait = step.atMillis() - elapsedMillis.getAsLong();
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return; // closed
        }
      }
      if (closed) {
        return;
      }
      perform(step);
    }
  }

  private void perform(Step step) {
    Window w = step.window();
    long at = elapsedMillis.getAsLong();
    try {
      if (step.begin()) {
        announcer.announce(at, "FAULT  " + w.name());
        startedAt.put(w, at);
        active.add(w);
        w.begin().run();
      } else {
        w.end().run();
        end(w, elapsedMillis.getAsLong());
        announcer.announce(elapsedMillis.getAsLong(), "ENDED  " + w.endText());
      }
    } catch (Exception e) {
      announcer.announce(elapsedMillis.getAsLong(), String.format(Locale.ROOT, "fault action failed (%s %s): %s",
          step.begin() ? "starting" : "ending", w.name(), Workload.oneLine(e)));
      if (!step.begin()) {
        end(w, elapsedMillis.getAsLong());
      }
    }
  }

  private void end(Window w, long at) {
    if (active.remove(w)) {
      synchronized (this) {
        done.add(new RunRecord.Fault(w.name(), w.target(), startedAt.getOrDefault(w, at), at));
      }
    }
  }

  /** The names of the faults running now, joined, or {@code "steady"}. */
  String phase() {
    if (active.isEmpty()) {
      return "steady";
    }
    List<String> names = new ArrayList<>();
    for (Window w : windows) {
      if (active.contains(w)) {
        names.add(w.name());
      }
    }
    return names.isEmpty() ? "steady" : String.join(" + ", names);
  }

  /** The faults running now, as windows ending now. */
  List<RunRecord.Fault> activeFaults(long nowMillis) {
    List<RunRecord.Fault> out = new ArrayList<>();
    for (Window w : windows) {
      if (active.contains(w)) {
        out.add(new RunRecord.Fault(w.name(), w.target(), startedAt.getOrDefault(w, nowMillis), nowMillis));
      }
    }
    return out;
  }

  /** Every fault window that ran, those still running ending at {@code nowMillis}. */
  synchronized List<RunRecord.Fault> faults(long nowMillis) {
    List<RunRecord.Fault> out = new ArrayList<>(done);
    out.addAll(activeFaults(nowMillis));
    out.sort(Comparator.comparingLong(RunRecord.Fault::startMillis));
    return out;
  }

  /**
   * Stops the schedule and ends every fault still running (a frozen node is thawed, a stopped one
   * started), so that nothing is left broken.
   */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Window w : windows) {
      if (active.contains(w)) {
        perform(new Step(elapsedMillis.getAsLong(), w, false));
      }
    }
  }
}
