/**
 * Rota HTTP: a load-balanced client over {@code java.net.http.HttpClient}. Start with
 * {@link io.rota.http.LoadBalancedHttpClient#builder(String)}; tune retries with
 * {@link io.rota.http.RetryPolicy} and {@link io.rota.http.RetryBudget}; failed requests throw
 * {@link io.rota.http.AllAttemptsFailedException}; monitor with
 * {@link io.rota.http.LoadBalancedHttpClient#snapshot()} ({@link io.rota.http.HttpClientSnapshot}) and
 * {@link io.rota.http.HttpClientEvent}s.
 */
@NullMarked
package io.rota.http;

import org.jspecify.annotations.NullMarked;
