package io.rota.examples.demo.view;

import java.nio.file.Path;

/** Writes the sample reports to {@code target/} for a look in a browser: {@code java ... RenderSample}. */
final class RenderSample {
  public static void main(String[] args) {
    HtmlReport.write(SampleRuns.typical(), Path.of(args.length > 0 ? args[0] : "target/sample-report.html"));
    HtmlReport.write(SampleRuns.hostile(), Path.of("target/hostile-report.html"));
  }
}
