package io.rota.core;

import io.rota.core.event.PoolEvent;
import io.rota.core.internal.SmoothSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Turns the pool's entries into what readers see: the {@link Selection} that {@code select()} picks
 * from, and the {@link View} that {@code snapshot()} and {@code selectOrThrow()} read. Both are
 * immutable and published through volatile fields, so readers take no lock.
 *
 * <p>{@link #publish} runs under the pool's lock. It recomputes each endpoint's {@link EndpointState}
 * and effective weight, chooses the serving tier (primary while one is available, else backup; panic
 * below the threshold), and, if the integer schedule weights or members differ from the published
 * ones, builds a new {@code Selection}. The new schedule starts from each endpoint's progress in the
 * old one (see {@link SmoothSchedule}), so a rebuild neither restarts the rotation nor favours
 * anyone. Not thread-safe: the pool's lock serializes it.
 */
final class SelectionPublisher<A> {

  /**
   * The longest schedule period. Longer ones are scaled down, keeping proportions to about one part
   * in this many. It bounds a rebuild to a few milliseconds (RebuildBenchmark: 2 to 8 ms at 2^17
   * slots on a loaded 2-core machine, microseconds for tens of endpoints) and a period to about a
   * megabyte.
   */
  static final int MAX_SLOTS = 1 << 17;
  /** Fractional effective weights are resolved to 1/this of a weight unit in the schedule. */
  private static final int FRACTION_SCALE = 100;

  private final String pool;
  private final int panicThresholdPercent;
  /** Start offset of a fresh pool; used under the pool's lock only. */
  private final RandomGenerator random;

  private volatile Selection<A> selection = Selection.empty();
  private volatile View<A> view = new View<>(null, false, List.of());

  /**
   * What the last publish decided, for readers that want more than a pick.
   *
   * @param tier the serving tier, or {@code null} if nothing can be picked
   * @param panic whether panic mode is on
   * @param endpoints each entry with its endpoint value, state, effective weight and ejections
   */
  record View<A>(@Nullable Tier tier, boolean panic, List<EndpointView<A>> endpoints) {}

  /** One entry as last published. */
  record EndpointView<A>(Entry<A> entry, Endpoint<A> endpoint, EndpointState state, double effectiveWeight,
      int ejections) {}

  SelectionPublisher(String pool, int panicThresholdPercent, RandomGenerator random) {
    this.pool = pool;
    this.panicThresholdPercent = panicThresholdPercent;
    this.random = random;
  }

  /** Returns the selection to pick from. Lock-free. */
  Selection<A> selection() {
    return selection;
  }

  /** Returns the last published view. Lock-free. */
  View<A> view() {
    return view;
  }

  /**
   * Recomputes states and, if the schedule changes, publishes a new selection; always publishes a new
   * view. Adds the events it causes to {@code events}. Under the pool's lock.
   *
   * @return whether an endpoint is ramping up (the pool then schedules the next ramp step)
   */
  boolean publish(List<Entry<A>> entries, long now, boolean initial, List<PoolEvent> events) {
    Selection<A> old = selection;
    boolean anyRamping = false;
    for (Entry<A> e : entries) {
      EndpointHealth h = e.health;
      EndpointState s = h.computeState(e.endpoint.weight(), now);
      if (s != h.state) {
        EndpointState from = h.state;
        h.state = s;
        events.add(new PoolEvent.StateChanged(pool, now, e.id(), from, s, h.cause()));
        h.causePublished();
      }
      anyRamping |= s == EndpointState.RAMPING || s == EndpointState.DRAINED && h.ramping(now);
    }

    int availablePrimary = 0;
    int totalPrimary = 0;
    int availableBackup = 0;
    int totalBackup = 0;
    for (Entry<A> e : entries) {
      if (e.endpoint.weight() == 0) {
        continue;
      }
      boolean available = e.health.state.isAvailable();
      if (e.endpoint.tier() == Tier.PRIMARY) {
        totalPrimary++;
        availablePrimary += available ? 1 : 0;
      } else {
        totalBackup++;
        availableBackup += available ? 1 : 0;
      }
    }
    int threshold = panicThresholdPercent;
    Tier tier;
    boolean panic = false;
    if (availablePrimary > 0) {
      tier = Tier.PRIMARY;
      panic = availablePrimary * 100L < (long) threshold * totalPrimary;
    } else if (availableBackup > 0) {
      tier = Tier.BACKUP;
      panic = availableBackup * 100L < (long) threshold * totalBackup;
    } else if (threshold > 0 && totalPrimary > 0) {
      tier = Tier.PRIMARY;
      panic = true;
    } else if (threshold > 0 && totalBackup > 0) {
      tier = Tier.BACKUP;
      panic = true;
    } else {
      tier = null;
    }

    List<Entry<A>> members = new ArrayList<>();
    List<Double> effective = new ArrayList<>();
    double[] effectiveOf = new double[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Entry<A> e = entries.get(i);
      if (tier == null || e.endpoint.tier() != tier || e.endpoint.weight() == 0) {
        continue;
      }
      double w = panic ? e.endpoint.weight() : e.health.effectiveWeight(e.health.state, e.endpoint.weight(), now);
      if (w > 0) {
        members.add(e);
        effective.add(w);
        effectiveOf[i] = w;
      }
    }
    int[] weights = scheduleWeights(effective);

    if (old.tier != tier || old.panic != panic) {
      events.add(new PoolEvent.ServingTierChanged(pool, now, tier, panic));
    }
    boolean sameSchedule = Arrays.equals(old.weights, weights) && sameMembers(old, members);
    if (!sameSchedule) {
      carryProgress(old);
      selection = build(members, weights, tier, panic, initial);
    } else if (old.tier != tier || old.panic != panic) {
      selection = old.withTier(tier, panic);
    }

    List<EndpointView<A>> views = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Entry<A> e = entries.get(i);
      e.effectiveWeight = effectiveOf[i];
      views.add(new EndpointView<>(e, e.endpoint, e.health.state, effectiveOf[i], e.health.ejections()));
    }
    view = new View<>(tier, panic, List.copyOf(views));
    return anyRamping;
  }

  /** Whether the published selection has the same members with the same endpoint values. */
  private static <A> boolean sameMembers(Selection<A> old, List<Entry<A>> members) {
    if (old.members.size() != members.size()) {
      return false;
    }
    for (int i = 0; i < members.size(); i++) {
      Entry<A> m = members.get(i);
      if (old.members.get(i) != m || old.memberEndpoints[i] != m.endpoint) {
        return false;
      }
    }
    return true;
  }

  private static <A> void carryProgress(Selection<A> old) {
    SmoothSchedule schedule = old.schedule;
    if (schedule == null) {
      return;
    }
    double[] progress = schedule.progressAt(old.position());
    for (int i = 0; i < progress.length; i++) {
      if (!Double.isNaN(progress[i])) {
        old.members.get(i).progress = progress[i];
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Selection<A> build(List<Entry<A>> members, int[] weights, @Nullable Tier tier, boolean panic,
      boolean initial) {
    if (members.isEmpty()) {
      return new Selection<>((Endpoint<A>[]) new Endpoint<?>[0], null, List.of(), weights, tier, panic, 0);
    }
    double[] progress = new double[members.size()];
    for (int i = 0; i < progress.length; i++) {
      progress[i] = members.get(i).progress; // NaN: fresh, the schedule chooses its phase
    }
    SmoothSchedule schedule = SmoothSchedule.build(weights, progress);
    Endpoint<A>[] bySlot = (Endpoint<A>[]) new Endpoint<?>[schedule.length()];
    for (int k = 0; k < bySlot.length; k++) {
      bySlot[k] = members.get(schedule.slot(k)).endpoint;
    }
    // A fresh pool starts at a random point of its period, so that many clients started together do
    // not all send their first request to the same endpoint.
    long start = initial ? random.nextInt(bySlot.length) : 0;
    return new Selection<>(bySlot, schedule, List.copyOf(members), weights, tier, panic, start);
  }

  /**
   * Turns effective weights into integer schedule weights: exact when they are integers (divided by
   * their greatest common divisor), else resolved to 1/100 of a unit; scaled down proportionally when
   * the period would exceed {@link #MAX_SLOTS}.
   */
  static int[] scheduleWeights(List<Double> effective) {
    int n = effective.size();
    int[] out = new int[n];
    if (n == 0) {
      return out;
    }
    double sum = 0;
    boolean integral = true;
    for (double w : effective) {
      sum += w;
      integral &= w == Math.rint(w);
    }
    double scale = integral ? 1 : Math.max(1, Math.min(FRACTION_SCALE, Math.floor(MAX_SLOTS / sum)));
    long[] w = new long[n];
    long gcd = 0;
    long total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = Math.max(1, Math.round(effective.get(i) * scale));
      gcd = gcd(gcd, w[i]);
    }
    for (int i = 0; i < n; i++) {
      w[i] /= gcd;
      total += w[i];
    }
    if (total > MAX_SLOTS) {
      double factor = (double) MAX_SLOTS / total;
      for (int i = 0; i < n; i++) {
        w[i] = Math.max(1, Math.round(w[i] * factor));
      }
    }
    for (int i = 0; i < n; i++) {
      out[i] = (int) w[i];
    }
    return out;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
