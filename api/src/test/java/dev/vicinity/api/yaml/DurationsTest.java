package dev.vicinity.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  static Stream<Arguments> goDurations() {
    return Stream.of(
        Arguments.of("5s", Duration.ofSeconds(5)),
        Arguments.of("120s", Duration.ofSeconds(120)),
        Arguments.of("1m30s", Duration.ofSeconds(90)),
        Arguments.of("100ms", Duration.ofMillis(100)),
        Arguments.of("1.5h", Duration.ofMinutes(90)),
        Arguments.of("2h", Duration.ofHours(2)),
        Arguments.of("1h2m3s", Duration.ofSeconds(3723)),
        Arguments.of("1.5s", Duration.ofMillis(1500)),
        Arguments.of("0.25m", Duration.ofSeconds(15)),
        Arguments.of("10us", Duration.ofNanos(10_000)),
        Arguments.of("10µs", Duration.ofNanos(10_000)),
        Arguments.of("42ns", Duration.ofNanos(42)),
        Arguments.of("1s500ms", Duration.ofMillis(1500)),
        Arguments.of("0s", Duration.ZERO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goDurations")
  void parsesGoStyleDurations(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"5", "5 seconds", "s", "5x", "5S", "1m 30s", " 5s", "5s ", "5d", "ms", "abc"})
  void rejectsAnythingElseSayingWhatWasExpected(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Durations.parse(text))
        .withMessage("expected a duration such as 5s, 1m30s or 100ms, got '" + text + "'");
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void rejectsAnEmptyValue(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Durations.parse(text))
        .withMessage("expected a duration such as 5s, 1m30s or 100ms, got an empty value");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1.5ns", "0.0001us", "9999999999999h"})
  void unrepresentableDurationsFailWithIllegalArgumentOrAreRounded(String text) {
    Throwable thrown = catchThrowable(() -> Durations.parse(text));

    if (thrown != null) {
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void formatsWholeSecondsAsSeconds() {
    assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("120s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("120s");
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void formatsAnythingFinerAsMilliseconds() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofMillis(100))).isEqualTo("100ms");
    assertThat(Durations.format(Duration.ofMillis(20))).isEqualTo("20ms");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"5s", "120s", "100ms", "1500ms", "0s", "20ms"})
  void formatAndParseRoundTrip(String text) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
  }
}
