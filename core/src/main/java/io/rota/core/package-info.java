/**
 * Rota core: client-side load balancing inside the application. Start with
 * {@link io.rota.core.EndpointPool#builder(String)}, {@link io.rota.core.Endpoint} and
 * {@link io.rota.core.EndpointPoolConfig}; health states are in {@link io.rota.core.EndpointState},
 * monitoring in {@link io.rota.core.EndpointPool#snapshot()} and {@link io.rota.core.event}.
 */
@NullMarked
package io.rota.core;

import org.jspecify.annotations.NullMarked;
