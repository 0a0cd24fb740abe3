package io.rota.benchmarks.select;

import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.endpoint.EndpointSelectionStrategy;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Armeria 1.40: {@code EndpointGroup.of(EndpointSelectionStrategy.weightedRoundRobin(), endpoints)}
 * over {@code Endpoint.of("host-<i>", 8080).withWeight(w)}, picked with
 * {@link EndpointGroup#selectNow(ClientRequestContext)}.
 *
 * <p>{@code selectNow} needs a {@link ClientRequestContext}. A real client gets a new one per request
 * from its decorator chain; here one context ({@code ClientRequestContext.of(HttpRequest.of(GET, "/"))})
 * is built in the constructor and reused for every pick, so its construction is <em>not</em> in the
 * pick cost. The weighted round-robin selector does not read the context.
 *
 * <p>A static group cannot change a weight: {@link #setWeight} builds a new group with the changed
 * endpoint, which is what a user of a static group does (a {@code DynamicEndpointGroup} also builds a
 * new selector state on every change). Thread-safe for {@link #pick()}: the group is published
 * through a volatile field.
 */
public final class ArmeriaWrrPicker implements Picker {

  private final int[] weights;
  private final ClientRequestContext ctx;
  private volatile EndpointGroup group;

  /** Builds the group over endpoints {@code host-<i>:8080} with these weights. */
  public ArmeriaWrrPicker(int[] weights) {
    Weights.check(weights);
    this.weights = weights.clone();
    this.ctx = ClientRequestContext.of(HttpRequest.of(HttpMethod.GET, "/"));
    this.group = build(this.weights);
  }

  static List<Endpoint> endpoints(int[] weights) {
    List<Endpoint> endpoints = new ArrayList<>(weights.length);
    for (int i = 0; i < weights.length; i++) {
      endpoints.add(Endpoint.of("host-" + i, 8080).withWeight(weights[i]));
    }
    return endpoints;
  }

  private static EndpointGroup build(int[] weights) {
    return EndpointGroup.of(EndpointSelectionStrategy.weightedRoundRobin(), endpoints(weights));
  }

  @Override
  public String name() {
    return "armeriaWrr";
  }

  @Override
  public Endpoint pick() {
    return group.selectNow(ctx);
  }

  @Override
  public int index(Object picked) {
    return number(picked);
  }

  /** Returns the endpoint number of an Armeria endpoint {@code host-<i>}. */
  static int number(Object endpoint) {
    return Weights.number(((Endpoint) endpoint).host(), 5);
  }

  @Override
  public void setWeight(int index, int weight) {
    Weights.checkChange(weights, index, weight);
    weights[index] = weight;
    EndpointGroup old = group;
    group = build(weights);
    old.close();
  }

  @Override
  public String weightChange() {
    return "rebuild: a new EndpointGroup.of(weightedRoundRobin(), endpoints) per change";
  }

  @Override
  public void close() {
    group.close();
  }
}
