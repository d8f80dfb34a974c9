package dev.vicinity.e2e.conformance;

import java.util.Optional;

/**
 * One call of a conformance client, parsed from the line it printed: {@code ok <version>} or
 * {@code error <STATUS> <details>}.
 */
record Answer(Optional<String> version, String error) {
  static Optional<Answer> parse(String line) {
    if (line.startsWith("ok ")) {
      return Optional.of(new Answer(Optional.of(line.substring(3).trim()), ""));
    }
    if (line.startsWith("error ")) {
      return Optional.of(new Answer(Optional.empty(), line.substring(6).trim()));
    }
    return Optional.empty(); // start-up banner or anything else the client says
  }

  boolean ok() {
    return version.isPresent();
  }

  @Override
  public String toString() {
    return version.orElse("error " + error);
  }
}
