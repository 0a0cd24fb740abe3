/** Extension points of Rota core: {@link io.rota.core.spi.HealthCheck} for active health checks. */
@NullMarked
package io.rota.core.spi;

import org.jspecify.annotations.NullMarked;
