package io.rota.spring;

import io.rota.jdbc.RoutingDataSource;
import java.lang.reflect.UndeclaredThrowableException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link io.rota.jdbc.ReadOnly @ReadOnly} bean method in {@link RoutingDataSource#readOnly}:
 * transactions that begin inside it go to a replica; a read-write transaction it joins stays on the
 * primary. Stateless and thread-safe.
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
          throw new UndeclaredThrowableException(t);
        }
      });
    } catch (UndeclaredThrowableException e) {
      throw e.getUndeclaredThrowable() != null ? e.getUndeclaredThrowable() : e;
    }
  }
}
