package io.rota.examples.spring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One order: what, how many, when. A JPA entity; not thread-safe, like any entity. */
@Entity
@Table(name = "orders")
public class Order {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false)
  private String item;

  @Column(nullable = false)
  private int quantity;

  @Column(name = "placed_at", nullable = false)
  private Instant placedAt;

  /** For JPA. */
  protected Order() {}

  /**
   * Creates an order placed now.
   *
   * @param item what is ordered
   * @param quantity how many
   */
  public Order(String item, int quantity) {
    this.item = item;
    this.quantity = quantity;
    this.placedAt = Instant.now();
  }

  /** Returns the id, or {@code null} before the order is saved. */
  public Long getId() {
    return id;
  }

  /** Returns what is ordered. */
  public String getItem() {
    return item;
  }

  /** Returns how many. */
  public int getQuantity() {
    return quantity;
  }

  /** Returns when the order was placed. */
  public Instant getPlacedAt() {
    return placedAt;
  }
}
