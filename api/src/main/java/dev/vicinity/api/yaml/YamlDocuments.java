package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Splits YAML text into documents and records the line of every field. A syntax error ends the file
 * (YAML cannot be resynchronised), but the documents before it are kept.
 */
public final class YamlDocuments {
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlDocuments() {}

  /** The documents of one file and any syntax error that cut it short. */
  public record Parsed(List<SourceDocument> documents, List<ConfigError> errors) {
    public Parsed {
      documents = List.copyOf(documents);
      errors = List.copyOf(errors);
    }
  }

  public static Parsed parse(String source, String text) {
    List<SourceDocument> documents = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      while (parser.nextToken() != null) {
        int line = parser.currentTokenLocation().getLineNr();
        Map<JsonPointer, Integer> lines = new HashMap<>();
        JsonNode tree = readValue(parser, JsonPointer.empty(), lines);
        if (tree.isNull() || tree.isMissingNode() || (tree.isTextual() && tree.asText().isEmpty())) {
          continue; // an empty document: between two '---', or after a trailing one
        }
        documents.add(new SourceDocument(source, line, tree, lines));
      }
    } catch (JsonProcessingException e) {
      errors.add(new ConfigError(source, errorLine(e), "", "not valid YAML: " + e.getOriginalMessage()));
    } catch (IOException e) {
      errors.add(new ConfigError(source, 0, "", "cannot read: " + e.getMessage()));
    }
    return new Parsed(documents, errors);
  }

  /**
   * SnakeYAML knows where the problem is (Jackson's location is only where its parser stopped): the
   * start of the construct it was reading (an unterminated quote), else the spot it choked on.
   */
  private static int errorLine(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked) {
      if (marked.getContextMark() != null) {
        return marked.getContextMark().getLine() + 1;
      }
      if (marked.getProblemMark() != null) {
        return marked.getProblemMark().getLine() + 1;
      }
    }
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  private static JsonNode readValue(JsonParser parser, JsonPointer at, Map<JsonPointer, Integer> lines)
      throws IOException {
    lines.putIfAbsent(at, parser.currentTokenLocation().getLineNr());
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonPointer field = at.appendProperty(name);
          lines.put(field, parser.currentTokenLocation().getLineNr());
          parser.nextToken();
          object.set(name, readValue(parser, field, lines));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, at.appendIndex(index++), lines));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        // The narrowest node type, as Jackson's own tree reader builds it: consumers check isInt().
        return switch (parser.getNumberType()) {
          case INT -> NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(parser.getBooleanValue());
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IllegalStateException("unexpected YAML token " + token);
    }
  }
}
