package io.rota.core;

/**
 * The health of an endpoint in an {@link EndpointPool}, derived from its active health check, its
 * circuit breaker (passive health), its weight and slow start. When several apply, the first in this
 * list wins: an endpoint whose active check fails is {@link #DOWN} whatever its breaker says, and an
 * ejected endpoint is {@link #EJECTED} even while drained.
 *
 * <p>Which signal wins when: the active check and the breaker are two inputs to one state. Failed
 * checks ({@code fall} in a row) take an endpoint down whatever the breaker says. Passed checks end
 * both kinds of outage: {@code rise} passed checks in a row bring a down endpoint up, and
 * {@code rise} passed checks in a row counted since an ejection began end that ejection at once
 * (the breaker is reset to closed, as Envoy does by default), without waiting for the ejection time.
 * Without an active check, only the ejection time and the half-open trial calls bring an ejected
 * endpoint back.
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>picked?</th><th>how it is entered</th><th>how it is left</th></tr>
 *   <tr><td>{@link #DOWN}</td><td>no</td><td>{@code fall} consecutive failed active checks (or a
 *       failed first check with {@code initialCheck})</td>
 *       <td>{@code rise} consecutive passed checks; then {@link #RAMPING} if slow start is on</td></tr>
 *   <tr><td>{@link #EJECTED}</td><td>no</td><td>the breaker opened: consecutive failures or failure
 *       rate, or failed half-open trial calls</td><td>after the ejection time (which grows with each
 *       repeated ejection) it becomes {@link #HALF_OPEN}; or at once after {@code rise} consecutive
 *       passed active checks, then {@link #RAMPING} if slow start is on</td></tr>
 *   <tr><td>{@link #DRAINED}</td><td>no</td><td>its weight was set to 0</td><td>its weight is set
 *       above 0</td></tr>
 *   <tr><td>{@link #HALF_OPEN}</td><td>yes, at the slow-start floor share</td><td>the ejection
 *       time elapsed</td><td>the trial calls decide: {@link #EJECTED} again, or recovered; or
 *       {@code rise} consecutive passed checks</td></tr>
 *   <tr><td>{@link #RAMPING}</td><td>yes, at a share growing over the slow-start window</td>
 *       <td>recovered, or added at run time, while slow start is on</td><td>the window ends</td></tr>
 *   <tr><td>{@link #HEALTHY}</td><td>yes, at its full weight</td><td>start, or ramp finished</td>
 *       <td>as above</td></tr>
 * </table>
 */
public enum EndpointState {
  /** Available at its full weight. */
  HEALTHY,
  /** Available, with an effective weight ramping up to its weight (slow start). */
  RAMPING,
  /** Ejected earlier; now takes a small share of trial traffic that decides whether it recovers. */
  HALF_OPEN,
  /** Weight 0: healthy as far as the pool knows, but takes no traffic until its weight is raised. */
  DRAINED,
  /**
   * Taken out by its circuit breaker (passive health); not picked until its ejection time passes or
   * its active check passes {@code rise} times in a row.
   */
  EJECTED,
  /** Taken out by its active health check; not picked until the check passes again. */
  DOWN;

  /** Returns whether an endpoint in this state may be picked. */
  public boolean isAvailable() {
    return this == HEALTHY || this == RAMPING || this == HALF_OPEN;
  }
}
