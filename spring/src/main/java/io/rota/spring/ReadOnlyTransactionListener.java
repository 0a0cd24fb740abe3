package io.rota.spring;

import io.rota.jdbc.RoutingDataSource;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Begins every new read-only Spring transaction in Rota's read-only scope, so that it runs on a
 * replica whether or not the transaction manager calls {@code Connection.setReadOnly(true)}.
 *
 * <p>Spring's {@code DataSourceTransactionManager} always calls it; {@code JpaTransactionManager} with
 * Hibernate calls it only when Hibernate holds connections until the session closes
 * ({@code hibernate.connection.handling_mode} {@code DELAYED_ACQUISITION_AND_HOLD}, Boot's default, or
 * {@code IMMEDIATE_ACQUISITION_AND_HOLD}). With the other modes the transaction would silently run on
 * the primary. The scope lasts only while the transaction manager begins the transaction (between
 * {@link #beforeBegin} and {@link #afterBegin}), which is when Rota fixes a transaction's kind; so a
 * read-write transaction begun later inside it (REQUIRES_NEW) is not made read-only.
 *
 * <p>Boot applies {@code TransactionExecutionListener} beans to the transaction manager it
 * auto-configures; add this one to your own with {@code setTransactionExecutionListeners}.
 *
 * <p>Thread-safe: the scopes are per thread.
 */
public final class ReadOnlyTransactionListener implements TransactionExecutionListener {

  /** The transactions being begun on this thread that entered a scope, innermost first. */
  private final ThreadLocal<ArrayDeque<Entered>> entered = ThreadLocal.withInitial(ArrayDeque::new);

  private record Entered(TransactionExecution transaction, RoutingDataSource.Scope scope) {}

  /** Creates the listener. */
  public ReadOnlyTransactionListener() {}

  /** Enters the read-only scope if {@code transaction} is a new read-only one. */
  @Override
  public void beforeBegin(TransactionExecution transaction) {
    if (transaction.isNewTransaction() && transaction.isReadOnly()) {
      entered.get().push(new Entered(transaction, RoutingDataSource.enterReadOnly()));
    }
  }

  /** Leaves the scope {@link #beforeBegin} entered for {@code transaction}, if any. */
  @Override
  public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
    ArrayDeque<Entered> stack = entered.get();
    Entered top = stack.peek();
    if (top != null && top.transaction() == transaction) {
      stack.pop().scope().close();
    }
    if (stack.isEmpty()) {
      entered.remove();
    }
  }

  @Override
  public String toString() {
    return "ReadOnlyTransactionListener";
  }
}
