package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Weights 3:2:1 give 3:2:1 traffic at three real servers, synchronously and asynchronously. */
class WeightedTrafficIT {

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add();
  private static final WireMockServer b = servers.add();
  private static final WireMockServer c = servers.add();

  @ParameterizedTest
  @EnumSource(Load.class)
  void weights3to2to1GiveTrafficWithin3PercentOver6000Requests(Load load) throws Exception {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a), 3)
        .endpoint("b", Servers.base(b), 2)
        .endpoint("c", Servers.base(c), 1)
        .build()) {

      List<Throwable> failures = load.run(client, 6000, 8, () -> client.newRequest("/items?page=1").build());

      assertThat(failures).isEmpty();
      int na = Servers.count(a);
      int nb = Servers.count(b);
      int nc = Servers.count(c);
      assertThat(na + nb + nc).isEqualTo(6000);
      assertThat(na / 3000.0).isCloseTo(1.0, within(0.03));
      assertThat(nb / 2000.0).isCloseTo(1.0, within(0.03));
      assertThat(nc / 1000.0).isCloseTo(1.0, within(0.03));

      HttpClientSnapshot snapshot = client.snapshot();
      assertThat(snapshot.requests()).isEqualTo(6000);
      assertThat(snapshot.retries()).isZero();
      assertThat(snapshot.endpoint("a").requests()).isEqualTo(na);
      assertThat(snapshot.endpoint("b").requests()).isEqualTo(nb);
      assertThat(snapshot.endpoint("c").requests()).isEqualTo(nc);
      assertThat(snapshot.endpoint("a").meanLatency()).isPositive();
      assertThat(snapshot.pool().endpoint("a").successes()).isEqualTo(na);
    }
  }
}
