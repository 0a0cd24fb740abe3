package io.rota.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitoring example runs against its local backends and its scrape shows the meters moving. */
class MonitoringExampleIT {

  /** The value of the one sample of {@code name} whose labels include every {@code key="value"} given. */
  private static double sample(String scrape, String name, String... labels) {
    List<String> lines = scrape.lines()
        .filter(l -> l.startsWith(name + "{") && List.of(labels).stream().allMatch(l::contains)).toList();
    assertThat(lines).as(name + " " + List.of(labels)).hasSize(1);
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void theScrapeShowsTrafficRetriesTheFailingBackendOutAndHealthChecks() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String scrape;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      scrape = MonitoringExample.run(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(printed).contains("30 GETs to http://catalog/items").contains("The Rota lines of the Prometheus scrape:")
        .contains(scrape);
    assertThat(scrape.lines()).allMatch(l -> l.contains("rota_"));
    String service = "service=\"catalog\"";
    assertThat(sample(scrape, "rota_http_client_requests_total", service, "outcome=\"success\"")).isEqualTo(30);
    assertThat(sample(scrape, "rota_http_client_requests_total", service, "outcome=\"failure\"")).isZero();
    double bFailures = sample(scrape, "rota_http_client_attempt_failures_total", "endpoint=\"b\"");
    assertThat(bFailures).as("b's 503s before it was taken out").isBetween(1.0, 3.0);
    assertThat(sample(scrape, "rota_http_client_retries_total", service)).as("each retried on a").isEqualTo(bFailures);
    assertThat(sample(scrape, "rota_http_client_attempts_seconds_count", "endpoint=\"a\"")).isEqualTo(30);
    assertThat(sample(scrape, "rota_http_client_attempts_seconds_sum", "endpoint=\"a\"")).isPositive();
    assertThat(sample(scrape, "rota_http_client_retry_budget", service)).isPositive();

    String poolB = "pool=\"catalog\"";
    assertThat(sample(scrape, "rota_pool_endpoint_calls_total", poolB, "endpoint=\"a\"", "outcome=\"success\""))
        .isEqualTo(30);
    assertThat(sample(scrape, "rota_pool_endpoint_state", poolB, "endpoint=\"a\"", "state=\"healthy\"")).isEqualTo(1);
    assertThat(sample(scrape, "rota_pool_endpoint_state", poolB, "endpoint=\"b\"", "state=\"healthy\"")).isZero();
    assertThat(sample(scrape, "rota_pool_endpoint_state", poolB, "endpoint=\"b\"", "state=\"down\"")
        + sample(scrape, "rota_pool_endpoint_state", poolB, "endpoint=\"b\"", "state=\"ejected\"")).isEqualTo(1);
    assertThat(sample(scrape, "rota_pool_endpoint_effective_weight", poolB, "endpoint=\"b\"")).isZero();
    assertThat(sample(scrape, "rota_pool_endpoint_check_seconds_count", "endpoint=\"a\"", "result=\"pass\""))
        .isPositive();
    assertThat(sample(scrape, "rota_pool_endpoint_check_seconds_count", "endpoint=\"b\"", "result=\"fail\""))
        .isPositive();
    assertThat(sample(scrape, "rota_pool_serving", poolB, "tier=\"primary\"")).isEqualTo(1);
  }
}
