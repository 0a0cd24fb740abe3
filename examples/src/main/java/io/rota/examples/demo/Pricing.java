package io.rota.examples.demo;

import java.io.IOException;

/** The pricing service the order service calls over HTTP through Rota's client. Thread-safe. */
interface Pricing extends AutoCloseable {

  /** {@code GET /price?sku=...}: idempotent, so Rota retries it on another backend. */
  String price(String sku) throws IOException, InterruptedException;

  /** {@code POST /quote}: not idempotent, so Rota never resends it once it may have reached a server. */
  String quote(String requestId) throws IOException, InterruptedException;

  /** The POST request ids that reached a backend more than once (must stay empty). */
  java.util.Set<String> duplicatePosts();

  @Override
  void close();
}
