package io.rota.examples.spring;

/**
 * A result and the database server that produced it, as the server itself said. Immutable.
 *
 * @param value the result
 * @param by {@code primary (port N)} or {@code replica (port N)}
 * @param <T> the result's type
 */
public record Served<T>(T value, String by) {}
