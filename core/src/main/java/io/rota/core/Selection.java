package io.rota.core;

import io.rota.core.internal.SmoothSchedule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One immutable period of the serving tier's smooth weighted round-robin order, as an array of
 * endpoints, plus the counter of picks taken from it: a pick is one {@code getAndAdd} and two array
 * reads, with no lock, allocation or logging. Thread-safe; immutable but for the counter.
 *
 * <p>The counter is a {@code long}, so it does not wrap in any uptime (2^63 picks): the slot of pick
 * {@code c} is always {@code c % period}, continuous across {@code Integer.MAX_VALUE} and 2^32.
 */
final class Selection<A> {

  private static final VarHandle COUNTER;

  static {
    try {
      COUNTER = MethodHandles.lookup().findVarHandle(Selection.class, "counter", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Endpoint<A>[] bySlot;
  final @Nullable SmoothSchedule schedule;
  /** The entries behind the schedule's endpoint indexes. */
  final List<Entry<A>> members;
  /** The endpoint value of each member when this selection was built. */
  final Endpoint<?>[] memberEndpoints;
  final int[] weights;
  final @Nullable Tier tier;
  final boolean panic;
  @SuppressWarnings("unused") // through COUNTER
  private volatile long counter;

  Selection(Endpoint<A>[] bySlot, @Nullable SmoothSchedule schedule, List<Entry<A>> members, int[] weights,
      @Nullable Tier tier, boolean panic, long start) {
    this.bySlot = bySlot;
    this.schedule = schedule;
    this.members = members;
    this.memberEndpoints = new Endpoint<?>[members.size()];
    for (int i = 0; i < memberEndpoints.length; i++) {
      memberEndpoints[i] = members.get(i).endpoint;
    }
    this.weights = weights;
    this.tier = tier;
    this.panic = panic;
    this.counter = start;
  }

  @SuppressWarnings("unchecked")
  static <A> Selection<A> empty() {
    return new Selection<>((Endpoint<A>[]) new Endpoint<?>[0], null, List.of(), new int[0], null, false, 0);
  }

  /** Returns the same order and counter with another tier or panic flag. */
  Selection<A> withTier(@Nullable Tier tier, boolean panic) {
    return new Selection<>(bySlot, schedule, members, weights, tier, panic, position());
  }

  /** Picks the next endpoint, or returns {@code null} if the selection is empty. */
  @Nullable Endpoint<A> select() {
    Endpoint<A>[] slots = bySlot;
    int n = slots.length;
    if (n == 0) {
      return null;
    }
    long c = (long) COUNTER.getAndAdd(this, 1L);
    return slots[(int) (c % n)];
  }

  /** Returns the number of picks taken, from which {@link #select()} takes its slot. */
  long position() {
    return (long) COUNTER.getVolatile(this);
  }
}
