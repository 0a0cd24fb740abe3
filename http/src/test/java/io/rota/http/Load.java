package io.rota.http;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Sends requests through a client, synchronously from N threads or asynchronously with N in flight. */
enum Load {
  SYNC,
  ASYNC;

  /** Sends one request and returns its response, or throws what the request failed with. */
  HttpResponse<String> send(LoadBalancedHttpClient client, HttpRequest request) throws Exception {
    if (this == SYNC) {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
    try {
      return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  /**
   * Sends {@code total} requests made by {@code requests}, with {@code concurrency} threads (SYNC) or
   * requests in flight (ASYNC), released together; returns what the failed ones threw.
   */
  List<Throwable> run(LoadBalancedHttpClient client, int total, int concurrency, Supplier<HttpRequest> requests)
      throws InterruptedException {
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    if (this == SYNC) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        int share = total / concurrency + (t < total % concurrency ? 1 : 0);
        Thread thread = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < share; i++) {
              try {
                client.send(requests.get(), HttpResponse.BodyHandlers.ofString());
              } catch (Exception e) {
                failures.add(e);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        thread.start();
        threads.add(thread);
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join(60_000);
      }
      return new ArrayList<>(failures);
    }
    Semaphore inFlight = new Semaphore(concurrency);
    List<CompletableFuture<?>> futures = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      inFlight.acquire();
      CompletableFuture<HttpResponse<String>> f;
      try {
        f = client.sendAsync(requests.get(), HttpResponse.BodyHandlers.ofString());
      } catch (RuntimeException e) {
        inFlight.release();
        failures.add(e);
        continue;
      }
      futures.add(f.whenComplete((r, e) -> {
        inFlight.release();
        if (e != null) {
          failures.add(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        }
      }));
    }
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      // Failures are collected one by one above.
    }
    return new ArrayList<>(failures);
  }
}
