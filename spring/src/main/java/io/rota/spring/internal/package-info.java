/** Internals of rota-spring: not an API, may change in any release. */
@NullMarked
package io.rota.spring.internal;

import org.jspecify.annotations.NullMarked;
