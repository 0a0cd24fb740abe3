package io.rota.examples.spring;

import io.rota.jdbc.ReadOnly;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places and reads orders. Placing is a read-write transaction, so it runs on the primary; looking an
 * order up is a read-only transaction and listing is {@link ReadOnly @ReadOnly} work, so both run on a
 * replica. Thread-safe (stateless).
 */
@Service
public class OrderService {

  private final OrderRepository orders;

  /**
   * Creates the service.
   *
   * @param orders the repository
   */
  public OrderService(OrderRepository orders) {
    this.orders = orders;
  }

  /**
   * Places an order.
   *
   * @param item what is ordered
   * @param quantity how many
   * @return the saved order and the server that saved it
   */
  @Transactional
  public Served<Order> place(String item, int quantity) {
    Order saved = orders.save(new Order(item, quantity));
    return new Served<>(saved, orders.servedBy());
  }

  /**
   * Looks an order up, in a read-only transaction.
   *
   * @param id the order's id
   * @return the order, if there is one, and the server that was asked
   */
  @Transactional(readOnly = true)
  public Served<Optional<Order>> find(long id) {
    return new Served<>(orders.findById(id), orders.servedBy());
  }

  /**
   * Lists the latest orders. No transaction: each query runs on its own, and {@code @ReadOnly} sends
   * them to a replica (without it they would go to the primary).
   *
   * @return the 20 latest orders, newest first, and the server that listed them
   */
  @ReadOnly
  public Served<List<Order>> latest() {
    return new Served<>(orders.findTop20ByOrderByIdDesc(), orders.servedBy());
  }
}
