package io.rota.spring.internal;

import java.util.regex.Pattern;

/**
 * Removes secrets from text the starter shows: the user info of a URL ({@code //user:pw@host}) and
 * {@code password=} / {@code pwd=} parameters. Internal to rota-spring; not an API. Stateless and
 * thread-safe.
 */
public final class Masking {

  private static final Pattern USER_INFO = Pattern.compile("//[^/@\\s]+@");
  private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd)=[^&;\\s]*");

  private Masking() {}

  /**
   * Returns {@code s} with user info and passwords replaced by {@code ***}.
   *
   * @param s the text, say a JDBC URL or an error message quoting one
   * @return the text without secrets
   */
  public static String mask(String s) {
    return PASSWORD.matcher(USER_INFO.matcher(s).replaceAll("//***@")).replaceAll("$1=***");
  }
}
