package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.JsonPointer;

/** Renders JSON pointers the way Kubernetes users read field paths: {@code spec.selectors[0].labels}. */
public final class FieldPath {
  private FieldPath() {}

  public static String format(JsonPointer pointer) {
    StringBuilder path = new StringBuilder();
    for (JsonPointer rest = pointer; rest != null && !rest.matches(); rest = rest.tail()) {
      if (rest.mayMatchElement()) {
        path.append('[').append(rest.getMatchingIndex()).append(']');
      } else {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(rest.getMatchingProperty());
      }
    }
    return path.toString();
  }
}
