package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds a part of a {@link SourceDocument} to an immutable record, strictly: unknown fields, empty list
 * entries, wrong types and malformed durations are errors that name the file, line and field path, and
 * say what was expected and what was given. Every such error is reported, not only the first (see
 * {@link Schema}).
 */
public final class DocumentBinder {
  private static final ObjectMapper MAPPER = newMapper();

  private DocumentBinder() {}

  /** A bound value, or the errors that prevented it. */
  public record Bound<T>(Optional<T> value, List<ConfigError> errors) {
    public Bound {
      errors = List.copyOf(errors);
    }
  }

  public static <T> Bound<T> bind(SourceDocument document, JsonPointer at, Class<T> type) {
    List<ConfigError> errors = new ArrayList<>();
    JsonNode node = document.tree().at(at);
    Schema.check(node, at, type, document, errors);
    if (!errors.isEmpty()) {
      return new Bound<>(Optional.empty(), errors);
    }
    try {
      return new Bound<>(Optional.ofNullable(MAPPER.readerFor(type).readValue(MAPPER.treeAsTokens(node))), errors);
    } catch (JsonMappingException e) {
      JsonPointer where = ValueTypes.pointerOf(at, e);
      errors.add(document.error(where, explain(e, document.tree().at(where))));
    } catch (IOException e) {
      errors.add(document.error(at, "cannot be read: " + firstLine(e.getMessage())));
    }
    return new Bound<>(Optional.empty(), errors);
  }

  /** Our own words when a record or deserializer threw them; else what was expected, never Java's type names. */
  private static String explain(JsonMappingException e, JsonNode value) {
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
      return cause.getMessage(); // our own validation inside a record or deserializer: already phrased
    }
    if (e instanceof MismatchedInputException mismatch) {
      return ValueTypes.explain(mismatch, value);
    }
    return "not a valid value for this field";
  }

  private static String firstLine(String message) {
    int details = message == null ? -1 : message.indexOf('\n');
    return details > 0 ? message.substring(0, details) : String.valueOf(message);
  }

  private static ObjectMapper newMapper() {
    SimpleModule durations = new SimpleModule("durations");
    durations.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.currentToken().isScalarValue()) {
              throw JsonMappingException.from(parser, "expected a duration such as 5s, 1m30s or 100ms");
            }
            try {
              return Durations.parse(parser.getText());
            } catch (IllegalArgumentException e) {
              throw JsonMappingException.from(parser, e.getMessage(), e);
            }
          }
        });
    return JsonMapper.builder()
        .addModule(durations)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
  }
}
