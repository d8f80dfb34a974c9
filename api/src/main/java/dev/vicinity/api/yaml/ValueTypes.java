package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What a YAML value must look like for a Java type, in the words of the people who write the YAML
 * ("expected a whole number, got 'http'"), never in Java's.
 */
public final class ValueTypes {
  private static final int QUOTED_LIMIT = 60;

  private ValueTypes() {}

  /** Why {@code node} cannot become a {@code type}, or empty when it can (or when this check cannot tell). */
  static Optional<String> mismatch(JsonNode node, Class<?> type) {
    Optional<String> expected = expected(type);
    if (expected.isEmpty() || fits(node, type)) {
      return Optional.empty();
    }
    if (type == Duration.class && node.isValueNode()) {
      try {
        Durations.parse(node.asText());
      } catch (IllegalArgumentException e) {
        return Optional.of(e.getMessage()); // Durations says what it expected and what it got
      }
    }
    return Optional.of(expectedGot(expected.get(), node, isScalar(type)));
  }

  /**
   * The message for a binding failure that names Java types: what the field expects and what it holds.
   * {@code value} is the YAML value at the failing field (missing when unknown).
   */
  public static String explain(MismatchedInputException e, JsonNode value) {
    Class<?> target = e.getTargetType();
    Optional<String> expected = target == null ? Optional.empty() : expected(target).or(() -> modelObject(target));
    if (expected.isPresent() && !value.isMissingNode()) {
      return expectedGot(expected.get(), value, isScalar(target) && modelObject(target).isEmpty());
    }
    return expected.map(words -> "expected " + words).orElse("not a valid value for this field");
  }

  /** Where in the document a binding failure happened: {@code at} followed by the failure's path. */
  public static JsonPointer pointerOf(JsonPointer at, JsonMappingException e) {
    JsonPointer where = at;
    for (JsonMappingException.Reference reference : e.getPath()) {
      where = reference.getIndex() >= 0
          ? where.appendIndex(reference.getIndex())
          : where.appendProperty(reference.getFieldName());
    }
    return where;
  }

  /** A class of a data model (Kubernetes' in fabric8, say), which YAML writes as an object. */
  private static Optional<String> modelObject(Class<?> type) {
    boolean model = !type.isPrimitive() && !type.isEnum() && !type.getName().startsWith("java.")
        && !JsonNode.class.isAssignableFrom(type);
    return model ? Optional.of("an object (field: value)") : Optional.empty();
  }

  private static String expectedGot(String expected, JsonNode node, boolean scalarExpected) {
    return "expected " + expected + ", got " + describe(node, scalarExpected);
  }

  private static Optional<String> expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return Optional.of("a whole number");
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return Optional.of("a number");
    }
    if (type == Boolean.class || type == boolean.class) {
      return Optional.of("true or false");
    }
    if (type == String.class) {
      return Optional.of("a string");
    }
    if (type == Duration.class) {
      return Optional.of("a duration such as 5s, 1m30s or 100ms");
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return Optional.of("a list");
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return Optional.of("an object (field: value)");
    }
    return Optional.empty(); // JsonNode, Object: anything goes
  }

  /** As strict as the binder's mapper: no coercion of strings to numbers or booleans, no floats as ints. */
  private static boolean fits(JsonNode node, Class<?> type) {
    if (type == Integer.class || type == int.class) {
      return node.isIntegralNumber() && node.canConvertToInt();
    }
    if (type == Short.class || type == short.class) {
      return node.isIntegralNumber() && node.canConvertToInt() && node.intValue() == (short) node.intValue();
    }
    if (type == Long.class || type == long.class) {
      return node.isIntegralNumber() && node.canConvertToLong();
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return node.isNumber();
    }
    if (type == Boolean.class || type == boolean.class) {
      return node.isBoolean();
    }
    if (type == String.class) {
      return node.isValueNode(); // the mapper reads 123 or true as text, as it always has
    }
    if (type == Duration.class) {
      if (!node.isValueNode()) {
        return false;
      }
      try {
        Durations.parse(node.asText());
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return node.isArray();
    }
    return node.isObject();
  }

  private static boolean isScalar(Class<?> type) {
    return !(Collection.class.isAssignableFrom(type) || type.isArray() || Map.class.isAssignableFrom(type)
        || type.isRecord());
  }

  /** A value as the user wrote it when a value was expected; its kind when a list or object was. */
  private static String describe(JsonNode node, boolean scalarExpected) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isNull()) {
      return "nothing (null)";
    }
    if (!scalarExpected) {
      return node.isTextual() ? "a string" : node.isBoolean() ? node.asText() : "a number";
    }
    return node.isTextual() ? "'" + abbreviated(node.asText()) + "'" : node.asText();
  }

  private static String abbreviated(String text) {
    return text.length() <= QUOTED_LIMIT ? text : text.substring(0, QUOTED_LIMIT) + "...";
  }

  /** The raw class of a field type ({@code List<String>} is a {@code List}). */
  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof java.lang.reflect.ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }
}
