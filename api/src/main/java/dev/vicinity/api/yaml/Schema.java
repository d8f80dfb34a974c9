package dev.vicinity.api.yaml;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a YAML tree against the shape of the records it will bind to, before binding: every unknown
 * field, every value of the wrong type and every empty list entry is reported at its own line, all of
 * them, not only the first (binding stops at the first).
 */
final class Schema {
  private Schema() {}

  static void check(JsonNode node, JsonPointer at, Type type, SourceDocument document, List<ConfigError> errors) {
    Class<?> raw = ValueTypes.rawClass(type);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    Optional<String> mismatch = ValueTypes.mismatch(node, raw);
    if (mismatch.isPresent()) {
      errors.add(document.error(at, mismatch.get()));
      return;
    }
    if (raw.isRecord() && node.isObject()) {
      JsonIgnoreProperties ignore = raw.getAnnotation(JsonIgnoreProperties.class);
      boolean ignoresUnknown = ignore != null && ignore.ignoreUnknown();
      Map<String, Type> fields = fields(raw);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonPointer where = at.appendProperty(field.getKey());
        Type fieldType = fields.get(field.getKey());
        if (fieldType == null && ignoresUnknown) {
          continue; // e.g. metadata's uid or managedFields, as kubectl prints them
        } else if (fieldType == null) {
          errors.add(document.error(where,
              "unknown field '" + field.getKey() + "'; expected one of: " + String.join(", ", fields.keySet())));
        } else {
          check(field.getValue(), where, fieldType, document, errors);
        }
      }
    } else if (List.class.isAssignableFrom(raw) && node.isArray()) {
      Type element = typeArgument(type, 0);
      for (int i = 0; i < node.size(); i++) {
        if (node.get(i).isNull()) {
          errors.add(document.error(at.appendIndex(i), "empty list entry: expected a value"));
        } else {
          check(node.get(i), at.appendIndex(i), element, document, errors);
        }
      }
    } else if (Map.class.isAssignableFrom(raw) && node.isObject()) {
      Type value = typeArgument(type, 1);
      node.fields().forEachRemaining(e -> check(e.getValue(), at.appendProperty(e.getKey()), value, document, errors));
    }
  }

  /** A record's YAML field names (its component names, or their {@code @JsonProperty} names), sorted. */
  private static Map<String, Type> fields(Class<?> record) {
    Map<String, Type> fields = new TreeMap<>();
    for (RecordComponent component : record.getRecordComponents()) {
      JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
      String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
      fields.put(name, component.getGenericType());
    }
    return fields;
  }

  private static Type typeArgument(Type type, int index) {
    return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index
        ? p.getActualTypeArguments()[index]
        : Object.class;
  }
}
