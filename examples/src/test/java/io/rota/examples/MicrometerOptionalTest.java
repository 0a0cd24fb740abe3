package io.rota.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.Lease;
import io.rota.http.AllAttemptsFailedException;
import io.rota.http.LoadBalancedHttpClient;
import io.rota.jdbc.RoutingDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLogger;

/**
 * Micrometer is an optional dependency of rota-core, rota-jdbc and rota-http: only the binder classes
 * ({@code *Metrics} and their helper {@code core.internal.MeterBinding}) name its types, nothing else
 * names them or the binders, and Rota runs with no Micrometer on the class path.
 */
class MicrometerOptionalTest {

  /** The classes allowed to name Micrometer types, as class-file paths (nested classes included). */
  private static final Pattern BINDERS = Pattern.compile(
      "io/rota/(core/EndpointPoolMetrics|core/internal/MeterBinding|jdbc/RoutingDataSourceMetrics"
          + "|http/LoadBalancedHttpClientMetrics)(\\$.*)?\\.class");
  /** What no other class file may contain: a Micrometer type, or a binder (whose loading needs one). */
  private static final List<String> FORBIDDEN = List.of("io/micrometer/", "io/rota/core/EndpointPoolMetrics",
      "io/rota/core/internal/MeterBinding", "io/rota/jdbc/RoutingDataSourceMetrics",
      "io/rota/http/LoadBalancedHttpClientMetrics");

  @Test
  void onlyTheBindersNameMicrometerTypesOrTheBinders() throws IOException, URISyntaxException {
    Map<String, byte[]> classes = new TreeMap<>();
    for (Class<?> module : List.of(EndpointPool.class, RoutingDataSource.class, LoadBalancedHttpClient.class)) {
      classes.putAll(classFiles(location(module)));
    }
    List<String> offenders = new ArrayList<>();
    List<String> binders = new ArrayList<>();
    classes.forEach((name, bytes) -> {
      // Class names, descriptors and signatures are modified UTF-8 in the constant pool: ASCII here.
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      if (BINDERS.matcher(name).matches()) {
        binders.add(name);
      } else {
        FORBIDDEN.stream().filter(text::contains).forEach(f -> offenders.add(name + " names " + f));
      }
    });

    assertThat(classes).as("class files scanned").hasSizeGreaterThan(100);
    List<String> topLevel = List.of("io/rota/core/EndpointPoolMetrics.class", "io/rota/core/internal/MeterBinding.class",
        "io/rota/jdbc/RoutingDataSourceMetrics.class", "io/rota/http/LoadBalancedHttpClientMetrics.class");
    assertThat(binders).containsAll(topLevel);
    assertThat(topLevel).as("the scan finds Micrometer where it is")
        .allSatisfy(b -> assertThat(new String(classes.get(b), StandardCharsets.ISO_8859_1)).contains("io/micrometer/"));
    assertThat(offenders).isEmpty();
  }

  @Test
  void rotaRunsWithNoMicrometerOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (Class<?> c : List.of(EndpointPool.class, RoutingDataSource.class, LoadBalancedHttpClient.class,
        CircuitBreaker.class, IntervalFunction.class, Retry.class, Caffeine.class, Logger.class, SimpleLogger.class,
        Nullable.class, Probe.class)) {
      urls.add(location(c).toUri().toURL());
    }
    assertThat(urls).noneMatch(u -> u.toString().contains("micrometer"));
    try (URLClassLoader withoutMicrometer = new URLClassLoader(urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      Class<?> probe = withoutMicrometer.loadClass(Probe.class.getName());
      assertThat(probe.getClassLoader()).isSameAs(withoutMicrometer);
      @SuppressWarnings("unchecked")
      Callable<String> run = (Callable<String>) probe.getDeclaredConstructor().newInstance();
      assertThat(run.call()).isEqualTo("ran without Micrometer");
    }
  }

  /**
   * Uses a pool with a health check, a load-balanced HTTP client and a routing data source; loaded
   * by a class loader that sees Rota and its required dependencies only.
   */
  public static final class Probe implements Callable<String> {
    /** Creates the probe. */
    public Probe() {}

    @Override
    public String call() throws Exception {
      try {
        Class.forName("io.micrometer.core.instrument.MeterRegistry");
        return "Micrometer is on the class path: the probe proves nothing";
      } catch (ClassNotFoundException expected) {
        // as it should be
      }
      try (EndpointPool<String> pool = EndpointPool.<String>builder("probe").healthCheck(e -> {})
          .endpoint(Endpoint.of("a", "addr-a", 1)).build()) {
        if (!pool.awaitReady(Duration.ofSeconds(10))) {
          return "pool not ready";
        }
        try (Lease<String> lease = pool.acquire()) {
          lease.success();
        }
        if (pool.snapshot().endpoint("a").successes() != 1) {
          return "success not counted";
        }
      }
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("probe")
          .endpoint("a", URI.create("http://127.0.0.1:" + closed)).build()) {
        client.send(client.newRequest("/").build(), HttpResponse.BodyHandlers.discarding());
        return "a request to a closed port succeeded";
      } catch (AllAttemptsFailedException expected) {
        // refused, as it should be
      }
      DataSource refusing = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
          new Class<?>[] {DataSource.class}, (p, m, args) -> {
            throw new SQLException("no database here", "08001");
          });
      try (RoutingDataSource ds = RoutingDataSource.builder().name("probe").primary("p", refusing)
          .replica("r", refusing, 1).build()) {
        ds.getConnection().close(); // lazy: takes nothing yet
        if (ds.snapshot().replica("r") == null) {
          return "no replica in the snapshot";
        }
      }
      return "ran without Micrometer";
    }
  }

  private static Path location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** The class files of a class-path entry (a directory or a jar), by path. */
  private static Map<String, byte[]> classFiles(Path entry) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    if (Files.isDirectory(entry)) {
      try (Stream<Path> files = Files.walk(entry)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
          out.put(entry.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
      return out;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      for (var e : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
        if (e.getName().endsWith(".class")) {
          try (InputStream in = jar.getInputStream(e)) {
            out.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
    return out;
  }
}
