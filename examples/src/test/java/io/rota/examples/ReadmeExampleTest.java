package io.rota.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.Endpoint;
import io.rota.core.EndpointPool;
import io.rota.core.EndpointState;
import io.rota.core.Lease;
import io.rota.core.Tier;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first example, verbatim inside a loop, so that it keeps compiling and doing what it says. */
class ReadmeExampleTest {

  private final Map<String, Integer> served = new HashMap<>();

  /** Stands in for a real call: host 10.0.0.2 is broken. */
  private void send(URI uri) throws IOException {
    if (uri.getHost().equals("10.0.0.2")) {
      throw new IOException("connection refused");
    }
    served.merge(uri.getHost(), 1, Integer::sum);
  }

  @Test
  void readmeExampleSpreadsByWeightAndEjectsTheBrokenEndpoint() {
    // --- README ---
    EndpointPool<URI> pool = EndpointPool.<URI>builder("api")
        .endpoint(Endpoint.of("a", URI.create("http://10.0.0.1:8080"), 3))
        .endpoint(Endpoint.of("b", URI.create("http://10.0.0.2:8080"), 1))
        .endpoint(Endpoint.of("spare", URI.create("http://10.0.0.9:8080")).withTier(Tier.BACKUP))
        .build();
    for (int i = 0; i < 100; i++) {
      try (Lease<URI> lease = pool.acquire()) {            // a, a, b, a, ... smoothly interleaved
        try { send(lease.endpoint().address()); lease.success(); }
        catch (IOException x) { lease.failure(x); }  // enough failures eject it
      }                                                // anything else: released, neutral
    }
    // --- end README ---
    try {
      assertThat(pool.snapshot().endpoint("b").state()).isEqualTo(EndpointState.EJECTED);
      assertThat(pool.snapshot().endpoint("b").failures()).isEqualTo(5); // default consecutiveFailures
      assertThat(served).containsOnlyKeys("10.0.0.1").containsEntry("10.0.0.1", 95);
    } finally {
      pool.close();
    }
  }
}
