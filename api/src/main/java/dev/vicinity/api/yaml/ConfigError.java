package dev.vicinity.api.yaml;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem in one input document: where (source file and line), which field (a dotted path such as
 * {@code spec.port.number}, empty for the document as a whole) and what was expected.
 */
public record ConfigError(String source, int line, String fieldPath, String message)
    implements Comparable<ConfigError> {
  private static final Comparator<ConfigError> ORDER =
      Comparator.comparing(ConfigError::source)
          .thenComparingInt(ConfigError::line)
          .thenComparing(ConfigError::fieldPath)
          .thenComparing(ConfigError::message);

  public ConfigError {
    Objects.requireNonNull(source, "source");
    fieldPath = Objects.requireNonNullElse(fieldPath, "");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int compareTo(ConfigError other) {
    return ORDER.compare(this, other);
  }

  /** {@code file:line: field.path: message}, the form compilers and linters print. */
  @Override
  public String toString() {
    String where = line > 0 ? source + ":" + line : source;
    return fieldPath.isEmpty() ? where + ": " + message : where + ": " + fieldPath + ": " + message;
  }
}
