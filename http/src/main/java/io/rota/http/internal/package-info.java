/** Implementation details of Rota HTTP. Not exported; not an API. */
@NullMarked
package io.rota.http.internal;

import org.jspecify.annotations.NullMarked;
