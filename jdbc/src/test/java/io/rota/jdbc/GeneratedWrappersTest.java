package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed wrappers are what {@link WrapperGenerator} writes, and leave no interface method out. */
class GeneratedWrappersTest {

  static List<Arguments> wrappers() {
    return List.of(
        Arguments.of(RoutingResultSet.class, ResultSet.class),
        Arguments.of(RoutingDatabaseMetaData.class, DatabaseMetaData.class),
        Arguments.of(RoutingStatement.class, Statement.class),
        Arguments.of(RoutingPreparedStatement.class, PreparedStatement.class),
        Arguments.of(RoutingCallableStatement.class, CallableStatement.class));
  }

  @ParameterizedTest
  @MethodSource("wrappers")
  void theCommittedSourceIsWhatTheGeneratorWrites(Class<?> wrapper, Class<?> iface) throws IOException {
    Map<String, String> sources = WrapperGenerator.sources();
    String file = wrapper.getSimpleName() + ".java";

    assertThat(sources).containsKey(file);
    assertThat(Files.readString(WrapperGenerator.FROM_MODULE.resolve(file)))
        .as("%s is not what WrapperGenerator writes: change the generator, not the file, and run"
            + " `java jdbc/src/test/java/io/rota/jdbc/WrapperGenerator.java` from the repository root", file)
        .isEqualTo(sources.get(file));
  }

  @ParameterizedTest
  @MethodSource("wrappers")
  void everyMethodOfTheInterfaceIsDeclaredByTheWrapper(Class<?> wrapper, Class<?> iface) {
    List<String> missing = new ArrayList<>();
    for (Method m : WrapperGenerator.interfaceMethods(iface)) {
      Method declared = declared(wrapper, m);
      if (declared == null || Modifier.isAbstract(declared.getModifiers()) || declared.isBridge()) {
        missing.add(WrapperGenerator.key(m));
      }
    }

    assertThat(missing).as("methods of %s that %s leaves to the interface", iface.getSimpleName(),
        wrapper.getSimpleName()).isEmpty();
    assertThat(iface).isAssignableFrom(wrapper);
  }

  /** The declaration of {@code m} in {@code wrapper} or the wrapper classes it extends, or null. */
  private static Method declared(Class<?> wrapper, Method m) {
    for (Class<?> c = wrapper; c != Object.class; c = c.getSuperclass()) {
      try {
        return c.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        // in the superclass, then
      }
    }
    return null;
  }
}
