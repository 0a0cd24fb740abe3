package io.rota.http;

import static io.rota.core.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the endpoints of a {@link LoadBalancedHttpClient} come from, read again on an interval and
 * diffed into the client: endpoints that appear are added, those that disappear are removed (and
 * drain), those whose weight changed are reweighted; an endpoint whose base URI, tier or authority
 * changed is replaced. Give one with {@link LoadBalancedHttpClientBuilder#endpointSource}.
 *
 * <ul>
 *   <li>{@link #of(List)}: a static list, read once;
 *   <li>{@link #polling(Supplier, Duration)}: a supplier of your own (a config file, a service
 *       registry client), asked every interval;
 *   <li>{@link DnsEndpointSource}: a DNS name resolved again every interval, one endpoint per address.
 * </ul>
 *
 * <h2>Failures</h2>
 * The first read happens in {@code build()}, which fails if it throws or finds no endpoint. A later
 * read that throws or returns no endpoint changes nothing: the client keeps the last known set, says
 * so once at WARN (and at INFO when a read succeeds again), and tries again at the next interval.
 *
 * <h2>What the source owns</h2>
 * A source changes only the endpoints it delivered itself: endpoints given to the builder with
 * {@code endpoint(...)} or added with {@link LoadBalancedHttpClient#addEndpoint} are left alone, and a
 * hand-made {@link LoadBalancedHttpClient#setWeight} lasts until the source itself changes that
 * endpoint. An id the source delivers that was added by hand is taken over by the source.
 *
 * <h2>Threading</h2>
 * Implementations must be thread-safe; the client calls {@link #endpoints()} from one thread of its
 * own at a time ({@code rota-<service>-endpoints}), never while it holds a lock.
 */
public interface EndpointSource {

  /**
   * Returns the endpoints now, with unique ids.
   *
   * @throws Exception if they cannot be read now; the client keeps the last known set
   */
  List<HttpEndpoint> endpoints() throws Exception;

  /** Returns how often the client reads {@link #endpoints()} again; {@link Duration#ZERO} for never. */
  Duration refreshInterval();

  /**
   * Returns a static list, read once: the same as giving each endpoint to the builder.
   *
   * @throws IllegalArgumentException if the list is empty
   */
  static EndpointSource of(List<HttpEndpoint> endpoints) {
    List<HttpEndpoint> copy = List.copyOf(endpoints);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("endpoints: none (expected: at least one)");
    }
    return new EndpointSource() {
      @Override
      public List<HttpEndpoint> endpoints() {
        return copy;
      }

      @Override
      public Duration refreshInterval() {
        return Duration.ZERO;
      }

      @Override
      public String toString() {
        return "static " + copy;
      }
    };
  }

  /**
   * Returns a source that asks {@code supplier} for the endpoints every {@code interval}.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  static EndpointSource polling(Supplier<? extends List<HttpEndpoint>> supplier, Duration interval) {
    requireNonNull(supplier, "supplier");
    Duration every = positive(interval, "interval");
    return new EndpointSource() {
      @Override
      public List<HttpEndpoint> endpoints() {
        return List.copyOf(supplier.get());
      }

      @Override
      public Duration refreshInterval() {
        return every;
      }

      @Override
      public String toString() {
        return "polling every " + every;
      }
    };
  }
}
