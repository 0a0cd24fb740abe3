package io.rota.core;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * An immutable endpoint: an id unique within its pool, an address of any type (a {@code URI}, a
 * {@code DataSource}, ...), a weight and a {@link Tier}.
 *
 * <p>Weights are relative: endpoints with weights 3 and 1 get three picks and one pick in every four.
 * A weight is an integer from 0 to {@value #MAX_WEIGHT}; weight 0 keeps an endpoint in the pool but
 * never picks it (a way to drain it). Proportions are exact while the weights of a tier, divided by
 * their greatest common divisor, add up to at most 131,072 (100 endpoints of weight 1,000 do);
 * beyond that they are kept to about one part in 131,072. A weight change at run time goes through
 * {@link EndpointPool#setWeight(String, int)}, which publishes a new endpoint value.
 *
 * <p>Instances are immutable and thread-safe. Equality covers every field.
 *
 * @param <A> the type of the address
 */
public final class Endpoint<A> {

  /** The largest weight: {@value}. */
  public static final int MAX_WEIGHT = 10_000;

  /** The weight given by {@link #of(String, Object)}: {@value}. */
  public static final int DEFAULT_WEIGHT = 1;

  private final String id;
  private final A address;
  private final int weight;
  private final Tier tier;

  private Endpoint(String id, A address, int weight, Tier tier) {
    this.id = id;
    this.address = address;
    this.weight = weight;
    this.tier = tier;
  }

  /**
   * Returns a primary endpoint with weight {@value #DEFAULT_WEIGHT}.
   *
   * @throws IllegalArgumentException if {@code id} is empty or blank
   * @throws NullPointerException if {@code id} or {@code address} is null
   */
  public static <A> Endpoint<A> of(String id, A address) {
    return of(id, address, DEFAULT_WEIGHT);
  }

  /**
   * Returns a primary endpoint with the given weight.
   *
   * @throws IllegalArgumentException if {@code id} is blank or {@code weight} is outside
   *     {@code 0..}{@value #MAX_WEIGHT}
   * @throws NullPointerException if {@code id} or {@code address} is null
   */
  public static <A> Endpoint<A> of(String id, A address, int weight) {
    requireNonNull(id, "id");
    requireNonNull(address, "address");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id: '" + id + "' (expected: a non-blank string)");
    }
    return new Endpoint<>(id, address, validateWeight(weight), Tier.PRIMARY);
  }

  static int validateWeight(int weight) {
    if (weight < 0 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 0.." + MAX_WEIGHT + ")");
    }
    return weight;
  }

  /** Returns the id, unique within a pool. */
  public String id() {
    return id;
  }

  /** Returns the address. */
  public A address() {
    return address;
  }

  /** Returns the configured weight, {@code 0..}{@value #MAX_WEIGHT}. */
  public int weight() {
    return weight;
  }

  /** Returns the tier. */
  public Tier tier() {
    return tier;
  }

  /**
   * Returns this endpoint with another weight, or {@code this} if the weight is the same.
   *
   * @throws IllegalArgumentException if {@code weight} is outside {@code 0..}{@value #MAX_WEIGHT}
   */
  public Endpoint<A> withWeight(int weight) {
    validateWeight(weight);
    return weight == this.weight ? this : new Endpoint<>(id, address, weight, tier);
  }

  /** Returns this endpoint in another tier, or {@code this} if the tier is the same. */
  public Endpoint<A> withTier(Tier tier) {
    requireNonNull(tier, "tier");
    return tier == this.tier ? this : new Endpoint<>(id, address, weight, tier);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Endpoint)) {
      return false;
    }
    Endpoint<?> that = (Endpoint<?>) o;
    return weight == that.weight && tier == that.tier && id.equals(that.id) && address.equals(that.address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, address, weight, tier);
  }

  /**
   * Returns {@code id (weight N)}, or {@code id (backup, weight N)} for a backup endpoint; the address
   * is left out, as it may hold credentials.
   */
  @Override
  public String toString() {
    return id + (tier == Tier.BACKUP ? " (backup, weight " : " (weight ") + weight + ')';
  }
}
