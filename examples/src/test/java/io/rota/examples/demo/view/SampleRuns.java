package io.rota.examples.demo.view;

import io.rota.examples.demo.RunRecord;
import io.rota.examples.demo.RunRecord.DbSample;
import io.rota.examples.demo.RunRecord.Event;
import io.rota.examples.demo.RunRecord.Fault;
import io.rota.examples.demo.RunRecord.HttpSample;
import io.rota.examples.demo.RunRecord.KindCount;
import io.rota.examples.demo.RunRecord.Latency;
import io.rota.examples.demo.RunRecord.Second;
import io.rota.examples.demo.RunRecord.Summary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic runs for the view tests, shaped like the demo's: 60 seconds, HTTP endpoints a, b, c
 * (weights 3, 2, 1) and a backup, a PostgreSQL primary and two replicas, six faults and the state
 * changes they cause. Deterministic (seeded).
 */
final class SampleRuns {

  static final List<String> HTTP = List.of("a", "b", "c", "backup");
  static final List<String> DB = List.of("pg-1", "pg-2", "pg-3");
  static final List<String> KINDS = List.of("place order", "list orders", "own order", "price GET", "quote POST");
  static final long LAG_LIMIT = 5000;
  static final int LENGTH = 60;

  static final List<Fault> FAULTS = List.of(
      new Fault("b returns 503", "b", 8_000, 14_000),
      new Fault("c resets connections", "c", 16_000, 20_000),
      new Fault("a weight 3 -> 1", "a", 22_000, 28_000),
      new Fault("all primary-tier backends down", "http", 30_000, 36_000),
      new Fault("pg-2 replay paused", "pg-2", 40_000, 48_000),
      new Fault("pg-3 killed", "pg-3", 50_000, 55_000));

  private SampleRuns() {}

  /** Returns the typical run, which passed. */
  static RunRecord typical() {
    return build(FAULTS, List.of(), KINDS, "PostgreSQL primary + 2 streaming replicas, 3 HTTP backends + 1 backup");
  }

  /** Returns the typical run with hostile text in a fault, an event, a kind, a violation and the title. */
  static RunRecord hostile() {
    List<Fault> faults = new ArrayList<>(FAULTS);
    faults.add(new Fault("<b>\"503\" & 'reset'</b>", "b", 57_000, 59_000));
    List<String> kinds = new ArrayList<>(KINDS);
    kinds.add("<img src=x onerror=\"window.pwned=1\">");
    RunRecord r = build(faults, List.of("writes on replicas: 1 <script>window.pwned=1</script>"), kinds,
        "<script>window.pwned=1</script> & \"quotes\" 'too'");
    List<Event> events = new ArrayList<>(r.events());
    events.add(new Event(58_500, "demo", "<script>window.pwned=1</script> a < b && c > \"d\" 'e'"));
    return new RunRecord(r.title(), r.startedAt(), r.httpEndpoints(), r.dbNodes(), r.seconds(), events, r.faults(),
        r.latencies(), r.summary(), r.lagLimitMillis());
  }

  /** Returns the typical run with five more faults, long-named and overlapping, as a crowded demo has. */
  static RunRecord crowded() {
    List<Fault> faults = new ArrayList<>(FAULTS);
    faults.add(new Fault("replica pg-3 frozen with SIGSTOP (no answer, no error)", "pg-3", 9_000, 12_000));
    faults.add(new Fault("b answers slowly: 900 ms before every response", "b", 10_000, 13_000));
    faults.add(new Fault("c resets half of its connections", "c", 11_000, 12_000));
    faults.add(new Fault("all primary-tier backends down again, briefly", "http", 56_000, 58_000));
    faults.add(new Fault("pg-2 killed", "pg-2", 59_000, 60_000));
    return build(faults, List.of(), KINDS, "crowded");
  }

