package io.rota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.event.PoolEvent;
import io.rota.core.event.PoolEventListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** Listeners off the caller's thread, never under the lock; reads take no lock. */
class EventDeliveryTest extends PoolTestSupport {

  /** A pool with the pool's own event threads (not the direct executor of the other tests). */
  private EndpointPool<String> ownThreads(PoolEventListener... listeners) {
    EndpointPoolBuilder<String> b = EndpointPool.<String>builder("evt").ticker(ticker).scheduler(scheduler)
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).build())
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1));
    for (PoolEventListener l : listeners) {
      b.listener(l);
    }
    return build(b);
  }

  @Test
  void byDefaultListenersRunOnThePoolsNamedEventThreads() throws Exception {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    EndpointPool<String> pool = ownThreads(e -> {
      if (e instanceof PoolEvent.StateChanged) {
        thread.complete(Thread.currentThread());
      }
    });

    fail(pool, "a", 1);

    Thread t = thread.get(10, TimeUnit.SECONDS);
    assertThat(t).isNotSameAs(Thread.currentThread());
    assertThat(t.getName()).startsWith("rota-evt-events-");
    assertThat(t.isDaemon()).isTrue();
  }

  @Test
  void aBlockedListenerStallsNeitherPicksNorReportsNorOtherListeners() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<PoolEvent> slow = Collections.synchronizedList(new ArrayList<>());
    List<PoolEvent> fast = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch fastGotAll = new CountDownLatch(5);
    EndpointPool<String> pool = ownThreads(e -> {
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      slow.add(e);
    }, e -> {
      fast.add(e);
      fastGotAll.countDown();
    });

    fail(pool, "a", 1); // a EJECTED
    pool.setWeight("b", 2);
    fail(pool, "b", 1); // b EJECTED, then nothing is available

    assertThat(pool.select()).isNull();
    assertThatThrownBy(pool::selectOrThrow).isInstanceOf(NoEndpointAvailableException.class)
        .hasMessageContaining("a (primary, weight 1, EJECTED), b (primary, weight 2, EJECTED)");
    pool.acquire(endpoint(pool, "a")).success();
    assertThat(fastGotAll.await(10, TimeUnit.SECONDS)).as("the other listener got every event").isTrue();
    assertThat(fast).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("ServingTierChanged", "StateChanged", "WeightChanged", "StateChanged", "ServingTierChanged");
    assertThat(slow).isEmpty();

    release.countDown();
    awaitSize(slow, 5);
    assertThat(slow).containsExactlyElementsOf(fast);
  }

  private static void awaitSize(List<?> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(list).hasSize(size);
  }

  @Test
  void withADirectExecutorListenersRunOnTheChangingThreadAfterTheLockIsReleased() {
    List<Boolean> lockHeld = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicReference<DefaultEndpointPool<String>> pool = new AtomicReference<>();
    pool.set((DefaultEndpointPool<String>) build(this.<String>builder("direct")
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).build())
        .endpoint(Endpoint.of("a", "addr-a", 1))
        .endpoint(Endpoint.of("b", "addr-b", 1))));
    pool.get().addListener(e -> {
      lockHeld.add(pool.get().lock().isLocked());
      threads.add(Thread.currentThread());
    });

    fail(pool.get(), "a", 1);
    pool.get().setWeight("b", 3);
    pool.get().add(Endpoint.of("c", "addr-c", 1));

    assertThat(lockHeld).hasSize(3).containsOnly(false);
    assertThat(threads).containsOnly(Thread.currentThread());
  }

  @Test
  void readsTakeNoLock() throws Exception {
    DefaultEndpointPool<String> pool = (DefaultEndpointPool<String>) build(this.<String>builder("reads")
        .config(EndpointPoolConfig.custom().consecutiveFailures(1).build())
        .endpoint(Endpoint.of("a", "addr-a", 1)));
    fail(pool, "a", 1);
    ReentrantLock lock = pool.lock();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      other.execute(() -> {
        lock.lock();
        try {
          held.countDown();
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          lock.unlock();
        }
      });
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

      // All of these return while another thread holds the pool's lock.
      assertThat(pool.select()).isNull();
      assertThatThrownBy(pool::selectOrThrow).isInstanceOf(NoEndpointAvailableException.class)
          .satisfies(e -> assertThat(((NoEndpointAvailableException) e).snapshot().endpoint("a").state())
              .isEqualTo(EndpointState.EJECTED));
      assertThat(pool.snapshot().endpoint("a").failures()).isEqualTo(1);
      assertThat(pool.endpoints()).extracting(Endpoint::id).containsExactly("a");
      pool.acquire(endpoint(pool, "a")).release();
    } finally {
      done.countDown();
      other.shutdown();
    }
  }
}
