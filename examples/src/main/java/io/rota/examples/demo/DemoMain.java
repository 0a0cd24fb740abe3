package io.rota.examples.demo;

import io.rota.examples.demo.view.Terminal;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo's entry: options, where logs go, where the servers keep their files, then {@link DemoRun}. */
public final class DemoMain {

  private DemoMain() {}

  /** Runs the demo with these command-line arguments, printing to {@code out}; returns the exit status. */
  public static int run(String[] args, PrintStream out) throws InterruptedException {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      out.println("(--help lists the options)");
      return DemoRun.BAD_OPTIONS;
    }
    if (options.help()) {
      out.println(DemoOptions.USAGE);
      return DemoRun.PASSED;
    }
    boolean ansi = !options.plain() && Terminal.ansi();
    if (ansi && System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
      // The dashboard owns the screen; Rota's log lines (state changes, WARNs) go to a file.
      Path log = Path.of("target", "rota-demo.log").toAbsolutePath();
      try {
        Files.createDirectories(log.getParent());
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        out.println("Rota's log: " + log);
      } catch (java.io.IOException e) {
        out.println("(could not create " + log.getParent() + "; logging to the console: " + e.getMessage() + ")");
      }
    }
    if (System.getProperty("rota.testkit.dir") == null) {
      // Server data directories and logs: short paths (Unix sockets), removed at the end.
      System.setProperty("rota.testkit.dir", Path.of(System.getProperty("java.io.tmpdir"), "rota-demo").toString());
    }
    return new DemoRun(options, out, ansi).run();
  }
}
