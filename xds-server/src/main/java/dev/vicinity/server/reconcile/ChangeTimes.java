package dev.vicinity.server.reconcile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

/**
 * When the latest change was seen and published, by the wall clock: when the first signal of its pass came
 * (a source told of it) and when the pass published its first changed snapshot. Gauges in seconds since the
 * epoch, so that whoever made the change (an operator, a benchmark on the same machine) can tell how long
 * the source took to tell Vicinity, how long Vicinity took, and how long the push took to reach a client.
 */
final class ChangeTimes {
  /** The times of one pass: when it was signalled and when it published. */
  private record Pass(Instant signalled, Instant published) {}

  private final Clock clock;
  /** When the first signal of the pass now scheduled came. */
  private volatile Instant scheduledSignal;
  /** The running pass's first signal until it publishes; touched on the reconciler thread only. */
  private Instant runningSignal;
  private volatile Pass latest;

  ChangeTimes(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    Gauge.builder("vicinity.last.change.signal.time", this, times -> times.epochSeconds(Pass::signalled))
        .description("When the latest published change was first signalled by a source (seconds since the epoch)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("vicinity.last.change.publish.time", this, times -> times.epochSeconds(Pass::published))
        .description("When the latest change's first changed snapshot was published (seconds since the epoch)")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The first signal of a pass: the pass is scheduled. */
  void signalled() {
    scheduledSignal = clock.instant();
  }

  /** The scheduled pass begins. */
  void passBegins() {
    runningSignal = scheduledSignal;
  }

  /** The running pass published a changed snapshot; only its first publication counts. */
  void published() {
    if (runningSignal != null) {
      latest = new Pass(runningSignal, clock.instant());
      runningSignal = null;
    }
  }

  private double epochSeconds(Function<Pass, Instant> time) {
    Pass pass = latest;
    if (pass == null) {
      return Double.NaN;
    }
    Instant instant = time.apply(pass);
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }
}
