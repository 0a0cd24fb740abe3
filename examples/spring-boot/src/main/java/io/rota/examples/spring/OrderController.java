package io.rota.examples.spring;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /orders}, {@code GET /orders/{id}} and {@code GET /orders}. Each response says in its
 * {@value #SERVED_BY} header which database server ran it. Thread-safe (stateless).
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

  /** The response header naming the database server: {@code primary (port N)} or {@code replica (port N)}. */
  public static final String SERVED_BY = "X-Served-By";

  private final OrderService service;

  /**
   * Creates the controller.
   *
   * @param service the order service
   */
  public OrderController(OrderService service) {
    this.service = service;
  }

  /**
   * A new order.
   *
   * @param item what to order: not blank
   * @param quantity how many: at least 1
   */
  public record NewOrder(String item, int quantity) {}

  /**
   * An order as the API shows it.
   *
   * @param id its id
   * @param item what was ordered
   * @param quantity how many
   * @param placedAt when, ISO-8601
   */
  public record OrderView(long id, String item, int quantity, String placedAt) {
    static OrderView of(Order o) {
      return new OrderView(o.getId(), o.getItem(), o.getQuantity(), o.getPlacedAt().toString());
    }
  }

  /**
   * Places an order.
   *
   * @param order the new order
   * @return 201 with the order and its {@code Location}; 400 naming the bad field
   */
  @PostMapping
  public ResponseEntity<OrderView> place(@RequestBody NewOrder order) {
    if (order.item() == null || order.item().isBlank()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "item: '" + order.item() + "' (expected: not blank)");
    }
    if (order.quantity() < 1) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "quantity: " + order.quantity() + " (expected: >= 1)");
    }
    Served<Order> placed = service.place(order.item(), order.quantity());
    OrderView view = OrderView.of(placed.value());
    return ResponseEntity.created(URI.create("/orders/" + view.id())).header(SERVED_BY, placed.by()).body(view);
  }

  /**
   * Looks an order up.
   *
   * @param id the order's id
   * @return 200 with the order, or 404
   */
  @GetMapping("/{id}")
  public ResponseEntity<OrderView> find(@PathVariable long id) {
    Served<java.util.Optional<Order>> found = service.find(id);
    return found.value().map(o -> ResponseEntity.ok().header(SERVED_BY, found.by()).body(OrderView.of(o)))
        .orElseGet(() -> ResponseEntity.notFound().header(SERVED_BY, found.by()).build());
  }

  /**
   * Lists the latest orders.
   *
   * @return 200 with up to 20 orders, newest first
   */
  @GetMapping
  public ResponseEntity<List<OrderView>> latest() {
    Served<List<Order>> latest = service.latest();
    return ResponseEntity.ok().header(SERVED_BY, latest.by()).body(latest.value().stream().map(OrderView::of).toList());
  }
}
