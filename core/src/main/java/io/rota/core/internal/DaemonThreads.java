package io.rota.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the daemon threads Rota's components own (schedulers, health checks, event
 * delivery), so that an application's exit never waits for them and a thread dump names them.
 * Thread-safe.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Daemon threads named {@code prefix} followed by the next value of {@code counter}. */
  public static ThreadFactory numbered(String prefix, AtomicInteger counter) {
    return r -> daemon(r, prefix + counter.incrementAndGet());
  }

  /** Daemon threads all named {@code name} (for an executor of one thread). */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
