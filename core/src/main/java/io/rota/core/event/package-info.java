/**
 * Events published by {@link io.rota.core.EndpointPool}: start with {@link io.rota.core.event.PoolEvent}
 * and register a {@link io.rota.core.event.PoolEventListener} through
 * {@link io.rota.core.EndpointPool#addListener}.
 */
@NullMarked
package io.rota.core.event;

import org.jspecify.annotations.NullMarked;
