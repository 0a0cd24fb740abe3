package io.rota.core.internal;

import java.time.Duration;

/**
 * Argument and state checks with messages in the form {@code name: value (expected: ...)}. Shared by
 * the Rota modules (exported to them only); not an API.
 */
public final class Checks {

  private Checks() {}

  /** Throws {@link IllegalArgumentException} with the formatted message unless {@code ok}. */
  public static void checkArgument(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }

  /** Throws {@link IllegalStateException} with the formatted message unless {@code ok}. */
  public static void checkState(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalStateException(String.format(format, args));
    }
  }

  /** Returns {@code value} if it is strictly positive, else throws naming it. */
  public static Duration positive(Duration value, String name) {
    if (value == null) {
      throw new NullPointerException(name);
    }
    checkArgument(!value.isNegative() && !value.isZero(), "%s: %s (expected: > 0)", name, value);
    return value;
  }

  /** Returns {@code value} if it is zero or positive, else throws naming it. */
  public static Duration nonNegative(Duration value, String name) {
    if (value == null) {
      throw new NullPointerException(name);
    }
    checkArgument(!value.isNegative(), "%s: %s (expected: >= 0)", name, value);
    return value;
  }

  /** Returns {@code value} if it lies in {@code [min, max]}, else throws naming it. */
  public static int inRange(int value, int min, int max, String name) {
    checkArgument(value >= min && value <= max, "%s: %s (expected: %s..%s)", name, value, min, max);
    return value;
  }

  /** Returns {@code value} if it is at least {@code min}, else throws naming it. */
  public static int atLeast(int value, int min, String name) {
    checkArgument(value >= min, "%s: %s (expected: >= %s)", name, value, min);
    return value;
  }

  /** Returns {@code value} if it lies in {@code [min, max]}, else throws naming it. */
  public static Duration inRange(Duration value, Duration min, Duration max, String name) {
    if (value == null) {
      throw new NullPointerException(name);
    }
    checkArgument(value.compareTo(min) >= 0 && value.compareTo(max) <= 0,
        "%s: %s (expected: %s..%s)", name, value, min, max);
    return value;
  }

  /** Returns {@code value} if it lies in {@code [min, max]}, else throws naming it. */
  public static double inRange(double value, double min, double max, String name) {
    checkArgument(value >= min && value <= max, "%s: %s (expected: %s..%s)", name, value, min, max);
    return value;
  }
}
