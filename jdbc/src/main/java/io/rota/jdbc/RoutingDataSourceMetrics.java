package io.rota.jdbc;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rota.core.EndpointPool;
import io.rota.core.EndpointPoolMetrics;
import io.rota.core.EndpointSnapshot;
import io.rota.core.PoolSnapshot;
import io.rota.core.internal.MeterBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of a {@link RoutingDataSource}: connections routed to each node, failures,
 * replication lag and whether each replica takes reads, fallbacks to the primary and reads kept on
 * the primary by read-your-writes; plus, through {@link EndpointPoolMetrics}, the {@code rota.pool.*}
 * meters of its replica pool (pool {@code <name>-replicas}) and of its primary's one-endpoint pool
 * (pool {@code <name>-primary}: its state and health-check timer; it takes no leases, so its calls
 * stay 0).
 *
 * <pre>{@code
 * RoutingDataSourceMetrics.of(routingDataSource).bindTo(registry);
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of Rota: the binders are the only classes that use it.
 *
 * <h2>Meters</h2>
 * Every meter has the tag {@code datasource} (the data source name) plus the tags given to
 * {@link #of(RoutingDataSource, Iterable)}; node meters also {@code node} (the node id).
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>what</th></tr>
 *   <tr><td>{@code rota.jdbc.connections}</td><td>function counter</td><td>{@code kind}: {@code read},
 *       {@code write} (replicas: {@code read} only)</td><td>physical connections routed to the node
 *       for read-only or read-write work</td></tr>
 *   <tr><td>{@code rota.jdbc.connection.failures}</td><td>function counter</td><td></td>
 *       <td>connections to the node that failed (refused, broken)</td></tr>
 *   <tr><td>{@code rota.jdbc.replica.lag}</td><td>time gauge (seconds)</td><td></td><td>the replica's
 *       replication lag at its last check; NaN while unknown (not checked, unreachable, promoted,
 *       replication stopped)</td></tr>
 *   <tr><td>{@code rota.jdbc.replica.serving}</td><td>gauge</td><td></td><td>1 while the replica takes
 *       reads (picked by the replica pool: reachable, a replica, not lagging past
 *       {@code maxReplicationLag}, not ejected, weight above 0), else 0</td></tr>
 *   <tr><td>{@code rota.jdbc.fallbacks}</td><td>function counter</td><td></td><td>read-only
 *       connections sent to the primary because no replica could serve them</td></tr>
 *   <tr><td>{@code rota.jdbc.read.your.writes.primary}</td><td>function counter</td><td></td>
 *       <td>read-only connections kept on the primary by read-your-writes</td></tr>
 * </table>
 *
 * <p>Meters of replicas added at run time appear, and those of removed ones are removed from the
 * registry, shortly after the change. Counters and the lag read the data source's lock-free node
 * state through weak references; the serving gauges of all replicas share one snapshot of the replica
 * pool per {@value #SNAPSHOT_MILLIS} ms (one per scrape). {@link #close()} removes every meter this
 * binder registered. Thread-safe.
 */
// Micrometer is `requires static`, not transitive: whoever binds has it and requires it already.
@SuppressWarnings("exports")
public final class RoutingDataSourceMetrics implements MeterBinder, AutoCloseable {

  /** How long the serving gauges reuse one snapshot of the replica pool: {@value} ms. */
  static final long SNAPSHOT_MILLIS = 100;

  private final RoutingDataSource dataSource;
  private final Tags tags;
  private final EndpointPoolMetrics replicaPool;
  private final EndpointPoolMetrics primaryPool;
  private final MeterBinding.Group bindings = new MeterBinding.Group();

  private RoutingDataSourceMetrics(RoutingDataSource dataSource, Tags tags) {
    this.dataSource = dataSource;
    this.tags = tags;
    this.replicaPool = EndpointPoolMetrics.of(dataSource.replicaPool(), tags);
    this.primaryPool = EndpointPoolMetrics.of(dataSource.primaryPool(), tags);
  }

  /** Returns a binder of the data source's meters. */
  public static RoutingDataSourceMetrics of(RoutingDataSource dataSource) {
    return of(dataSource, Tags.empty());
  }

  /** Returns a binder of the data source's meters, each with these tags too. */
  public static RoutingDataSourceMetrics of(RoutingDataSource dataSource, Iterable<Tag> tags) {
    requireNonNull(dataSource, "dataSource");
    requireNonNull(tags, "tags");
    return new RoutingDataSourceMetrics(dataSource, Tags.of(tags));
  }

  /** Registers the data source's meters in {@code registry}, and keeps them in step with its replicas. */
  @Override
  public void bindTo(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    replicaPool.bindTo(registry);
    primaryPool.bindTo(registry);
    MeterBinding binding = bindings.bind(registry);
    Tags dsTags = tags.and("datasource", dataSource.name());
    Router router = dataSource.router();
    binding.add(FunctionCounter.builder("rota.jdbc.fallbacks", router, r -> r.fallbacks.sum()).tags(dsTags)
        .description("Read-only connections sent to the primary because no replica could serve them")
        .register(registry));
    binding.add(FunctionCounter.builder("rota.jdbc.read.your.writes.primary", router, r -> r.rywOnPrimary.sum())
        .tags(dsTags).description("Read-only connections kept on the primary by read-your-writes")
        .register(registry));
    NodeStats primary = dataSource.health().primaryStats;
    Tags primaryTags = dsTags.and("node", dataSource.primaryId());
    binding.add(connections(registry, primary, primaryTags, "write"));
    nodeMeters(registry, primary, primaryTags).forEach(binding::add);
    binding.follow(dataSource.replicaPool(), new Replicas(dataSource, dsTags));
  }

  /** Removes every meter this binder registered (the replica and primary pools' too), from every registry. */
  @Override
  public void close() {
    bindings.close();
    replicaPool.close();
    primaryPool.close();
  }

  @Override
  public String toString() {
    return "RoutingDataSourceMetrics{datasource=" + dataSource.name() + ", tags=" + tags + '}';
  }

  private static Meter connections(MeterRegistry r, NodeStats stats, Tags nodeTags, String kind) {
    return FunctionCounter.builder("rota.jdbc.connections", stats,
            s -> ("read".equals(kind) ? s.reads : s.writes).sum())
        .tags(nodeTags).tag("kind", kind).description("Physical connections routed to the node").register(r);
  }

  /** The meters every node has: read connections and failures. */
  private static List<Meter> nodeMeters(MeterRegistry r, NodeStats stats, Tags nodeTags) {
    return List.of(connections(r, stats, nodeTags, "read"),
        FunctionCounter.builder("rota.jdbc.connection.failures", stats, s -> s.failures.sum()).tags(nodeTags)
            .description("Connections to the node that failed").register(r));
  }

  /** The lag of a replica as last checked, in seconds; NaN while unknown. */
  static double lagSeconds(NodeStats stats) {
    Duration lag = stats.lag;
    if (lag == null || stats.role != RoutingSnapshot.Role.REPLICA) {
      return Double.NaN;
    }
    return lag.toNanos() / 1e9;
  }

  /** The meters of each replica, read from its node state and the replica pool. */
  private static final class Replicas implements MeterBinding.EndpointMeters<NodeStats> {
    private final HealthChecks health;
    private final Tags dsTags;
    private final ServingView serving;

    Replicas(RoutingDataSource dataSource, Tags dsTags) {
      this.health = dataSource.health();
      this.dsTags = dsTags;
      this.serving = new ServingView(dataSource.replicaPool());
    }

    @Override
    public @Nullable NodeStats find(String endpointId) {
      return health.replicaStats.get(endpointId);
    }

    @Override
    public List<Meter> register(MeterRegistry r, String id, NodeStats stats) {
      Tags t = dsTags.and("node", id);
      List<Meter> out = new ArrayList<>(nodeMeters(r, stats, t));
      out.add(TimeGauge.builder("rota.jdbc.replica.lag", stats, TimeUnit.SECONDS, RoutingDataSourceMetrics::lagSeconds)
          .tags(t).description("Replication lag at the replica's last check; NaN while unknown").register(r));
      out.add(Gauge.builder("rota.jdbc.replica.serving", serving, v -> v.serving(id) ? 1 : 0).tags(t)
          .description("1 while the replica takes reads").register(r));
      return out;
    }
  }

  /**
   * The replica pool's snapshot, taken at most once per {@link #SNAPSHOT_MILLIS}, so that a scrape of
   * N serving gauges costs one snapshot, not N. Thread-safe.
   */
  private static final class ServingView {
    private final EndpointPool<DataSource> pool;
    private volatile @Nullable Taken taken;

    ServingView(EndpointPool<DataSource> pool) {
      this.pool = pool;
    }

    boolean serving(String id) {
      long now = System.nanoTime();
      Taken t = taken;
      if (t == null || now - t.atNanos > TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_MILLIS)) {
        t = new Taken(pool.snapshot(), now);
        taken = t;
      }
      EndpointSnapshot e = t.snapshot.endpoint(id);
      return e != null && e.effectiveWeight() > 0;
    }

    private record Taken(PoolSnapshot snapshot, long atNanos) {}
  }
}
