package io.rota.examples.demo;

import io.rota.core.EndpointSnapshot;
import io.rota.core.EndpointState;
import io.rota.core.event.PoolEvent;
import io.rota.http.HttpClientEvent;
import io.rota.http.HttpClientSnapshot;
import io.rota.http.LoadBalancedHttpClient;
import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingEvent;
import io.rota.jdbc.RoutingSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Watches the run: once a second it reads the HTTP client's and the routing data source's snapshots
 * into a {@link RunRecord.Second} (counters as per-second deltas), and it turns their events, and
 * the fault schedule's announcements, into {@link RunRecord.Event}s. Thread-safe: events arrive on
 * Rota's event threads, samples are taken on the caller's.
 */
final class Recorder {

  private final LoadBalancedHttpClient http;
  private final RoutingDataSource db;
  private final LongSupplier elapsedMillis;
  private final List<RunRecord.Second> seconds = new ArrayList<>(); // guarded by this
  private final List<RunRecord.Event> events = new ArrayList<>(); // guarded by this
  private final Map<String, String> httpReasons = new ConcurrentHashMap<>();
  private Map<String, long[]> lastHttp = new HashMap<>(); // requests, failures, retries; sampler thread only
  private Map<String, long[]> lastDb = new HashMap<>(); // reads, writes; sampler thread only

  Recorder(LoadBalancedHttpClient http, RoutingDataSource db, LongSupplier elapsedMillis) {
    this.http = http;
    this.db = db;
    this.elapsedMillis = elapsedMillis;
    http.addListener(this::onHttp);
    db.addListener(this::onDb);
    sample(); // the baseline for the first second's deltas
    synchronized (this) {
      seconds.clear();
    }
  }

  /** Records an event now. */
  void event(String source, String text) {
    event(elapsedMillis.getAsLong(), source, text);
  }

  void event(long atMillis, String source, String text) {
    synchronized (this) {
      events.add(new RunRecord.Event(atMillis, source, text));
    }
  }

  private void onHttp(HttpClientEvent e) {
    if (e instanceof HttpClientEvent.PoolChanged p) {
      String text = poolEventText(p.event(), httpReasons);
      if (text != null) {
        event("http", text);
      }
    } else if (e instanceof HttpClientEvent.RetryBudgetChanged b) {
      event("http", b.exhausted() ? "retry budget exhausted: further retries refused" : "retry budget available again");
    }
  }

  private void onDb(RoutingEvent e) {
    if (e instanceof RoutingEvent.ReplicaPoolEvent r) {
      String text = poolEventText(r.event(), null);
      if (text != null) {
        event("db", text);
      }
    } else if (e instanceof RoutingEvent.RoleChanged r) {
      event("db", r.node() + " reports role " + r.observed() + " (was " + r.configured() + ")");
    } else if (e instanceof RoutingEvent.PrimaryStateChanged p) {
      event("db", p.node() + (p.down() ? " DOWN: " : " back: ") + p.reason());
    } else if (e instanceof RoutingEvent.WriteTargetChanged w) {
      event("db", w.current() != null ? "writes now go to " + w.current() : "writes refused: " + w.reason());
    } else if (e instanceof RoutingEvent.NodeFenced f) {
      event("db", f.node() + " fenced: " + f.reason());
    }
  }

  private static String poolEventText(PoolEvent e, Map<String, String> reasons) {
    if (e instanceof PoolEvent.StateChanged s) {
      if (reasons != null) {
        if (s.to() == EndpointState.HEALTHY) {
          reasons.remove(s.endpointId());
        } else {
          reasons.put(s.endpointId(), s.cause());
        }
      }
      return s.endpointId() + " " + s.from() + " -> " + s.to() + " (" + s.cause() + ")";
    }
    if (e instanceof PoolEvent.WeightChanged w) {
      return w.endpointId() + " weight " + w.oldWeight() + " -> " + w.newWeight();
    }
    if (e instanceof PoolEvent.ServingTierChanged t) {
      return t.tier() == null ? "no endpoint can serve" : "serving tier now " + t.tier() + (t.panic() ? " (panic)" : "");
    }
    return null;
  }

  /** Takes one sample: what happened since the last one, and every state now. */
  RunRecord.Second sample() {
    long at = elapsedMillis.getAsLong();
    HttpClientSnapshot h = http.snapshot();
    Map<String, RunRecord.HttpSample> httpSamples = new LinkedHashMap<>();
    Map<String, long[]> nextHttp = new HashMap<>();
    for (HttpClientSnapshot.EndpointStats s : h.endpoints()) {
      EndpointSnapshot p = h.pool().endpoint(s.id());
      long[] now = {s.requests(), s.failures(), s.retries()};
      long[] before = lastHttp.getOrDefault(s.id(), new long[3]);
      nextHttp.put(s.id(), now);
      httpSamples.put(s.id(), new RunRecord.HttpSample(
          s.tier().name(),
          p == null ? 0 : p.weight(),
          p == null ? 0 : p.effectiveWeight(),
          s.state().name(),
          s.state() == EndpointState.HEALTHY ? null : httpReasons.get(s.id()),
          now[0] - before[0], now[1] - before[1], now[2] - before[2]));
    }
    lastHttp = nextHttp;

    RoutingSnapshot r = db.snapshot();
    Map<String, RunRecord.DbSample> dbSamples = new LinkedHashMap<>();
    Map<String, long[]> nextDb = new HashMap<>();
    List<RoutingSnapshot.Node> nodes = new ArrayList<>();
    nodes.add(r.primary());
    nodes.addAll(r.replicas());
    for (RoutingSnapshot.Node n : nodes) {
      long[] now = {n.reads(), n.writes()};
      long[] before = lastDb.getOrDefault(n.id(), new long[2]);
      nextDb.put(n.id(), now);
      dbSamples.put(n.id(), new RunRecord.DbSample(n.role().name(), n.state().name(), n.reason(),
          now[0] - before[0], now[1] - before[1], n.lag() == null ? null : n.lag().toMillis()));
    }
    lastDb = nextDb;
    RunRecord.Second second = new RunRecord.Second(at, httpSamples, dbSamples);
    synchronized (this) {
      seconds.add(second);
    }
    return second;
  }

  synchronized List<RunRecord.Second> seconds() {
    return List.copyOf(seconds);
  }

  synchronized List<RunRecord.Event> events() {
    return List.copyOf(events);
  }

  /** The last {@code n} events. */
  synchronized List<RunRecord.Event> recentEvents(int n) {
    return List.copyOf(events.subList(Math.max(0, events.size() - n), events.size()));
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%5.1f s", millis / 1000.0);
  }
}
