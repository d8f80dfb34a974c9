package dev.vicinity.inventory.mapping;

import com.fasterxml.jackson.core.JsonPointer;
import dev.vicinity.api.yaml.FieldPath;

/** One rule a Kubernetes object breaks: the field, relative to the object, and what is wrong with it. */
public record Violation(JsonPointer field, String message) {
  @Override
  public String toString() {
    String path = FieldPath.format(field);
    return path.isEmpty() ? message : path + ": " + message;
  }
}
