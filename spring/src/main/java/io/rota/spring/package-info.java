/**
 * Spring Boot auto-configuration for rota-jdbc: {@link io.rota.spring.RotaJdbcAutoConfiguration} and its
 * settings, {@link io.rota.spring.RotaJdbcProperties} ({@code rota.jdbc.*}).
 */
@NullMarked
package io.rota.spring;

import org.jspecify.annotations.NullMarked;
