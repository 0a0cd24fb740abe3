package io.rota.benchmarks.select;

/**
 * nginx's smooth weighted round robin, written here as a reference (from the algorithm as nginx's
 * {@code ngx_http_upstream_rr} describes it, not from its code). Every peer has a weight {@code w}, an
 * effective weight {@code e} (nginx lowers it on failures and raises it back by one per pick; with no
 * failures it equals {@code w}) and a current weight {@code c}, initially 0. A pick adds {@code e} to
 * every {@code c}, takes the peer with the largest {@code c} (the first one on ties) and subtracts the
 * sum of the {@code e} from its {@code c}. Weights 5, 1, 1 give {@code a a b a c a a}.
 *
 * <p>Like nginx, which takes the upstream's lock around each pick when the upstream lives in a shared
 * zone, every pick runs under one lock: O(n) per pick, contended by every thread. {@link #setWeight}
 * changes a peer's weight and effective weight and keeps every current weight (nginx itself only
 * changes weights on a reload, which starts all current weights at 0 again). Thread-safe.
 */
public final class NginxSwrr implements Picker {

  private final Object lock = new Object();
  private final Integer[] ids;
  private final int[] weight;
  private final int[] effective;
  private final long[] current;

  /** Builds the peers, numbered {@code 0..n-1}, with these weights. */
  public NginxSwrr(int[] weights) {
    Weights.check(weights);
    int n = weights.length;
    this.ids = new Integer[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    this.weight = weights.clone();
    this.effective = weights.clone();
    this.current = new long[n];
  }

  @Override
  public String name() {
    return "nginxSwrr";
  }

  @Override
  public Integer pick() {
    return ids[next()];
  }

  /** Returns the number of the next peer. */
  public int next() {
    synchronized (lock) {
      long total = 0;
      int best = -1;
      for (int i = 0; i < current.length; i++) {
        current[i] += effective[i];
        total += effective[i];
        if (effective[i] < weight[i]) {
          effective[i]++;
        }
        if (best < 0 || current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      return best;
    }
  }

  @Override
  public int index(Object picked) {
    return (Integer) picked;
  }

  @Override
  public void setWeight(int index, int weight) {
    Weights.checkChange(this.weight, index, weight);
    synchronized (lock) {
      this.weight[index] = weight;
      this.effective[index] = weight;
    }
  }

  @Override
  public String weightChange() {
    return "in place: new weight, every current weight kept";
  }

  @Override
  public void close() {}
}
