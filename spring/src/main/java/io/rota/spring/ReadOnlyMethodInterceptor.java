package io.rota.spring;

import io.rota.jdbc.RoutingDataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link io.rota.jdbc.ReadOnly @ReadOnly} bean method in {@link RoutingDataSource#readOnly}:
 * transactions that begin inside it go to a replica; a read-write transaction it joins stays on the
 * primary. Whatever the method throws reaches the caller unchanged. Stateless and thread-safe.
 */
public final class ReadOnlyMethodInterceptor implements MethodInterceptor {

  /** Creates the interceptor. */
  public ReadOnlyMethodInterceptor() {}

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    try {
      return RoutingDataSource.readOnly(() -> {
        try {
          return invocation.proceed();
        } catch (Exception | Error e) {
          throw e;
        } catch (Throwable t) {
          throw new Carrier(t);
        }
      });
    } catch (Carrier c) {
      throw c.getCause();
    }
  }

  /** Carries a throwable that is neither an Exception nor an Error through {@code Work}. */
  private static final class Carrier extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Carrier(Throwable cause) {
      super(null, cause, false, false);
    }
  }
}
