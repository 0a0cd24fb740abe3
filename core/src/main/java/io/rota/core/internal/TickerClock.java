package io.rota.core.internal;

import io.rota.core.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} driven by a {@link Ticker}, so that components which take a clock (Resilience4j's
 * circuit breaker) follow the same time as the pool, fake time in tests included.
 */
public final class TickerClock extends Clock {

  private final Ticker ticker;
  private final Instant origin;
  private final long originNanos;

  /** Creates a clock that reads {@code origin} now and advances with the ticker. */
  public TickerClock(Ticker ticker, Instant origin) {
    this.ticker = ticker;
    this.origin = origin;
    this.originNanos = ticker.read();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(ticker.read() - originNanos);
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }
}
