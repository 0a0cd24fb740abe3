package io.rota.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The configuration metadata IDEs complete {@code rota.*} from is generated and carries the hints. */
class ConfigurationMetadataTest {

  @Test
  void theMetadataNamesEveryRotaPropertyAndTheReadYourWritesModes() throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("spring-configuration-metadata.json, from spring-boot-configuration-processor").isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(json).contains("\"rota.jdbc.replicas\"", "\"rota.jdbc.max-replication-lag\"",
        "\"rota.jdbc.read-your-writes\"", "\"rota.web.read-your-writes-scope\"",
        "Replication lag past which a replica takes no reads");
    assertThat(json).contains("\"hints\"", "\"value\": \"causal\"");
  }
}
