package io.rota.jdbc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method, or every method of a type, as read-only: connections of a
 * {@link RoutingDataSource} first used while such a method runs go to a replica.
 *
 * <p>Without Spring, the annotation takes effect through {@link RoutingDataSource#readOnlyProxy}
 * (a JDK proxy over an interface). Code without interfaces uses the scope API,
 * {@link RoutingDataSource#readOnly(RoutingDataSource.Work)}. With Spring,
 * {@code @Transactional(readOnly = true)} already calls {@code Connection.setReadOnly(true)} before
 * the first statement, which routes the same way.
 *
 * <p>A read-only method called inside a running write transaction stays on the primary: the
 * transaction's connection is already bound there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ReadOnly {}