  /** Returns a run of one second: no faults, no events, no latencies, no lag samples. */
  static RunRecord oneSecond() {
    Map<String, HttpSample> http = new LinkedHashMap<>();
    http.put("a", new HttpSample("PRIMARY", 1, 1, "HEALTHY", null, 10, 0, 0));
    Map<String, DbSample> db = new LinkedHashMap<>();
    db.put("pg-1", new DbSample("PRIMARY", "HEALTHY", null, 0, 3, null));
    return new RunRecord("one second", Instant.parse("2026-12-07T10:00:00Z"), List.of("a"), List.of("pg-1"),
        List.of(new Second(1000, http, db)), List.of(), List.of(), List.of(),
        new Summary(List.of(new KindCount("price GET", 10, 0)), 0, 0, 3, 0, 0, 0, 0, List.of()), 0);
  }

  /** Returns a run that recorded nothing at all. */
  static RunRecord empty() {
    return new RunRecord("nothing", Instant.parse("2026-12-07T10:00:00Z"), List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), new Summary(List.of(), 0, 0, 0, 0, 0, 0, 0, List.of()));
  }

  private static boolean in(long at, long from, long to) {
    return at > from && at <= to;
  }

  private static RunRecord build(List<Fault> faults, List<String> violations, List<String> kinds, String title) {
    Random random = new Random(42);
    List<Second> seconds = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (Fault f : faults) {
      events.add(new Event(f.startMillis(), "fault", f.name() + " starts"));
      events.add(new Event(f.endMillis(), "fault", f.name() + " ends"));
    }
    Map<String, String> last = new LinkedHashMap<>();
    long lag2 = 0;
    for (int t = 1; t <= LENGTH; t++) {
      long at = t * 1000L;
      boolean tierDown = in(at, 30_000, 36_000);
      Map<String, String> state = new LinkedHashMap<>();
      Map<String, String> reason = new LinkedHashMap<>();
      for (String id : HTTP) {
        state.put(id, "HEALTHY");
      }
      if (in(at, 9_000, 14_000)) {
        state.put("b", "EJECTED");
        reason.put("b", "5 consecutive failures");
      } else if (in(at, 14_000, 15_000)) {
        state.put("b", "HALF_OPEN");
      } else if (in(at, 15_000, 17_000)) {
        state.put("b", "RAMPING");
      }
      if (in(at, 17_000, 20_000)) {
        state.put("c", "EJECTED");
        reason.put("c", "connection reset");
      } else if (in(at, 20_000, 22_000)) {
        state.put("c", "RAMPING");
      }
      if (tierDown) {
        for (String id : List.of("a", "b", "c")) {
          state.put(id, "DOWN");
          reason.put(id, "health check: connection refused");
        }
      } else if (in(at, 36_000, 38_000)) {
        for (String id : List.of("a", "b", "c")) {
          state.put(id, "RAMPING");
        }
      }
      int weightA = in(at, 22_000, 28_000) ? 1 : 3;
      Map<String, Integer> weight = Map.of("a", weightA, "b", 2, "c", 1, "backup", 1);
      Map<String, Double> share = new LinkedHashMap<>();
      double sum = 0;
      for (String id : HTTP) {
        String s = state.get(id);
        double w = id.equals("backup") ? (tierDown ? 1 : 0)
            : s.equals("HEALTHY") ? weight.get(id) : s.equals("RAMPING") ? weight.get(id) * 0.4
            : s.equals("HALF_OPEN") ? 0.1 : 0;
        share.put(id, w);
        sum += w;
      }
      long total = 280 + random.nextInt(40);
      Map<String, HttpSample> http = new LinkedHashMap<>();
      for (String id : HTTP) {
        long requests = sum == 0 ? 0 : Math.round(total * share.get(id) / sum);
        boolean failing = id.equals("b") && in(at, 8_000, 10_000) || id.equals("c") && in(at, 16_000, 18_000);
        long failures = failing ? requests / 3 + 1 : 0;
        long retries = failing || requests == 0 ? 0 : random.nextInt(3);
        http.put(id, new HttpSample(id.equals("backup") ? "BACKUP" : "PRIMARY", weight.get(id), share.get(id),
            state.get(id), reason.get(id), requests, failures, retries));
      }
      if (in(at, 40_000, 48_000)) {
        lag2 += 1000;
      } else {
        lag2 = Math.max(5, lag2 / 4);
      }
      boolean pg2Lagging = lag2 > LAG_LIMIT;
      boolean pg3Down = in(at, 50_000, 55_000);
      long reads = 100 + random.nextInt(20);
      long r2 = pg2Lagging ? 0 : pg3Down ? reads : reads / 2;
      long r3 = pg3Down ? 0 : pg2Lagging ? reads : reads - r2;
      Map<String, DbSample> db = new LinkedHashMap<>();
      db.put("pg-1", new DbSample("PRIMARY", "HEALTHY", null, 2, 40 + random.nextInt(5), null));
      db.put("pg-2", new DbSample("REPLICA", pg2Lagging ? "EJECTED" : "HEALTHY",
          pg2Lagging ? "lag " + lag2 + " ms over " + LAG_LIMIT + " ms" : null, r2, 0, lag2));
      db.put("pg-3", new DbSample("REPLICA", pg3Down ? "DOWN" : "HEALTHY", pg3Down ? "connection refused" : null, r3, 0,
          pg3Down ? null : (Long) (long) (5 + random.nextInt(20))));
      seconds.add(new Second(at, http, db));
      for (String id : HTTP) {
        stateEvent(events, last, "http", id, state.get(id), reason.get(id), at);
      }
      for (String id : DB) {
        stateEvent(events, last, "db", id, db.get(id).state(), db.get(id).reason(), at);
      }
    }
    events.sort((x, y) -> Long.compare(x.atMillis(), y.atMillis()));
    List<String> phases = new ArrayList<>();
    phases.add("steady");
    for (Fault f : faults) {
      phases.add(f.name());
    }
    List<Latency> latencies = new ArrayList<>();
    for (int p = 0; p < phases.size(); p++) {
      for (int k = 0; k < kinds.size(); k++) {
        double base = 1.5 + k + (p == 0 ? 0 : p * 3);
        double tail = p == 4 ? 900 : p == 6 ? 300 : 20;
        latencies.add(new Latency(phases.get(p), kinds.get(k), 500 + 37L * k, base, base * 3, base * 3 + tail,
            base * 3 + tail * 2));
      }
    }
    List<KindCount> counts = new ArrayList<>();
    for (int k = 0; k < kinds.size(); k++) {
      counts.add(new KindCount(kinds.get(k), 3000 + 100L * k, k == 3 ? 2 : 0));
    }
    Summary summary = new Summary(counts, 6100, 240, 2400, violations.isEmpty() ? 0 : 1, 0, 310, 12, violations);
    return new RunRecord(title, Instant.parse("2026-12-07T10:00:00Z"), HTTP, DB, seconds, events, faults, latencies,
        summary, LAG_LIMIT);
  }

  private static void stateEvent(
      List<Event> events, Map<String, String> last, String source, String id, String state, String reason, long at) {
    String before = last.put(id, state);
    if (before != null && !before.equals(state)) {
      events.add(new Event(at, source, id + " " + before + " -> " + state + (reason == null ? "" : " (" + reason + ")")));
    }
  }

  /** Returns the number of runs of one state in the lane of {@code id}, as the state timeline draws them. */
  static int stateRuns(RunRecord r, String id) {
    int runs = 0;
    String previous = null;
    for (Second s : r.seconds()) {
      String state = s.http().containsKey(id) ? s.http().get(id).state()
          : s.db().containsKey(id) ? s.db().get(id).state() : null;
      if (state != null && !state.equals(previous)) {
        runs++;
      }
      previous = state;
    }
    return runs;
  }
}
