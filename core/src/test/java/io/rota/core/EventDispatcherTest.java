package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rota.core.event.PoolEvent;
import io.rota.core.event.PoolEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {

  private final FakeTicker ticker = new FakeTicker();

  private static PoolEvent event(int n) {
    return new PoolEvent.WeightChanged("p", n, "e", n, n + 1);
  }

  @Test
  void aThrowingListenerIsLoggedAtMostOncePerMinute() {
    PoolEventListener throwing = e -> {
      throw new IllegalStateException("listener bug");
    };
    List<PoolEvent> other = new ArrayList<>();
    EventDispatcher d = new EventDispatcher("p", ticker, Runnable::run, null, List.of(throwing, other::add));

    for (int i = 0; i < 100; i++) {
      d.enqueue(List.of(event(i)));
      d.dispatch();
    }
    assertThat(d.warningsLogged(throwing)).isEqualTo(1);
    assertThat(other).as("the other listener is not disturbed").hasSize(100);

    ticker.advance(Duration.ofSeconds(59));
    d.enqueue(List.of(event(100)));
    d.dispatch();
    assertThat(d.warningsLogged(throwing)).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(1));
    d.enqueue(List.of(event(101)));
    d.dispatch();
    assertThat(d.warningsLogged(throwing)).isEqualTo(2);
  }

  @Test
  void eachListenerGetsTheEventsInTheOrderTheyWereQueuedUnderManyThreads() throws Exception {
    int threads = 4;
    int perThread = 20_000;
    ExecutorService events = Executors.newCachedThreadPool();
    List<PoolEvent> a = Collections.synchronizedList(new ArrayList<>());
    List<PoolEvent> b = Collections.synchronizedList(new ArrayList<>());
    EventDispatcher d = new EventDispatcher("p", ticker, events, events, List.of(a::add, b::add));
    ReentrantLock poolLock = new ReentrantLock();
    List<PoolEvent> order = new ArrayList<>();
    AtomicInteger seq = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> changers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          poolLock.lock();
          try {
            PoolEvent e = event(seq.getAndIncrement());
            order.add(e);
            d.enqueue(List.of(e));
          } finally {
            poolLock.unlock();
          }
          d.dispatch();
        }
      });
      changers.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread t : changers) {
      t.join();
    }
    d.close(); // delivers what is queued, then shuts the executor down
    assertThat(events.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(order).hasSize(threads * perThread);
    assertThat(a).containsExactlyElementsOf(order);
    assertThat(b).containsExactlyElementsOf(order);
  }

  @Test
  void aListenerIsNeverCalledConcurrentlyWithItself() throws Exception {
    ExecutorService events = Executors.newCachedThreadPool();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger seen = new AtomicInteger();
    PoolEventListener l = e -> {
      if (inside.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      Thread.onSpinWait();
      inside.decrementAndGet();
      seen.incrementAndGet();
    };
    EventDispatcher d = new EventDispatcher("p", ticker, events, events, List.of(l));
    List<Thread> changers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          d.enqueue(List.of(event(i)));
          d.dispatch();
        }
      });
      changers.add(thread);
      thread.start();
    }
    for (Thread t : changers) {
      t.join();
    }
    d.close();
    assertThat(events.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).hasValue(40_000);
    assertThat(overlaps).hasValue(0);
  }
}
