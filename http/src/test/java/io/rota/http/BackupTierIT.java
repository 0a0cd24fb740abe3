package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rota.core.EndpointPoolConfig;
import io.rota.core.EndpointState;
import io.rota.core.Tier;
import io.rota.core.event.PoolEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backup server gets nothing while a primary is healthy, everything when every primary fails,
 * and nothing again once a primary is back.
 */
class BackupTierIT {

  @RegisterExtension
  final ServerGroup servers = ServerGroup.perTest();
  private final WireMockServer a = servers.add();
  private final WireMockServer b = servers.add();
  private final WireMockServer backup = servers.add();

  @Test
  void theBackupServesOnlyWhileEveryPrimaryFails() throws Exception {
    List<PoolEvent> events = new CopyOnWriteArrayList<>();
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .backupEndpoint("backup", Servers.base(backup))
        .poolConfig(EndpointPoolConfig.custom()
            .consecutiveFailures(3)
            .ejectionTimeMillis(1500)
            .maxEjectionTimeMillis(3000)
            .halfOpenTrialCalls(1)
            .build())
        .build()) {
      client.addListener(e -> {
        if (e instanceof HttpClientEvent.PoolChanged) {
          events.add(((HttpClientEvent.PoolChanged) e).event());
        }
      });

      // Both primaries healthy.
      assertThat(Load.SYNC.run(client, 100, 4, () -> client.newRequest("/x").build())).isEmpty();
      assertThat(Servers.count(backup)).isZero();
      assertThat(Servers.count(a) + Servers.count(b)).isEqualTo(100);

      // One primary fails: its requests are retried on the other primary, never on the backup.
      Servers.status(a, 503);
      assertThat(Load.SYNC.run(client, 100, 4, () -> client.newRequest("/x").build())).isEmpty();
      assertThat(Servers.count(backup)).as("backup requests while b is healthy").isZero();

      // Every primary fails: once both are ejected, the backup takes every request.
      Servers.status(b, 503);
      Servers.await(Duration.ofSeconds(10), () -> {
        send(client);
        var pool = client.snapshot().pool();
        return pool.endpoint("a").state() == EndpointState.EJECTED && pool.endpoint("b").state() == EndpointState.EJECTED;
      }, "both primaries ejected");
      int backupBefore = Servers.count(backup);
      assertThat(Load.SYNC.run(client, 100, 4, () -> client.newRequest("/x").build())).isEmpty();
      assertThat(Servers.count(backup) - backupBefore).isEqualTo(100);
      assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PoolEvent.ServingTierChanged.class,
          t -> assertThat(t.tier()).isEqualTo(Tier.BACKUP)));

      // A primary is back: once it is healthy, the backup gets nothing again.
      Servers.healthy(a);
      Servers.await(Duration.ofSeconds(10), () -> {
        send(client);
        return client.snapshot().pool().endpoint("a").state() == EndpointState.HEALTHY;
      }, "a healthy again");
      int backupAfter = Servers.count(backup);
      int aAfter = Servers.count(a);
      assertThat(Load.SYNC.run(client, 100, 4, () -> client.newRequest("/x").build())).isEmpty();
      assertThat(Servers.count(backup)).as("backup requests once a is back").isEqualTo(backupAfter);
      assertThat(Servers.count(a) - aAfter).isEqualTo(100);
      assertThat(client.snapshot().failedRequests()).isZero();
    }
  }

  private static void send(LoadBalancedHttpClient client) {
    try {
      client.send(client.newRequest("/x").build(), HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      throw new AssertionError("request failed", e);
    }
  }
}
