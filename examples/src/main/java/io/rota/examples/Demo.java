package io.rota.examples;

import io.rota.examples.demo.DemoMain;

/**
 * The README's main job: an order service on a real database cluster (PostgreSQL primary + 2
 * streaming replicas, or MariaDB + 2 GTID replicas) and four local HTTP backends, with Rota balancing
 * inside the application; faults on a schedule, a live dashboard, a summary whose exit status says
 * whether every promise held, and an HTML report. From the repository root:
 * {@code mvn -q -pl examples -am compile exec:java} ({@code -Dexec.args="--help"} for the options).
 */
public final class Demo {

  private Demo() {}

  /** Runs the demo and exits with its status (see {@code --help}). */
  public static void main(String[] args) throws InterruptedException {
    System.exit(DemoMain.run(args, System.out));
  }
}
