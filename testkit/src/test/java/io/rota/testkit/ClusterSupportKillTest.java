package io.rota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ClusterSupport#kill}: a process that exited before its signal is not an error; anything else is. */
class ClusterSupportKillTest {

  @Test
  void aProcessThatHasExitedIsSkippedAndTheOthersAreSignalled() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      long gone = exitedPid();
      ClusterSupport.kill("-STOP", List.of(sleeper.pid(), gone));
      assertThat(awaitState(sleeper.pid(), true)).as("state of the stopped sleeper").isEqualTo("T");
      ClusterSupport.kill("-CONT", List.of(gone, sleeper.pid()));
      assertThat(awaitState(sleeper.pid(), false)).as("state of the resumed sleeper").isNotEqualTo("T");
    } finally {
      sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anyOtherFailureThrowsWithKillsOutput() {
    assertThatThrownBy(() -> ClusterSupport.kill("-NOSUCHSIGNAL", List.of(ProcessHandle.current().pid())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("kill -NOSUCHSIGNAL");
  }

  @Test
  void onlyVanishedProcessesReadsKillsOutputLineByLine() {
    assertThat(ClusterSupport.onlyVanishedProcesses("kill: (4242) - No such process\n")).isTrue();
    assertThat(ClusterSupport.onlyVanishedProcesses(
        "kill: (4242) - No such process\nkill: (1) - Operation not permitted")).isFalse();
    assertThat(ClusterSupport.onlyVanishedProcesses("")).isFalse();
  }

  private static long exitedPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("'true' exited").isTrue();
    return p.pid();
  }

  /**
   * The one-letter state of a process from /proc (T: stopped), read until it is (or is not, for
   * {@code stopped} false) "T" or 5 s have passed: a signal is delivered after kill returns.
   */
  private static String awaitState(long pid, boolean stopped) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String state;
    do {
      String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/stat")).get(0);
      state = line.substring(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3);
      if (state.equals("T") == stopped) {
        return state;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < end);
    return state;
  }
}
