/** Implementation details of Rota JDBC. Not exported; not an API. */
@NullMarked
package io.rota.jdbc.internal;

import org.jspecify.annotations.NullMarked;
