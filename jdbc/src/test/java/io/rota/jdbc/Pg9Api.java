package io.rota.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The calls of the integration tests to API that the core rewrite adds and this branch does not have
 * yet. Each body calls it by reflection and fails with {@code AssertionError("not implemented yet:
 * ...")} while it is missing; once it exists, replace the body by the direct call.
 */
final class Pg9Api {

  private Pg9Api() {}

  /** {@code builder.healthCheckTimeout(timeout)}: the I/O bound of each probe. */
  static RoutingDataSourceBuilder healthCheckTimeout(RoutingDataSourceBuilder builder, Duration timeout) {
    return (RoutingDataSourceBuilder) call(builder, "healthCheckTimeout", new Class<?>[] {Duration.class}, timeout);
  }

  /** {@code builder.rise(passes)}. */
  static RoutingDataSourceBuilder rise(RoutingDataSourceBuilder builder, int passes) {
    return (RoutingDataSourceBuilder) call(builder, "rise", new Class<?>[] {int.class}, passes);
  }

  /** {@code builder.fall(failures)}. */
  static RoutingDataSourceBuilder fall(RoutingDataSourceBuilder builder, int failures) {
    return (RoutingDataSourceBuilder) call(builder, "fall", new Class<?>[] {int.class}, failures);
  }

  /** {@code builder.primaryNetworkTimeout(timeout)}; default 30 s, {@link Duration#ZERO} for none. */
  static RoutingDataSourceBuilder primaryNetworkTimeout(RoutingDataSourceBuilder builder, Duration timeout) {
    return (RoutingDataSourceBuilder) call(builder, "primaryNetworkTimeout", new Class<?>[] {Duration.class}, timeout);
  }

  /** {@code builder.noLagCheck()}. */
  static RoutingDataSourceBuilder noLagCheck(RoutingDataSourceBuilder builder) {
    return (RoutingDataSourceBuilder) call(builder, "noLagCheck", new Class<?>[0]);
  }

  /** {@code builder.maxReruns(reruns)}; default 1. */
  static RoutingDataSourceBuilder maxReruns(RoutingDataSourceBuilder builder, int reruns) {
    return (RoutingDataSourceBuilder) call(builder, "maxReruns", new Class<?>[] {int.class}, reruns);
  }

  /** {@code ds.addReplica(id, replica, weight)}. */
  static void addReplica(RoutingDataSource ds, String id, DataSource replica, int weight) {
    call(ds, "addReplica", new Class<?>[] {String.class, DataSource.class, int.class}, id, replica, weight);
  }

  /** {@code ds.removeReplica(id)}. */
  static void removeReplica(RoutingDataSource ds, String id) {
    call(ds, "removeReplica", new Class<?>[] {String.class}, id);
  }

  /** {@code node.reason()}: why the node is not HEALTHY, or null. */
  static @Nullable String reason(RoutingSnapshot.Node node) {
    return (String) call(node, "reason", new Class<?>[0]);
  }

  private static @Nullable Object call(Object target, String name, Class<?>[] types, Object... args) {
    Method method;
    try {
      method = target.getClass().getMethod(name, types);
    } catch (NoSuchMethodException e) {
      throw new AssertionError("not implemented yet: " + target.getClass().getSimpleName() + "." + name + "("
          + Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")");
    }
    try {
      return method.invoke(target, args);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new AssertionError(cause);
    }
  }
}
