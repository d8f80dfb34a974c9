package dev.vicinity.api.yaml;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes, Istio and Gloo Mesh write them (Go's {@code time.ParseDuration} and the
 * protobuf JSON form): {@code 5s}, {@code 1m30s}, {@code 100ms}, {@code 1.5h}.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ms|us|µs|ns|h|m|s)");

  private Durations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} saying what was expected. */
  public static Duration parse(String text) {
    if ("0".equals(text)) {
      return Duration.ZERO; // Go's one unitless duration
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected a duration such as 5s, 1m30s or 100ms, got an empty value");
    }
    Matcher part = PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length()) {
      if (!part.find(at) || part.start() != at) {
        throw new IllegalArgumentException(
            "expected a duration such as 5s, 1m30s or 100ms, got '" + text + "'");
      }
      BigDecimal amount = new BigDecimal(part.group(1));
      BigDecimal nanosPerUnit =
          switch (part.group(2)) {
            case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "us", "µs" -> BigDecimal.valueOf(1_000L);
            default -> BigDecimal.ONE;
          };
      try {
        // Go truncates fractions of a nanosecond (1.5ns is 1ns) and rejects overflow.
        total = total.plusNanos(amount.multiply(nanosPerUnit).setScale(0, RoundingMode.DOWN).longValueExact());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration '" + text + "' is too long");
      }
      at = part.end();
    }
    return total;
  }

  /** Whole seconds as {@code 120s}, anything finer as milliseconds ({@code 1500ms}). */
  public static String format(Duration duration) {
    if (duration.toNanos() % 1_000_000_000L == 0) {
      return duration.toSeconds() + "s";
    }
    return duration.toMillis() + "ms";
  }
}
