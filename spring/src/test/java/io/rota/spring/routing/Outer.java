package io.rota.spring.routing;

import io.rota.jdbc.ReadOnly;
import org.springframework.transaction.annotation.Transactional;

/** The outer bean: transactions that call into {@link Queries}, so that propagation applies. */
public class Outer {

  private final Queries queries;

  Outer(Queries queries) {
    this.queries = queries;
  }

  /** Ports of: the read-write transaction itself, then a read-only REQUIRED method joining it. */
  @Transactional
  public int[] readOnlyJoiningReadWrite(String body) {
    queries.write(body);
    int outer = queries.readWrite();
    int inner = queries.readOnly();
    return new int[] {outer, inner, queries.count(body)};
  }

  /** Ports of: the read-write transaction, then a REQUIRES_NEW read-only one inside it. */
  @Transactional
  public int[] newReadOnlyInsideReadWrite() {
    return new int[] {queries.readWrite(), queries.newReadOnly()};
  }

  /** Ports of: the read-only transaction, then a REQUIRES_NEW read-write one that writes. */
  @Transactional(readOnly = true)
  public int[] newWriteInsideReadOnly(String body) {
    return new int[] {queries.readOnly(), queries.newWrite(body)};
  }

  /** A read-write REQUIRED method joining a read-only transaction: the write runs in it. */
  @Transactional(readOnly = true)
  public int writeJoiningReadOnly(String body) {
    int port = queries.readOnly();
    queries.write(body);
    return port;
  }

  /** A {@code @ReadOnly} method inside a read-write transaction that already ran a statement. */
  @Transactional
  public int[] readOnlyScopeInsideReadWrite() {
    return new int[] {queries.readWrite(), queries.readOnlyScope()};
  }

  /** A REQUIRES_NEW read-write transaction begun inside a {@code @ReadOnly} method. */
  @ReadOnly
  public int newWriteInsideReadOnlyScope(String body) {
    return queries.newWrite(body);
  }
}
