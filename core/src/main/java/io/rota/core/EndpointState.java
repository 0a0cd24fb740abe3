package io.rota.core;

/**
 * The health of an endpoint in an {@link EndpointPool}, derived from its active health check, its
 * circuit breaker (passive health) and slow start. When several apply, the first in this list wins:
 * an endpoint whose active check fails is {@link #DOWN} whatever its breaker says.
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>picked?</th><th>how it is entered</th><th>how it is left</th></tr>
 *   <tr><td>{@link #DOWN}</td><td>no</td><td>{@code fall} consecutive failed active checks</td>
 *       <td>{@code rise} consecutive passed checks; then {@link #RAMPING} if slow start is on</td></tr>
 *   <tr><td>{@link #EJECTED}</td><td>no</td><td>the breaker opened: consecutive failures or failure
 *       rate</td><td>after the ejection time (which grows with each repeated ejection) it becomes
 *       {@link #HALF_OPEN}</td></tr>
 *   <tr><td>{@link #HALF_OPEN}</td><td>yes, at the slow-start floor share</td><td>the ejection
 *       time elapsed</td><td>the trial calls decide: {@link #EJECTED} again, or recovered</td></tr>
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
  /** Taken out by its circuit breaker (passive health); not picked until its ejection time passes. */
  EJECTED,
  /** Taken out by its active health check; not picked until the check passes again. */
  DOWN;

  /** Returns whether an endpoint in this state may be picked. */
  public boolean isAvailable() {
    return this == HEALTHY || this == RAMPING || this == HALF_OPEN;
  }
}
