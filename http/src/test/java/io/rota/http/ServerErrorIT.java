package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointState;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 5xx that is not in the retryable list reaches the caller as a response and is not resent, but
 * still counts against the endpoint's health: enough of them eject it.
 */
class ServerErrorIT {

  @RegisterExtension
  final ServerGroup servers = ServerGroup.perTest();
  private final WireMockServer good = servers.add();
  private final WireMockServer broken = servers.add(s -> Servers.status(s, 500));

  @Test
  void a500IsReturnedNotResentAndEjectsTheEndpoint() throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("good", Servers.base(good))
        .endpoint("broken", Servers.base(broken))
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(3).ejectionTimeMillis(60_000).build())
        .build()) {
      int fiveHundreds = 0;
      for (int i = 0; i < 40; i++) {
        HttpRequest get = client.newRequest("/item").GET().build();
        HttpResponse<String> response = client.send(get, HttpResponse.BodyHandlers.ofString());
        fiveHundreds += response.statusCode() == 500 ? 1 : 0;
      }
      assertThat(fiveHundreds).as("500s returned to the caller, one per request routed there").isEqualTo(3);
      assertThat(Servers.count(broken)).as("never resent").isEqualTo(3);
      assertThat(Servers.count(good)).isEqualTo(37);
      assertThat(client.snapshot().pool().endpoint("broken").state()).isEqualTo(EndpointState.EJECTED);
    }
  }
}
