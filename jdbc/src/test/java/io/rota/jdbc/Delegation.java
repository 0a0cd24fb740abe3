package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support for the generated wrappers: a recording stub of any JDBC interface (a JDK proxy, in
 * tests only), one sample value per type and argument position, and the check that every method of
 * a wrapper reaches the object it wraps with the same arguments and returns its answer.
 */
final class Delegation {

  /** One call that reached a recording stub: {@code name(SimpleTypes)} and the arguments. */
  record Invocation(String method, List<Object> args) {
    static Invocation of(String method, Object... args) {
      return new Invocation(method, Arrays.asList(args));
    }
  }

  private static final Map<String, Object> SAMPLES = new ConcurrentHashMap<>();

  private Delegation() {}

  /** Returns a stub of {@code iface} that adds every call to {@code log} and answers {@link #sample}. */
  static <T> T recorder(Class<T> iface, List<Invocation> log) {
    return iface.cast(Proxy.newProxyInstance(Delegation.class.getClassLoader(), new Class<?>[] {iface},
        (p, m, a) -> {
          switch (m.getName()) {
            case "equals":
              return p == a[0];
            case "hashCode":
              return System.identityHashCode(p);
            case "toString":
              return iface.getSimpleName() + "Stub";
            default:
              log.add(new Invocation(WrapperGenerator.key(m), a == null ? List.of() : Arrays.asList(a)));
              return m.getReturnType() == void.class ? null : sample(m.getReturnType(), 0);
          }
        }));
  }

  /** Returns a stub of {@code iface} that records nowhere. */
  static <T> T stub(Class<T> iface) {
    return recorder(iface, new ArrayList<>());
  }

  /** The arguments to call {@code m} with: a sample per parameter, each distinct from its neighbours. */
  static Object[] arguments(Method m) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = sample(types[i], i + 1);
    }
    return args;
  }

  /** Returns the same non-null value of {@code type} for the same {@code position}. */
  static Object sample(Class<?> type, int position) {
    return SAMPLES.computeIfAbsent(type.getName() + "#" + position, k -> newSample(type, position));
  }

  private static Object newSample(Class<?> type, int position) {
    if (type == int.class) {
      return 10 + position;
    } else if (type == long.class) {
      return 100L + position;
    } else if (type == short.class) {
      return (short) (20 + position);
    } else if (type == byte.class) {
      return (byte) (30 + position);
    } else if (type == double.class) {
      return 0.5 + position;
    } else if (type == float.class) {
      return 0.25f + position;
    } else if (type == boolean.class) {
      return position % 2 == 0;
    } else if (type == String.class) {
      return "arg" + position;
    } else if (type == Object.class) {
      return new Object();
    } else if (type == Class.class) {
      return String.class;
    } else if (type.isArray()) {
      return java.lang.reflect.Array.newInstance(type.getComponentType(), position + 1);
    } else if (type == InputStream.class) {
      return new ByteArrayInputStream(new byte[position + 1]);
    } else if (type == Reader.class) {
      return new StringReader("reader" + position);
    } else if (type == BigDecimal.class) {
      return BigDecimal.valueOf(position);
    } else if (type == java.sql.Date.class) {
      return new java.sql.Date(position);
    } else if (type == Time.class) {
      return new Time(position);
    } else if (type == Timestamp.class) {
      return new Timestamp(position);
    } else if (type == Calendar.class) {
      return Calendar.getInstance();
    } else if (type == URL.class) {
      try {
        return URI.create("http://rota.test/" + position).toURL();
      } catch (MalformedURLException e) {
        throw new AssertionError(e);
      }
    } else if (type == SQLType.class) {
      return JDBCType.values()[position];
    } else if (type == Map.class) {
      return Map.of("k" + position, String.class);
    } else if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      return constants[position % constants.length];
    } else if (type == SQLWarning.class) {
      return new SQLWarning("warning" + position);
    } else if (type.isInterface()) {
      return stub(type);
    }
    throw new AssertionError("no sample of " + type + ": add one");
  }

  /**
   * Asserts that every method of {@code iface} but {@code except} ({@code name(SimpleTypes)}) called
   * on {@code wrapper} reaches the stub behind it (which logs to {@code log}) once, with the same
   * arguments, and returns the stub's answer: result sets wrapped in a {@link RoutingResultSet} of
   * {@code wrapper}.
   */
  static void assertDelegates(Class<?> iface, Object wrapper, List<Invocation> log, Set<String> except)
      throws IllegalAccessException {
    int checked = 0;
    for (Method m : WrapperGenerator.interfaceMethods(iface)) {
      String key = WrapperGenerator.key(m);
      if (except.contains(key)) {
        continue;
      }
      log.clear();
      Object[] args = arguments(m);
      Object result;
      try {
        result = m.invoke(wrapper, args);
      } catch (InvocationTargetException e) {
        throw new AssertionError(key + " threw", e.getCause());
      }
      assertThat(log).as(key).containsExactly(new Invocation(key, Arrays.asList(args)));
      if (m.getReturnType() == void.class) {
        assertThat(result).as(key).isNull();
      } else if (result instanceof RoutingResultSet rs) {
        assertThat(rs.delegate).as(key).isSameAs(sample(ResultSet.class, 0));
        assertThat(rs.owner).as(key).isSameAs(wrapper);
      } else {
        assertThat(result).as(key).isEqualTo(sample(m.getReturnType(), 0));
      }
      checked++;
    }
    assertThat(checked).as("methods checked").isGreaterThan(10);
  }
}
