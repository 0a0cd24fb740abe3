/** Extension points of Rota JDBC: {@link io.rota.jdbc.spi.Dialect} for other database families. */
@NullMarked
package io.rota.jdbc.spi;

import org.jspecify.annotations.NullMarked;
