package dev.vicinity.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Predicate;

/**
 * Waits for every client of a fleet to reach a state (e.g. "has ACKed a new EDS version") and keeps
 * when each one got there: the moment, right after sending an ACK, that the client was first seen in
 * that state.
 */
final class Arrivals {
  private final Predicate<SimulatedClient> arrived;
  private final long[] nanos;
  private final AtomicIntegerArray seen;
  private final CountDownLatch remaining;

  Arrivals(int clients, Predicate<SimulatedClient> arrived) {
    this.arrived = arrived;
    this.nanos = new long[clients];
    this.seen = new AtomicIntegerArray(clients);
    this.remaining = new CountDownLatch(clients);
  }

  /** Called after each ACK of {@code client}, and once for every client when the wait begins. */
  void check(SimulatedClient client) {
    int i = client.index();
    if (i < nanos.length && seen.get(i) == 0 && arrived.test(client) && seen.compareAndSet(i, 0, 1)) {
      nanos[i] = System.nanoTime();
      remaining.countDown();
    }
  }

  /** Each client's arrival (System.nanoTime). Throws if some have not arrived within {@code timeout}. */
  long[] await(Duration timeout, String what) throws InterruptedException {
    if (!remaining.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException(remaining.getCount() + " of " + nanos.length + " clients did not " + what
          + " within " + timeout);
    }
    return nanos.clone();
  }

  /** The latest arrival minus {@code startNanos}, and the earliest, in milliseconds. */
  static Spread spread(long[] nanos, long startNanos) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (long at : nanos) {
      first = Math.min(first, at);
      last = Math.max(last, at);
    }
    return new Spread((first - startNanos) / 1e6, (last - startNanos) / 1e6);
  }

  /** Milliseconds from the start to the first and to the last client's arrival. */
  record Spread(double firstMillis, double lastMillis) {}
}
