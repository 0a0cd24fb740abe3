package io.rota.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The retry budget's token window, on a fake clock. */
class RetryTokensTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get;

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static int withdrawAll(RetryTokens tokens) {
    int n = 0;
    while (tokens.tryWithdraw()) {
      n++;
    }
    return n;
  }

  @Test
  void theReserveAllowsMinRetriesPerSecondTimesTtl() {
    RetryTokens tokens = new RetryTokens(0.2, 10, Duration.ofSeconds(10).toNanos(), ticker);

    assertThat(withdrawAll(tokens)).isEqualTo(100);
    assertThat(tokens.tryWithdraw()).isFalse();
  }

  @Test
  void eachRequestAddsTheRatio() {
    RetryTokens tokens = new RetryTokens(0.2, 0, Duration.ofSeconds(10).toNanos(), ticker);
    assertThat(tokens.tryWithdraw()).isFalse();

    for (int i = 0; i < 4; i++) {
      tokens.deposit();
      assertThat(tokens.tryWithdraw()).as("after %s requests", i + 1).isFalse();
    }
    tokens.deposit();
    assertThat(tokens.tryWithdraw()).as("after 5 requests").isTrue();
    assertThat(tokens.tryWithdraw()).isFalse();

    for (int i = 0; i < 1000; i++) {
      tokens.deposit();
    }
    assertThat(withdrawAll(tokens)).isEqualTo(200);
    assertThat(tokens.balance()).isLessThan(1);
  }

  @Test
  void withdrawalsExpireAfterTheTtlSoTheReserveComesBack() {
    RetryTokens tokens = new RetryTokens(0.2, 1, Duration.ofSeconds(10).toNanos(), ticker);
    assertThat(withdrawAll(tokens)).isEqualTo(10);

    advance(Duration.ofSeconds(5));
    assertThat(tokens.tryWithdraw()).as("half a window later").isFalse();
    advance(Duration.ofSeconds(5));
    assertThat(withdrawAll(tokens)).as("a window later").isEqualTo(10);
  }

  @Test
  void depositsExpireAfterTheTtl() {
    RetryTokens tokens = new RetryTokens(1.0, 0, Duration.ofSeconds(10).toNanos(), ticker);
    for (int i = 0; i < 50; i++) {
      tokens.deposit();
    }
    assertThat(tokens.balance()).isEqualTo(50.0);

    advance(Duration.ofSeconds(9));
    assertThat(tokens.balance()).as("within the window").isEqualTo(50.0);
    advance(Duration.ofSeconds(1));
    assertThat(tokens.balance()).as("past the window").isZero();
    assertThat(tokens.tryWithdraw()).isFalse();
  }

  @Test
  void theWindowSlidesSliceBySlice() {
    RetryTokens tokens = new RetryTokens(1.0, 0, Duration.ofSeconds(10).toNanos(), ticker);
    tokens.deposit();
    advance(Duration.ofSeconds(5));
    tokens.deposit();
    assertThat(tokens.balance()).isEqualTo(2.0);

    advance(Duration.ofSeconds(5));
    assertThat(tokens.balance()).as("the first deposit expired").isEqualTo(1.0);
    advance(Duration.ofSeconds(5));
    assertThat(tokens.balance()).as("both expired").isZero();
  }

  @Test
  void aLongIdleTimeClearsEverything() {
    RetryTokens tokens = new RetryTokens(1.0, 2, Duration.ofSeconds(1).toNanos(), ticker);
    assertThat(withdrawAll(tokens)).isEqualTo(2);
    tokens.deposit();

    advance(Duration.ofHours(3));
    assertThat(tokens.balance()).isEqualTo(2.0);
  }
}
