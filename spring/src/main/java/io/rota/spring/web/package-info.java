/**
 * Servlet web support: a read-your-writes context per request ({@link io.rota.spring.web.ReadYourWritesFilter}).
 */
@NullMarked
package io.rota.spring.web;

import org.jspecify.annotations.NullMarked;
