package io.rota.benchmarks.fairness;

import io.rota.benchmarks.Shapes;
import io.rota.benchmarks.select.Peer;
import io.rota.benchmarks.select.Picker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How fair each weighted selection of {@code SelectBenchmark} is, over the same set-ups ({@link Peer}):
 * not a JMH benchmark, a program that prints two tables.
 *
 * <ol>
 *   <li><b>Static weights</b>, per implementation and shape, after {@value #PICKS} picks: the worst
 *       share deviation, the longest run of one endpoint, the prefix error and the window error, as
 *       {@link PickTally} defines them.
 *   <li><b>Restart bias</b>, shapes {@code 10} and {@code 100}: endpoint {@code e9} (weight 10 in
 *       both) flips between weight 10 and 11 every 7, 20 and 100 picks ({@link FlipPlan#fixed}) and
 *       after random gaps of those means ({@link FlipPlan#random}, fixed seed), through each
 *       implementation's {@link Picker#setWeight}, for {@value #PICKS} picks. Printed: the bias
 *       (observed count over time-weighted expected count, minus 1) of the flipped endpoint, of the
 *       first endpoint {@code e0} and of the heaviest other endpoint, the worst bias of any endpoint,
 *       and the window error across the flips. An implementation that restarts its schedule on every
 *       change gives the endpoints at the start of its order more than their share; one that carries
 *       its progress across the change does not. Shape {@code 100-equal} has no endpoint of weight 10
 *       and is left out of this table.
 * </ol>
 * {@code springCloudLb} (the weighted supplier re-run on every pick) is not run for a million picks:
 * it yields the same sequence as {@code springCloudLbCached}, which the report checks on the first
 * {@code 2 W + 1000} picks of each shape before it starts, and fails otherwise.
 *
 * <p>Ribbon picks at random with its own unseeded {@code Random}, and a fresh Rota pool starts at a
 * random slot of its period (so that clients started together do not pick in step), as users get them:
 * their lines differ a little from run to run, and Rota's prefix error is measured from that random
 * point (any value below 2 is within its window bound); its window error does not depend on the start.
 * Every other line is deterministic.
 *
 * <p>Run, from the repository root, after {@code mvn -q -pl benchmarks -am package -DskipTests}:
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.rota.benchmarks.fairness.FairnessReport [picks]
 * }</pre>
 */
public final class FairnessReport {

  /** Picks per line. */
  public static final int PICKS = 1_000_000;

  private static final int FLIPPED = 9;
  private static final int[] GAPS = {7, 20, 100};

  private FairnessReport() {}

  /**
   * Prints the report to standard output.
   *
   * @param args optionally the number of picks per line (default {@value #PICKS})
   */
  public static void main(String[] args) {
    int picks = args.length > 0 ? Integer.parseInt(args[0]) : PICKS;
    if (picks < 1) {
      throw new IllegalArgumentException("picks: " + picks + " (expected: >= 1)");
    }
    PrintStream out = System.out;
    List<Peer> peers = new ArrayList<>(List.of(Peer.values()));
    peers.remove(Peer.SPRING_CLOUD_LB);
    String[] shapes = {Shapes.TEN, Shapes.HUNDRED, Shapes.HUNDRED_EQUAL};

    for (String shape : shapes) {
      int[] weights = Shapes.weights(shape);
      int compared = checkSpringSameSequence(weights);
      out.printf("springCloudLb and springCloudLbCached: same %d picks on shape %s%n", compared, shape);
    }
    out.println();
    out.printf(Locale.ROOT, "Static weights, %,d picks per line. Errors in picks.%n", picks);
    out.printf("%-20s %-10s %22s %16s %13s %13s%n",
        "implementation", "shape", "worst share dev (ep)", "longest run (ep)", "prefix error", "window error");
    for (String shape : shapes) {
      for (Peer peer : peers) {
        PickTally t = staticRun(peer, Shapes.weights(shape), picks);
        out.printf(Locale.ROOT, "%-20s %-10s %14.4f %% (e%-2d) %10d (e%-2d) %13.3f %13.3f%n",
            peer.method(), shape, 100 * t.worstShareDeviation(), t.worstShareDeviationEndpoint(),
            t.longestRun(), t.longestRunEndpoint(), t.prefixError(), t.windowError());
      }
    }

    out.println();
    out.printf(Locale.ROOT,
        "Restart bias: e%d flips 10 <-> 11, %,d picks per line. Bias = observed / time-weighted expected - 1.%n",
        FLIPPED, picks);
    for (Peer peer : peers) {
      try (Picker p = peer.create(new int[] {1})) {
        out.printf("  %-20s setWeight: %s%n", peer.method(), p.weightChange());
      }
    }
    out.printf("%-20s %-6s %-11s %12s %11s %18s %18s %13s%n", "implementation", "shape", "gaps",
        "e9 (flipped)", "e0 (first)", "heaviest other", "worst |bias| (ep)", "window error");
    for (String shape : new String[] {Shapes.TEN, Shapes.HUNDRED}) {
      int[] weights = Shapes.weights(shape);
      int heaviest = heaviestOther(weights, FLIPPED);
      for (int gap : GAPS) {
        for (boolean random : new boolean[] {false, true}) {
          for (Peer peer : peers) {
            FlipPlan plan = random ? FlipPlan.random(gap) : FlipPlan.fixed(gap);
            PickTally t = flipRun(peer, weights, FLIPPED, plan, picks);
            int worst = t.worstShareDeviationEndpoint();
            out.printf(Locale.ROOT, "%-20s %-6s %-11s %10.3f %% %9.3f %% %9.3f %% (e%-2d) %9.3f %% (e%-2d) %13.3f%n",
                peer.method(), shape, (random ? "random " : "every ") + gap,
                100 * t.bias(FLIPPED), 100 * t.bias(0), 100 * t.bias(heaviest), heaviest,
                100 * Math.abs(t.bias(worst)), worst, t.windowError());
          }
        }
      }
    }
  }

  /** Returns the heaviest endpoint other than {@code except} (the highest index on ties). */
  static int heaviestOther(int[] weights, int except) {
    int best = -1;
    for (int i = 0; i < weights.length; i++) {
      if (i != except && (best < 0 || weights[i] >= weights[best])) {
        best = i;
      }
    }
    return best;
  }

  /** Returns the tally of {@code picks} picks of a fresh picker with static weights. */
  public static PickTally staticRun(Peer peer, int[] weights, int picks) {
    PickTally tally = new PickTally(weights);
    try (Picker picker = peer.create(weights)) {
      for (int k = 0; k < picks; k++) {
        tally.record(picker.index(picker.pick()));
      }
    }
    return tally;
  }

  /**
   * Returns the tally of {@code picks} picks of a fresh picker while endpoint {@code flipped}'s weight
   * flips between its weight and one more at the times of {@code plan}.
   */
  public static PickTally flipRun(Peer peer, int[] weights, int flipped, FlipPlan plan, int picks) {
    int[] w = weights.clone();
    int low = w[flipped];
    PickTally tally = new PickTally(w);
    try (Picker picker = peer.create(w)) {
      for (int k = 0; k < picks; k++) {
        if (plan.flipsBefore(k)) {
          w[flipped] = w[flipped] == low ? low + 1 : low;
          picker.setWeight(flipped, w[flipped]);
          tally.setWeights(w);
        }
        tally.record(picker.index(picker.pick()));
      }
    }
    return tally;
  }

  /**
   * Checks that {@code springCloudLb} and {@code springCloudLbCached} pick the same endpoints for the
   * first {@code 2 W + 1000} picks; returns that number.
   *
   * @throws IllegalStateException at the first pick where they differ
   */
  static int checkSpringSameSequence(int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int picks = 2 * total + 1000;
    try (Picker uncached = Peer.SPRING_CLOUD_LB.create(weights);
        Picker cached = Peer.SPRING_CLOUD_LB_CACHED.create(weights)) {
      for (int k = 0; k < picks; k++) {
        int a = uncached.index(uncached.pick());
        int b = cached.index(cached.pick());
        if (a != b) {
          throw new IllegalStateException("pick " + k + ": springCloudLb took e" + a + ", springCloudLbCached e" + b);
        }
      }
    }
    return picks;
  }
}
