package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomSeedTest extends PoolTestSupport {

  private List<String> picks(long seed, int n) {
    EndpointPool<String> pool = build(this.<String>builder("seeded")
        .endpoint(Endpoint.of("a", "a", 5))
        .endpoint(Endpoint.of("b", "b", 3))
        .endpoint(Endpoint.of("c", "c", 1))
        .random(new Random(seed)));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(pool.selectOrThrow().id());
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSamePicks() {
    for (long seed = 0; seed < 20; seed++) {
      assertThat(picks(seed, 50)).as("seed %d", seed).isEqualTo(picks(seed, 50));
    }
  }

  @Test
  void differentSeedsStartAtDifferentPointsOfTheRotation() {
    Set<List<String>> starts = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      starts.add(picks(seed, 9)); // one period of 5 + 3 + 1
    }
    // Every start is the same rotation, entered at one of its 9 slots: most of those must occur.
    assertThat(starts).hasSizeGreaterThanOrEqualTo(5);
  }
}
