package io.rota.examples.demo.http;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls for a condition with a deadline, instead of sleeping and hoping. */
final class Await {

  private Await() {}

  /**
   * Runs {@code step} (for example one request) and checks the condition after each, until it holds;
   * fails after the timeout, with {@code what} in the message.
   */
  static void until(Duration timeout, String what, ThrowingRunnable step, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      step.run();
    }
  }

  /** Waits, polling every 10 ms, until the condition holds; fails after the timeout. */
  static void until(Duration timeout, String what, BooleanSupplier condition) throws Exception {
    until(timeout, what, () -> Thread.sleep(10), condition);
  }

  /** A step that may throw. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
