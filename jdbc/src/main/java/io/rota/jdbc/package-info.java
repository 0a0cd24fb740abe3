/**
 * Rota JDBC: read/write splitting inside the application. Start with
 * {@link io.rota.jdbc.RoutingDataSource#builder()}; mark read-only work with
 * {@link io.rota.jdbc.ReadOnly}, {@code Connection.setReadOnly(true)} or
 * {@link io.rota.jdbc.RoutingDataSource#readOnly}; choose a {@link io.rota.jdbc.ReadYourWrites} mode.
 */
@NullMarked
package io.rota.jdbc;

import org.jspecify.annotations.NullMarked;
