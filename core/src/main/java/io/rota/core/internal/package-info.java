/** Implementation details of Rota core. Not exported; not an API: anything here may change. */
@NullMarked
package io.rota.core.internal;

import org.jspecify.annotations.NullMarked;
