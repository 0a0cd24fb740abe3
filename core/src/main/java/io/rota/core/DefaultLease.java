package io.rota.core;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/** The {@link Lease} implementation: one CAS decides the single report. */
final class DefaultLease<A> implements Lease<A> {

  private static final VarHandle OUTCOME;

  static {
    try {
      OUTCOME = MethodHandles.lookup().findVarHandle(DefaultLease.class, "outcome", String.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final DefaultEndpointPool<A> pool;
  private final Endpoint<A> endpoint;
  /** The pool's record of the endpoint when the lease was taken, or null if it was not a member. */
  private final @Nullable Entry<A> entry;
  private final long startNanos;
  @SuppressWarnings("unused") // through OUTCOME
  private volatile @Nullable String outcome;

  DefaultLease(DefaultEndpointPool<A> pool, Endpoint<A> endpoint, @Nullable Entry<A> entry, long startNanos) {
    this.pool = pool;
    this.endpoint = endpoint;
    this.entry = entry;
    this.startNanos = startNanos;
  }

  @Override
  public Endpoint<A> endpoint() {
    return endpoint;
  }

  @Override
  public void success() {
    report("success");
    if (entry != null) {
      pool.recordSuccess(entry, startNanos);
    }
  }

  @Override
  public void failure(Throwable error) {
    requireNonNull(error, "error");
    report("failure");
    if (entry != null) {
      pool.recordFailure(entry, startNanos, error);
    }
  }

  @Override
  public void release() {
    report("release");
    if (entry != null) {
      pool.recordRelease(entry);
    }
  }

  @Override
  public boolean isReported() {
    return OUTCOME.getVolatile(this) != null;
  }

  @Override
  public void close() {
    if (OUTCOME.compareAndSet(this, null, "release") && entry != null) {
      pool.recordRelease(entry);
    }
  }

  private void report(String what) {
    if (!OUTCOME.compareAndSet(this, null, what)) {
      throw new IllegalStateException("lease of endpoint '" + endpoint.id() + "' in pool '" + pool.name()
          + "': already reported as " + OUTCOME.getVolatile(this) + " (expected: one report per lease)");
    }
  }

  @Override
  public String toString() {
    Object o = OUTCOME.getVolatile(this);
    return "Lease{pool=" + pool.name() + ", endpoint=" + endpoint.id() + ", " + (o == null ? "open" : o) + '}';
  }
}
