package dev.vicinity.benchmarks;

import java.util.Locale;

/** Where Vicinity reads a harness's world from: mock Kubernetes API servers, or files (the {@code --source} flag). */
enum WorldSource {
  KUBERNETES, FILES;

  String flag() {
    return name().toLowerCase(Locale.ROOT);
  }

  static WorldSource parse(String flag) {
    for (WorldSource source : values()) {
      if (source.flag().equals(flag)) {
        return source;
      }
    }
    throw new IllegalArgumentException("--source is kubernetes or files; got '" + flag + "'");
  }
}
