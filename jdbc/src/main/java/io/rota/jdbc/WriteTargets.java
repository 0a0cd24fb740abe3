package io.rota.jdbc;

import io.rota.jdbc.spi.NodeRole;
import io.rota.jdbc.spi.PrimaryResolver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node takes writes, for a routing data source whose nodes have no fixed roles
 * ({@link RoutingDataSourceBuilder#node}).
 *
 * <h2>Design</h2>
 * Every node is in the read pool and is checked there, on the health interval, by the same check as
 * a replica; for such nodes the check also probes the node's role ({@link io.rota.jdbc.spi.Dialect#probeRole}:
 * writable or not, PostgreSQL timeline, MySQL-family server ids) and keeps it in the node's
 * {@link NodeStats#nodeRole}. A writable node fails its check as a replica, so it takes no reads.
 * After each probe, {@link #update()} applies the rules below to what the last probe of every node
 * found and publishes one {@link Choice} through a volatile write; a write takes its node from
 * {@link #current()} (one volatile read, no lock). A connection-class failure of a connection to the
 * write target probes that node at once ({@code RoutingDataSource.probeNow}), so writes are refused
 * fast once it is gone, without waiting for the next interval.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>Candidates: the nodes whose last probe answered and found them writable. An unreachable or
 *       read-only node never takes writes.
 *   <li>With a {@link PrimaryResolver}: the candidate it names; none if it names none, names a node
 *       that is not a candidate, or fails.
 *   <li>No candidate: none. Writes fail at once naming the last write target, since when it has been
 *       unreachable or read-only, and the state of the others.
 *   <li>One candidate: it (a promoted replica becomes the target at its first probe as writable).
 *   <li>Several ({@link Failover#MANUAL}): none, until one is left. ({@link Failover#AUTOMATIC}):
 *       of those with the highest timeline (when every candidate's is known), the one the read-only
 *       nodes replicate from (when their source server ids are known and name exactly one), else the
 *       current target if it is among them; else none. Every other candidate is fenced.
 * </ol>
 * A change of target to another node starts a new read-your-writes epoch: positions recorded on the
 * old target keep a context's reads on the new target for the rest of their window instead of
 * waiting for a replica to reach a position of the old timeline.
 *
 * <p>Thread-safe: {@link #update()} runs under this object's lock on health threads and notifies
 * listeners and logs after unlocking; {@link #current()} is lock-free.
 */
final class WriteTargets {

  private static final Logger logger = LoggerFactory.getLogger(RoutingDataSource.class);

  /** What writes do now: go to {@code node}, or fail with {@code refusal}. Immutable. */
  record Choice(@Nullable String node, @Nullable String refusal, boolean decided) {}

  /** One node as its last probe found it: the input of {@link #decide}. */
  record Probe(String id, boolean probed, @Nullable NodeRole role, @Nullable String failure) {
    boolean writable() {
      return role != null && role.isWritable();
    }
  }

  /** The outcome of the rules: the target (or why there is none) and why each other writable node is fenced. */
  record Decision(@Nullable String target, @Nullable String refusal, Map<String, String> fenced) {}

  /** Why the last target stopped taking writes, and since when. */
  record Lost(String node, Instant since, String why, @Nullable String detail) {}

  private final String name;
  private final Failover mode;
  private final @Nullable PrimaryResolver resolver;
  private final Supplier<List<Probe>> probes;
  private final Consumer<RoutingEvent> events;
  private final Runnable onNewTarget;
  private final Clock clock;
  private volatile Choice current = new Choice(null, null, false);
  // Guarded by this.
  private @Nullable String lastTarget;
  private @Nullable Lost lost;
  private Map<String, String> fenced = Map.of();

  WriteTargets(String name, Failover mode, @Nullable PrimaryResolver resolver, Supplier<List<Probe>> probes,
      Consumer<RoutingEvent> events, Runnable onNewTarget, Clock clock) {
    this.name = name;
    this.mode = mode;
    this.resolver = resolver;
    this.probes = probes;
    this.events = events;
    this.onNewTarget = onNewTarget;
    this.clock = clock;
  }

  /** Returns where writes go now. */
  Choice current() {
    return current;
  }

  /** Returns whether {@code node} is the write target now. */
  boolean isTarget(String node) {
    return node.equals(current.node());
  }

  /** Returns the last node that took writes (the write target, or the one lost last), or {@code null}. */
  synchronized @Nullable String lastTarget() {
    return lastTarget;
  }

  /** Returns why {@code node} is fenced now, or {@code null} if it is not. */
  synchronized @Nullable String fencedReason(String node) {
    return fenced.get(node);
  }

  /** Re-applies the rules to the nodes' last probes; publishes, logs and notifies what changed. */
  void update() {
    List<RoutingEvent> fire = new ArrayList<>(2);
    List<String> info = new ArrayList<>(1);
    List<String> warn = new ArrayList<>(2);
    synchronized (this) {
      List<Probe> all = probes.get();
      Choice before = current;
      String resolved;
      String refusal;
      Map<String, String> nowFenced;
      String incumbent = before.node();
      String previousTarget = lastTarget;
      Decision d = decide(name, all, incumbent, lost, mode, resolver);
      resolved = d.target();
      refusal = d.refusal();
      nowFenced = d.fenced();
      boolean decided = before.decided() || resolved != null || all.stream().allMatch(Probe::probed);
      if (resolved == null && incumbent != null) {
        // The target is lost now: remember since when, for the messages until another one is found.
        Probe p = find(all, incumbent);
        String why = p == null ? "removed" : p.role() == null ? "unreachable" : p.writable() ? "fenced" : "read-only";
        String failure = p == null ? null : p.failure();
        if (failure != null && failure.startsWith("unreachable: ")) {
          failure = failure.substring("unreachable: ".length());
        }
        lost = new Lost(incumbent, clock.instant(), why, failure);
        d = decide(name, all, null, lost, mode, resolver);
        refusal = d.refusal();
      }
      if (resolved != null) {
        lost = null;
        if (!resolved.equals(lastTarget)) {
          if (lastTarget != null) {
            onNewTarget.run();
          }
          lastTarget = resolved;
        }
      }
      current = new Choice(resolved, refusal, decided);
      if (!java.util.Objects.equals(before.node(), resolved)) {
        String reason = resolved == null ? refusal : reasonFor(resolved, all, before.node());
        fire.add(new RoutingEvent.WriteTargetChanged(before.node(), resolved, reason));
        if (resolved == null) {
          warn.add("Writes refused: " + refusal);
        } else {
          info.add("Writes now go to node " + resolved + (previousTarget == null || previousTarget.equals(resolved) ? ""
              : " (was " + previousTarget + ")") + ": " + reason);
        }
      }
      for (Map.Entry<String, String> f : nowFenced.entrySet()) {
        if (!f.getValue().equals(fenced.get(f.getKey()))) {
          fire.add(new RoutingEvent.NodeFenced(f.getKey(), resolved, f.getValue()));
          warn.add("Node " + f.getKey() + " " + f.getValue());
        }
      }
      fenced = nowFenced;
    }
    for (String m : info) {
      logger.info("{} - {}", name, m);
    }
    for (String m : warn) {
      logger.warn("{} - {}", name, m);
    }
    for (RoutingEvent e : fire) {
      events.accept(e);
    }
  }

  private static String reasonFor(String node, List<Probe> all, @Nullable String previous) {
    Probe p = find(all, node);
    String role = p == null || p.role() == null ? "writable" : p.role().toString();
    return "the only node chosen to take writes (" + role + ")"
        + (previous == null ? "" : "; " + previous + " takes no more writes");
  }

  // -------------------------------------------------------------------------------------------------
  // The rules, as a function of the probes: unit-tested directly.

  /**
   * Applies the rules (see the class documentation).
   *
   * @param incumbent the current write target, or {@code null}
   * @param lost why the last target stopped taking writes, for the refusal's words, or {@code null}
   */
  static Decision decide(String name, List<Probe> all, @Nullable String incumbent, @Nullable Lost lost,
      Failover mode, @Nullable PrimaryResolver resolver) {
    List<Probe> writable = new ArrayList<>();
    for (Probe p : all) {
      if (p.writable()) {
        writable.add(p);
      }
    }
    if (resolver != null) {
      return resolve(name, all, writable, resolver, lost);
    }
    if (writable.isEmpty()) {
      return new Decision(null, noWritable(name, all, lost), Map.of());
    }
    if (writable.size() == 1) {
      return new Decision(writable.get(0).id(), null, Map.of());
    }
    if (mode == Failover.MANUAL) {
      String refusal = "Writes to '" + name + "' refused: " + writable.size() + " nodes are writable ("
          + describe(writable) + ") and failover is MANUAL; leave one writable (demote or stop the others)";
      return new Decision(null, refusal, fencedAll(writable, "is writable but fenced: failover is MANUAL and "
          + writable.size() + " nodes are writable (" + describe(writable) + "); no writes go to any of them"));
    }
    // AUTOMATIC: narrow down by timeline, then replication source, then incumbency.
    List<Probe> left = writable;
    String why = null;
    boolean timelinesKnown = left.stream().allMatch(p -> p.role().timeline() >= 0);
    if (timelinesKnown) {
      long max = left.stream().mapToLong(p -> p.role().timeline()).max().getAsLong();
      List<Probe> newest = new ArrayList<>();
      for (Probe p : left) {
        if (p.role().timeline() == max) {
          newest.add(p);
        }
      }
      if (newest.size() < left.size()) {
        why = "is on the newest timeline " + max;
      }
      left = newest;
    }
    if (left.size() > 1) {
      List<Probe> followed = new ArrayList<>();
      for (Probe p : left) {
        String id = p.role().serverId();
        if (id != null && all.stream().anyMatch(r -> r.role() != null && !r.role().isWritable()
            && id.equals(r.role().sourceServerId()))) {
          followed.add(p);
        }
      }
      if (followed.size() == 1) {
        left = followed;
        why = "is the node the read-only nodes replicate from";
      }
    }
    if (left.size() > 1 && incumbent != null) {
      for (Probe p : left) {
        if (p.id().equals(incumbent)) {
          left = List.of(p);
          why = "was taking writes already and nothing shows another node is newer";
          break;
        }
      }
    }
    if (left.size() == 1) {
      Probe target = left.get(0);
      Map<String, String> fenced = new LinkedHashMap<>();
      for (Probe p : writable) {
        if (p != target) {
          fenced.put(p.id(), "is writable but fenced (" + p.role() + "): no writes go to it; " + target.id()
              + " takes them (" + target.role() + "): it " + why);
        }
      }
      return new Decision(target.id(), null, fenced);
    }
    String refusal = "Writes to '" + name + "' refused: " + writable.size() + " nodes are writable (" + describe(writable)
        + ") and nothing tells which is the primary (no newer timeline, no replica names its source, none was"
        + " taking writes); leave one writable (demote or stop the others), or give a PrimaryResolver";
    return new Decision(null, refusal, fencedAll(writable, "is writable but fenced: " + writable.size()
        + " nodes are writable (" + describe(writable) + ") and none can be chosen; no writes go to any of them"));
  }

  private static Decision resolve(String name, List<Probe> all, List<Probe> writable, PrimaryResolver resolver,
      @Nullable Lost lost) {
    List<String> ids = new ArrayList<>();
    for (Probe p : writable) {
      ids.add(p.id());
    }
    String named;
    try {
      named = resolver.resolve(List.copyOf(ids));
    } catch (Exception | LinkageError e) {
      String refusal = "Writes to '" + name + "' refused: the PrimaryResolver failed: " + e;
      return new Decision(null, refusal, fencedAll(writable, "is writable but fenced: the PrimaryResolver failed"));
    }
    if (named == null) {
      String refusal = writable.isEmpty() ? noWritable(name, all, lost)
          : "Writes to '" + name + "' refused: the PrimaryResolver names no primary (writable: " + describe(writable) + ")";
      return new Decision(null, refusal, fencedAll(writable, "is writable but fenced: the PrimaryResolver names no primary"));
    }
    if (!ids.contains(named)) {
      Probe p = find(all, named);
      String state = p == null ? "not a node of '" + name + "'" : state(p);
      String refusal = "Writes to '" + name + "' refused: the PrimaryResolver names '" + named + "', which is "
          + state + (writable.isEmpty() ? "; no node is writable" : "; writable: " + describe(writable));
      return new Decision(null, refusal, fencedAll(writable, "is writable but fenced: the PrimaryResolver names '"
          + named + "'"));
    }
    Map<String, String> fenced = new LinkedHashMap<>();
    for (Probe p : writable) {
      if (!p.id().equals(named)) {
        fenced.put(p.id(), "is writable but fenced (" + p.role() + "): the PrimaryResolver names " + named);
      }
    }
    return new Decision(named, null, fenced);
  }

  private static String noWritable(String name, List<Probe> all, @Nullable Lost lost) {
    if (lost != null) {
      StringBuilder others = new StringBuilder();
      for (Probe p : all) {
        if (!p.id().equals(lost.node())) {
          others.append(others.length() == 0 ? "" : ", ").append(p.id()).append(": ").append(state(p));
        }
      }
      return "Primary '" + lost.node() + "' of '" + name + "' " + lost.why() + " since " + lost.since()
          + detail(lost.detail()) + "; no other writable node" + (others.length() == 0 ? "" : " (" + others + ")")
          + "; writes are refused until a node is writable (promote a replica)";
    }
    StringBuilder sb = new StringBuilder();
    for (Probe p : all) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.id()).append(": ").append(state(p));
    }
    return "No writable node in '" + name + "' (" + sb + "); writes are refused until a node is writable";
  }

  private static String state(Probe p) {
    if (!p.probed()) {
      return "not probed yet";
    }
    if (p.role() == null) {
      return "unreachable" + detail(p.failure());
    }
    return p.role().isWritable() ? "writable" : "read-only";
  }

  private static String detail(@Nullable String failure) {
    return failure == null ? "" : " (" + failure + ")";
  }

  private static Map<String, String> fencedAll(List<Probe> writable, String reason) {
    Map<String, String> fenced = new LinkedHashMap<>();
    for (Probe p : writable) {
      fenced.put(p.id(), reason);
    }
    return fenced;
  }

  private static String describe(List<Probe> nodes) {
    StringBuilder sb = new StringBuilder();
    for (Probe p : nodes) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.id());
      if (p.role() != null && p.role().timeline() >= 0) {
        sb.append(" timeline ").append(p.role().timeline());
      }
    }
    return sb.toString();
  }

  private static @Nullable Probe find(List<Probe> all, String id) {
    for (Probe p : all) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    return null;
  }
}
