package io.rota.core;

/**
 * A point-in-time view of one endpoint of an {@link EndpointPool}.
 *
 * @param id the endpoint id
 * @param tier the endpoint tier
 * @param state the health state
 * @param weight the configured weight
 * @param effectiveWeight the weight selection uses now: 0 when not available, less than
 *     {@code weight} while ramping or half-open
 * @param inFlight leases opened with {@link EndpointPool#acquire()} and not yet reported
 * @param successes calls reported successful since the endpoint joined the pool
 * @param failures calls reported failed since the endpoint joined the pool
 * @param ejections how many times the circuit breaker has ejected it since it last recovered
 */
public record EndpointSnapshot(
    String id,
    Tier tier,
    EndpointState state,
    int weight,
    double effectiveWeight,
    int inFlight,
    long successes,
    long failures,
    int ejections) {}
