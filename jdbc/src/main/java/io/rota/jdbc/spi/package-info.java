/**
 * Extension points of Rota JDBC: {@link io.rota.jdbc.spi.Dialect} for other database families (with
 * {@link io.rota.jdbc.spi.NodeRole}, what its role probe finds), and
 * {@link io.rota.jdbc.spi.PrimaryResolver}, an outside authority on which node takes writes.
 */
@NullMarked
package io.rota.jdbc.spi;

import org.jspecify.annotations.NullMarked;
