package io.rota.core.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.security.CodeSource;
import java.util.function.Supplier;

/**
 * Turns a linkage error from Resilience4j (an older version than Rota was built for, pinned by the
 * application's dependency management) into an error that says which version is needed.
 */
public final class Resilience4j {

  /** The oldest Resilience4j that Rota runs on; CI tests against it. */
  public static final String OLDEST_SUPPORTED = "2.2.0";

  private Resilience4j() {}

  /**
   * Runs {@code action}, which calls Resilience4j.
   *
   * @throws IllegalStateException if Resilience4j on the class path lacks a class or method Rota uses
   */
  public static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (NoSuchMethodError | NoSuchFieldError | NoClassDefFoundError | AbstractMethodError e) {
      throw incompatible(e);
    }
  }

  static IllegalStateException incompatible(LinkageError e) {
    return new IllegalStateException("Rota needs Resilience4j " + OLDEST_SUPPORTED + " or later, found "
        + foundVersion() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Align the "
        + "io.github.resilience4j versions in your dependency management to " + OLDEST_SUPPORTED
        + " or later.", e);
  }

  static String foundVersion() {
    Package p = CircuitBreaker.class.getPackage();
    String version = p == null ? null : p.getImplementationVersion();
    if (version != null) {
      return "version " + version;
    }
    CodeSource source = CircuitBreaker.class.getProtectionDomain().getCodeSource();
    if (source != null && source.getLocation() != null) {
      String path = source.getLocation().getPath();
      return path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
    }
    return "an unknown version";
  }
}
