package io.rota.jdbc;

/**
 * The read-only scope of the current thread ({@link RoutingDataSource#readOnly}, {@link ReadOnly
 * @ReadOnly}): a depth counter, so scopes nest. A scope is a hint read when a transaction begins or
 * an auto-commit statement binds; it never moves work that already runs (see {@link Transaction}).
 *
 * <p>Thread-confined: each thread has its own depth.
 */
final class ReadOnlyScope {

  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private ReadOnlyScope() {}

  static boolean active() {
    return DEPTH.get()[0] > 0;
  }

  /** Enters a scope on the current thread; the handle leaves it (once). */
  static RoutingDataSource.Scope enter() {
    int[] depth = DEPTH.get();
    depth[0]++;
    return new RoutingDataSource.Scope() {
      private boolean left;

      @Override
      public void close() {
        if (!left) {
          left = true;
          depth[0]--;
        }
      }
    };
  }

  static <T, E extends Exception> T run(RoutingDataSource.Work<T, E> work) throws E {
    int[] depth = DEPTH.get();
    depth[0]++;
    try {
      return work.run();
    } finally {
      depth[0]--;
    }
  }
}
