package io.rota.spring.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.springframework.stereotype.Component;

/**
 * Tells which server runs the current transaction: {@code select inet_server_port()} as a native
 * query through the transaction's EntityManager, so on the transaction's own connection.
 */
@Component
class Node {

  @PersistenceContext
  private EntityManager em;

  /** The port of the server that ran the query. */
  public int port() {
    return ((Number) em.createNativeQuery("select inet_server_port()").getSingleResult()).intValue();
  }
}
