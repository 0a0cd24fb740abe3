package io.rota.core;

/**
 * One call to one endpoint of an {@link EndpointPool}, from {@link EndpointPool#acquire()} to the
 * report of its outcome. While a lease is open its endpoint counts the call as in flight. A lease
 * takes exactly one report:
 *
 * <ul>
 *   <li>{@link #success()}: the endpoint served the call;
 *   <li>{@link #failure(Throwable)}: the endpoint failed it (refused, reset, timed out on its own,
 *       answered 5xx); enough failures eject it;
 *   <li>{@link #release()}: the outcome says nothing about the endpoint (the caller cancelled, was
 *       interrupted, ran out of its own deadline, sent a bad request): neither success nor failure.
 * </ul>
 *
 * <p>{@link #close()} releases a lease that has no report yet and does nothing otherwise, so a lease
 * in try-with-resources is never left open:
 *
 * <pre>{@code
 * try (Lease<URI> lease = pool.acquire()) {
 *   try {
 *     call(lease.endpoint().address());
 *     lease.success();
 *   } catch (IOException e) {
 *     lease.failure(e);
 *     throw e;
 *   }
 * } // an exception other than IOException leaves the lease to close(): neutral
 * }</pre>
 *
 * <p>The latency the pool records runs from the acquisition to the report, on the pool's
 * {@link Ticker}. Outcomes for an endpoint removed from the pool in between are dropped.
 *
 * <p>Thread-safe: a lease may be reported from another thread than the one that acquired it; the
 * first report wins and any later one throws.
 *
 * @param <A> the type of the endpoint addresses
 */
public interface Lease<A> extends AutoCloseable {

  /** Returns the endpoint this lease is for. */
  Endpoint<A> endpoint();

  /**
   * Reports that the endpoint served the call.
   *
   * @throws IllegalStateException if the lease was reported already
   */
  void success();

  /**
   * Reports that the endpoint failed the call.
   *
   * @throws IllegalStateException if the lease was reported already
   */
  void failure(Throwable error);

  /**
   * Reports an outcome that says nothing about the endpoint: the call is no longer in flight and
   * counts as neither success nor failure.
   *
   * @throws IllegalStateException if the lease was reported already
   */
  void release();

  /** Returns whether the lease has had its report. */
  boolean isReported();

  /** Releases the lease if it has no report yet (see {@link #release()}); otherwise does nothing. */
  @Override
  void close();
}
