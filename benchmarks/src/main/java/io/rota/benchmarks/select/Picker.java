package io.rota.benchmarks.select;

/**
 * One weighted selection implementation, set up the way its own documentation tells users to, behind
 * one small interface so that {@code SelectBenchmark} and {@code FairnessReport} measure exactly the
 * same set-ups. Endpoints are numbered {@code 0..n-1} in the order of the shape's weights.
 *
 * <p>{@link #pick()} is thread-safe in every implementation (the benchmark calls it from two threads).
 * {@link #setWeight} and {@link #index} are called from one thread at a time, by the fairness report.
 */
public interface Picker extends AutoCloseable {

  /** Returns the implementation's name, as used in the benchmark method and the report. */
  String name();

  /** Picks one endpoint and returns the implementation's own result object for it. */
  Object pick();

  /** Returns the endpoint number {@code 0..n-1} of an object {@link #pick()} returned. */
  int index(Object picked);

  /**
   * Changes endpoint {@code index}'s weight the way a user of the implementation would: in place
   * where it supports weight changes, otherwise by rebuilding it; {@link #weightChange()} says which.
   *
   * @throws IllegalArgumentException if {@code index} or {@code weight} is out of range
   */
  void setWeight(int index, int weight);

  /** Returns a short description of what {@link #setWeight} does (keeps progress, or rebuilds). */
  String weightChange();

  /** Releases what the implementation holds (threads, timers); idempotent. */
  @Override
  void close();
}
