/**
 * Rota HTTP: a load-balanced client over {@code java.net.http.HttpClient}. Start with
 * {@link io.rota.http.LoadBalancedHttpClient#builder(String)}; give endpoints as
 * {@link io.rota.http.HttpEndpoint}s or an {@link io.rota.http.EndpointSource} (such as
 * {@link io.rota.http.DnsEndpointSource}); set health in one place with
 * {@link io.rota.http.HealthSettings}; tune retries with
 * {@link io.rota.http.RetryPolicy} and {@link io.rota.http.RetryBudget}; failed requests throw
 * {@link io.rota.http.AllAttemptsFailedException}; monitor with
 * {@link io.rota.http.LoadBalancedHttpClient#snapshot()} ({@link io.rota.http.HttpClientSnapshot}) and
 * {@link io.rota.http.HttpClientEvent}s.
 */
@NullMarked
package io.rota.http;

import org.jspecify.annotations.NullMarked;
