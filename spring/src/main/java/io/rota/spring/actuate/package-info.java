/**
 * Spring Boot Actuator support for the routing data source: the {@code rota} health contributor, the
 * {@code rota} endpoint and the auto-configuration of its Micrometer meters.
 */
@NullMarked
package io.rota.spring.actuate;

import org.jspecify.annotations.NullMarked;
