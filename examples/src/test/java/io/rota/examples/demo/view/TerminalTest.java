package io.rota.examples.demo.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalTest {

  @Test
  void ansiOnlyOnAConsoleThatIsNotDumb() {
    assertThat(Terminal.ansi(true, "xterm-256color", List.of())).isTrue();
    assertThat(Terminal.ansi(true, null, List.of())).isTrue();
    assertThat(Terminal.ansi(true, "dumb", List.of())).isFalse();
    assertThat(Terminal.ansi(false, "xterm", List.of())).isFalse();
  }

  @Test
  void flagsOverrideTheGuessAndTheLastOneWins() {
    assertThat(Terminal.ansi(true, "xterm", List.of("--plain"))).isFalse();
    assertThat(Terminal.ansi(false, "dumb", List.of("--ansi"))).isTrue();
    assertThat(Terminal.ansi(true, "xterm", List.of("--ansi", "--other", "--plain"))).isFalse();
    assertThat(Terminal.ansi(false, null, List.of("--plain", "--ansi"))).isTrue();
  }

  @Test
  void underTestsThereIsNoConsoleSoThePlainFormIsChosen() {
    // Maven's forked test JVM writes to a pipe: System.console() is null there.
    assertThat(Terminal.ansi()).isEqualTo(System.console() != null && !"dumb".equals(System.getenv("TERM")));
  }
}
