package dev.vicinity.inventory.files;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vicinity.api.yaml.SourceDocument;
import dev.vicinity.api.yaml.YamlDocuments;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the lines of an object's {@code metadata.name} in a file's text, {@code List} items included. Only
 * needed for a rare error (an object defined twice), so the readers need not keep lines for every object.
 */
final class NameLines {
  private NameLines() {}

  /**
   * Every line where {@code kind namespace/name} is named, in order. An absent namespace matches
   * {@code namespace} when that is empty or {@code default}, as Kubernetes fills it in.
   */
  static List<Integer> of(String source, String text, String kind, String namespace, String name) {
    List<Integer> lines = new ArrayList<>();
    for (SourceDocument document : YamlDocuments.parse(source, text).documents()) {
      JsonNode items = document.tree().path("items");
      if (items.isArray() && !document.text("kind").equals(kind)) {
        for (int i = 0; i < items.size(); i++) {
          add(document, JsonPointer.compile("/items/" + i), kind, namespace, name, lines);
        }
      } else {
        add(document, JsonPointer.empty(), kind, namespace, name, lines);
      }
    }
    return lines;
  }

  private static void add(SourceDocument document, JsonPointer at, String kind, String namespace, String name,
      List<Integer> lines) {
    JsonNode object = document.tree().at(at);
    JsonNode metadata = object.path("metadata");
    String objectNamespace = metadata.path("namespace").asText("");
    boolean sameNamespace = objectNamespace.equals(namespace)
        || (objectNamespace.isEmpty() && (namespace == null || namespace.isEmpty() || namespace.equals("default")));
    if (object.path("kind").asText("").equals(kind) && metadata.path("name").asText("").equals(name) && sameNamespace) {
      lines.add(document.lineOf(at.appendProperty("metadata").appendProperty("name")));
    }
  }
}
