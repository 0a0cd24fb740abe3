package io.rota.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void defaultsAreAMinuteOnPostgresWithFaults() {
    DemoOptions o = DemoOptions.parse();
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.threads()).isEqualTo(6);
    assertThat(o.faults()).isTrue();
    assertThat(o.database()).isEqualTo(DemoOptions.Database.POSTGRES);
    assertThat(o.report()).isEqualTo(Path.of("target", "rota-demo-report.html"));
    assertThat(o.prometheusPort()).isNull();
    assertThat(o.help()).isFalse();
  }

  @Test
  void everyOptionIsRead() {
    DemoOptions o = DemoOptions.parse("--duration", "1m30s", "--threads=3", "--no-faults", "--db", "mariadb",
        "--report", "/tmp/r.html", "--prometheus", "9464", "--plain");
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.threads()).isEqualTo(3);
    assertThat(o.faults()).isFalse();
    assertThat(o.database()).isEqualTo(DemoOptions.Database.MARIADB);
    assertThat(o.report()).isEqualTo(Path.of("/tmp/r.html"));
    assertThat(o.prometheusPort()).isEqualTo(9464);
    assertThat(o.plain()).isTrue();
  }

  @Test
  void durationsInTheUsualForms() {
    assertThat(DemoOptions.duration("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(DemoOptions.duration("45")).isEqualTo(Duration.ofSeconds(45));
    assertThat(DemoOptions.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DemoOptions.duration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DemoOptions.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badValuesAreNamedWithWhatIsAllowed() {
    assertThatThrownBy(() -> DemoOptions.parse("--duration", "soon"))
        .hasMessageContaining("--duration soon").hasMessageContaining("60s, 5m");
    assertThatThrownBy(() -> DemoOptions.parse("--duration", "10s"))
        .hasMessageContaining("--duration 10s").hasMessageContaining("20s").hasMessageContaining("--no-faults");
    assertThat(DemoOptions.parse("--duration", "10s", "--no-faults").duration()).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> DemoOptions.parse("--threads", "0"))
        .hasMessageContaining("--threads 0").hasMessageContaining("1 to 64");
    assertThatThrownBy(() -> DemoOptions.parse("--db", "oracle"))
        .hasMessageContaining("oracle").hasMessageContaining("postgres, mariadb");
    assertThatThrownBy(() -> DemoOptions.parse("--prometheus", "http"))
        .hasMessageContaining("--prometheus http").hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> DemoOptions.parse("--fast"))
        .hasMessageContaining("--fast").hasMessageContaining("--duration");
    assertThatThrownBy(() -> DemoOptions.parse("--report"))
        .hasMessageContaining("--report needs a value");
  }

  @Test
  void helpIsRecognisedAndTheUsageNamesEveryOption() {
    assertThat(DemoOptions.parse("--help").help()).isTrue();
    for (String option : new String[] {"--duration", "--threads", "--no-faults", "--db", "--report", "--prometheus",
        "--plain", "--help"}) {
      assertThat(DemoOptions.USAGE).contains(option);
    }
  }
}
