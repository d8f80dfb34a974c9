package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * One YAML document of a (possibly multi-document) file, as a tree, together with the line on which
 * every field of it starts, so that any later error can point at the exact line.
 */
public record SourceDocument(String source, int line, JsonNode tree, Map<JsonPointer, Integer> fieldLines) {
  public SourceDocument {
    fieldLines = ImmutableMap.copyOf(fieldLines);
  }

  /** The line of the field at {@code pointer}, or of its closest ancestor that has one. */
  public int lineOf(JsonPointer pointer) {
    for (JsonPointer at = pointer; at != null; at = at.head()) {
      Integer found = fieldLines.get(at);
      if (found != null) {
        return found;
      }
    }
    return line;
  }

  public ConfigError error(JsonPointer pointer, String message) {
    return new ConfigError(source, lineOf(pointer), FieldPath.format(pointer), message);
  }

  public ConfigError error(String message) {
    return new ConfigError(source, line, "", message);
  }

  public String text(String field) {
    JsonNode value = tree.get(field);
    return value != null && value.isTextual() ? value.asText() : "";
  }

  /** {@code kind namespace/name} for log lines and messages, as far as the document says. */
  public String describe() {
    JsonNode metadata = tree.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    String name = metadata.path("name").asText("");
    return text("kind") + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
