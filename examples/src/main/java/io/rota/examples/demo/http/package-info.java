/**
 * The demo's HTTP side: {@link io.rota.examples.demo.http.Backends} (real WireMock backends whose
 * faults change at run time: 503s, connection resets, down) and
 * {@link io.rota.examples.demo.http.PricingService} (the Rota load-balanced client over them, with
 * retries, health checks and a backup).
 */
@NullMarked
package io.rota.examples.demo.http;

import org.jspecify.annotations.NullMarked;
