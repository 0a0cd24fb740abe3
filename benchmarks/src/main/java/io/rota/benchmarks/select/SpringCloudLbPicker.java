package io.rota.benchmarks.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.SimpleObjectProvider;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.WeightedServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Spring Cloud LoadBalancer (Spring Cloud 2025.1, spring-cloud-loadbalancer 5.0):
 * {@code new RoundRobinLoadBalancer(provider, serviceId, 0)} over a
 * {@link WeightedServiceInstanceListSupplier}, whose weights are the instances' {@code weight}
 * metadata (its default {@code WeightFunction}); a pick is {@code choose().block().getServer()}. No
 * Spring context is needed: the supplier is wrapped in Spring Cloud's own {@link SimpleObjectProvider}.
 * The pick cost therefore <em>includes the reactive overhead</em> ({@code Flux}/{@code Mono} assembly,
 * {@code next()}, {@code map}, {@code block()}), which every user of this API pays.
 *
 * <p>Two set-ups:
 * <ul>
 *   <li>{@code cached == false} ({@code springCloudLb}): the weighted supplier over a supplier of the
 *       instance list, as {@code ServiceInstanceListSupplier.builder()...withWeighted()} builds it
 *       without {@code withCaching()}. Every {@code choose()} re-runs the weighted supplier, which
 *       builds a new {@code LazyWeightedServiceInstanceList} and expands it up to the round-robin
 *       position: the cost grows with the position in the period.
 *   <li>{@code cached == true} ({@code springCloudLbCached}): Spring's docs put
 *       {@code withCaching()} after {@code withWeighted()}, but its {@code CachingServiceInstanceListSupplier}
 *       needs a Spring {@code CacheManager} bean. Instead the weighted supplier is run once and the list
 *       it produced (the same lazily expanded list object the cache would hold) is served by a supplier
 *       returning {@code Flux.just(list)}; the cache look-up itself is not measured.
 * </ul>
 * The load balancer's position starts at 0 ({@code seedPosition}; its two-argument constructor picks a
 * random one) so the report is reproducible. {@link #setWeight} changes the instance's metadata (and,
 * cached, recomputes the list, as an expired cache would); the position carries on. Thread-safe.
 */
public final class SpringCloudLbPicker implements Picker {

  private static final String SERVICE = "bench";

  private final int[] weights;
  private final boolean cached;
  private final ListSupplier instances = new ListSupplier();
  private final ListSupplier expanded = new ListSupplier();
  private final WeightedServiceInstanceListSupplier weighted = new WeightedServiceInstanceListSupplier(instances);
  private final RoundRobinLoadBalancer balancer;

  /** Builds the load balancer over instances {@code e<i>} at {@code host-<i>:8080}. */
  public SpringCloudLbPicker(int[] weights, boolean cached) {
    Weights.check(weights);
    this.weights = weights.clone();
    this.cached = cached;
    update();
    ServiceInstanceListSupplier supplier = cached ? expanded : weighted;
    this.balancer = new RoundRobinLoadBalancer(new SimpleObjectProvider<>(supplier), SERVICE, 0);
  }

  private void update() {
    List<ServiceInstance> list = new ArrayList<>(weights.length);
    for (int i = 0; i < weights.length; i++) {
      list.add(new DefaultServiceInstance("e" + i, SERVICE, "host-" + i, 8080, false,
          Map.of("weight", Integer.toString(weights[i]))));
    }
    instances.list = List.copyOf(list);
    if (cached) {
      expanded.list = weighted.get().blockFirst();
    }
  }

  @Override
  public String name() {
    return cached ? "springCloudLbCached" : "springCloudLb";
  }

  @Override
  public ServiceInstance pick() {
    Response<ServiceInstance> response = balancer.choose().block();
    return response.getServer();
  }

  @Override
  public int index(Object picked) {
    return Weights.number(((ServiceInstance) picked).getInstanceId(), 1);
  }

  @Override
  public void setWeight(int index, int weight) {
    Weights.checkChange(weights, index, weight);
    weights[index] = weight;
    update();
  }

  @Override
  public String weightChange() {
    return cached
        ? "in place: new instance metadata, list recomputed once; the round-robin position carries on"
        : "in place: new instance metadata, seen by the next choose(); the round-robin position carries on";
  }

  @Override
  public void close() {}

  /** A supplier of a fixed list that can be replaced; stands for a discovery client's. */
  private static final class ListSupplier implements ServiceInstanceListSupplier {
    volatile List<ServiceInstance> list = List.of();

    @Override
    public String getServiceId() {
      return SERVICE;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
      return Flux.just(list);
    }
  }
}
