package dev.vicinity.api.world;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** The name of a Kubernetes cluster as configured in {@code vicinity.yaml}, e.g. {@code mgmt-cluster}. */
public record ClusterId(@JsonValue String value) implements Comparable<ClusterId> {
  public ClusterId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a cluster name must not be blank");
    }
  }

  public static ClusterId of(String value) {
    return new ClusterId(value);
  }

  @Override
  public int compareTo(ClusterId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
