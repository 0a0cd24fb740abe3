package io.rota.examples.demo.view;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides how the dashboard is drawn: ANSI frames redrawn in place on an interactive terminal, plain
 * lines otherwise (a pipe, a file, CI logs, {@code TERM=dumb}). The command-line flags {@code --plain}
 * and {@code --ansi} override the guess. Stateless and thread-safe.
 */
public final class Terminal {

  /** The flag that forces plain lines. */
  public static final String PLAIN_FLAG = "--plain";
  /** The flag that forces ANSI frames (e.g. for {@code less -R}). */
  public static final String ANSI_FLAG = "--ansi";

  private Terminal() {}

  /**
   * Returns whether to draw ANSI frames for a program started with {@code args}: {@code --plain} says
   * no and {@code --ansi} says yes (the last one given wins); otherwise yes only when
   * {@link System#console()} is present and the {@code TERM} environment variable is not {@code dumb}.
   */
  public static boolean ansi(String... args) {
    return ansi(System.console() != null, System.getenv("TERM"), List.of(args));
  }

  /**
   * Returns the same decision as {@link #ansi(String...)} from its inputs.
   *
   * @param hasConsole whether the JVM has an interactive console
   * @param term the {@code TERM} environment variable, or {@code null} when unset
   * @param args the program's arguments
   */
  public static boolean ansi(boolean hasConsole, @Nullable String term, List<String> args) {
    for (int i = args.size() - 1; i >= 0; i--) {
      if (PLAIN_FLAG.equals(args.get(i))) {
        return false;
      }
      if (ANSI_FLAG.equals(args.get(i))) {
        return true;
      }
    }
    return hasConsole && !"dumb".equals(term);
  }
}
