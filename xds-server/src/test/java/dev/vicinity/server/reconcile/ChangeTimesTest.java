package dev.vicinity.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChangeTimesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Ticking clock = new Ticking(Instant.parse("2026-12-02T17:00:00Z"));
  private final ChangeTimes times = new ChangeTimes(registry, clock);

  @Test
  void nothingPublishedYetReadsAsNotANumber() {
    assertThat(signal()).isNaN();
    assertThat(publish()).isNaN();
  }

  @Test
  void aPassTellsWhenItsFirstSignalCameAndWhenItFirstPublished() {
    times.signalled();
    clock.advance(Duration.ofMillis(20));
    times.passBegins();
    clock.advance(Duration.ofMillis(3));
    times.published();
    clock.advance(Duration.ofMillis(5));
    times.published(); // another group of the same pass: not the change's first publication

    assertThat(signal()).isEqualTo(Instant.parse("2026-12-02T17:00:00Z").getEpochSecond());
    assertThat(publish() - signal()).isCloseTo(0.023, within(1e-6));
  }

  @Test
  void aPassThatPublishesNothingLeavesThePreviousChangesTimes() {
    times.signalled();
    times.passBegins();
    times.published();
    double published = publish();

    clock.advance(Duration.ofSeconds(1));
    times.signalled();
    times.passBegins(); // e.g. a source's look that found nothing new

    assertThat(publish()).isEqualTo(published);
  }

  private double signal() {
    return registry.get("vicinity.last.change.signal.time").gauge().value();
  }

  private double publish() {
    return registry.get("vicinity.last.change.publish.time").gauge().value();
  }

  private static final class Ticking extends Clock {
    private Instant now;

    Ticking(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
