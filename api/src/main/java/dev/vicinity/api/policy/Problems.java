package dev.vicinity.api.policy;

import com.fasterxml.jackson.core.JsonPointer;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.SourceDocument;
import java.util.ArrayList;
import java.util.List;

/** Collects every validation problem of one document, each at its field. */
final class Problems {
  private final SourceDocument document;
  private final List<ConfigError> errors = new ArrayList<>();

  Problems(SourceDocument document) {
    this.document = document;
  }

  void add(JsonPointer at, String message) {
    errors.add(document.error(at, message));
  }

  void addAll(List<ConfigError> more) {
    errors.addAll(more);
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  static JsonPointer at(String path) {
    return JsonPointer.compile(path);
  }
}
