package io.rota.examples.spring;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The orders table. A Spring Data repository: thread-safe. */
public interface OrderRepository extends JpaRepository<Order, Long> {

  /** Returns the 20 latest orders, newest first. */
  List<Order> findTop20ByOrderByIdDesc();

  /**
   * Returns which server runs this statement: {@code primary} or {@code replica} (from
   * {@code pg_is_in_recovery()}) and its port. In a transaction, that is the transaction's server.
   */
  @Query(value = "select case when pg_is_in_recovery() then 'replica' else 'primary' end"
      + " || ' (port ' || inet_server_port() || ')'", nativeQuery = true)
  String servedBy();
}
