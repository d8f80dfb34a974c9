package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Splits YAML text into documents and records the line of every field. A syntax error ends the file
 * (YAML cannot be resynchronised), but the documents before it are kept. Reading takes time linear in
 * the text and stays within {@link YamlLimits}.
 *
 * <p>Tags ({@code !!binary}), anchors ({@code &name}) and aliases ({@code *name}) are refused: Kubernetes
 * never prints them, and Jackson would silently read an alias as its anchor's name. A document using one
 * is left out with an error at its line; the other documents of the file still count.
 */
public final class YamlDocuments {
  private static final RestrictedYamlFactory DEFAULT_FACTORY = new RestrictedYamlFactory(YamlLimits.DEFAULT);
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
    return parse(source, text, DEFAULT_FACTORY);
  }

  public static Parsed parse(String source, String text, YamlLimits limits) {
    return parse(source, text, limits.equals(YamlLimits.DEFAULT) ? DEFAULT_FACTORY : new RestrictedYamlFactory(limits));
  }

  private static Parsed parse(String source, String text, RestrictedYamlFactory factory) {
    List<SourceDocument> documents = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    RestrictedYamlParser parser = factory.parser(text);
    try (parser) {
      while (parser.nextToken() != null) {
        int line = parser.currentTokenLocation().getLineNr();
        Map<JsonPointer, Integer> lines = new HashMap<>();
        List<ConfigError> refused = new ArrayList<>();
        JsonNode tree = new DocumentReader(source, parser, factory.limits(), lines, refused).value(JsonPointer.empty());
        if (!refused.isEmpty()) {
          errors.addAll(refused);
          continue;
        }
        if (tree.isNull() || tree.isMissingNode() || (tree.isTextual() && tree.asText().isEmpty())) {
          continue; // an empty document: between two '---', or after a trailing one
        }
        documents.add(new SourceDocument(source, line, tree, lines));
      }
    } catch (StreamConstraintsException e) {
      errors.add(new ConfigError(source, parser.currentLocation().getLineNr(), "", beyondLimit(e, factory.limits())));
    } catch (JsonProcessingException e) {
      errors.add(new ConfigError(source, errorLine(e), "", "not valid YAML: " + describe(e, factory.limits())));
    } catch (IOException e) {
      errors.add(new ConfigError(source, 0, "", "cannot read: " + e.getMessage()));
    }
    return new Parsed(documents, errors);
  }

  /**
   * Where the user should look. SnakeYAML knows better than Jackson (whose location is only where its
   * parser stopped): for a token that never ended (an unterminated quote), where it began; otherwise the
   * spot it choked on. The start of the enclosing mapping ("while parsing a block mapping") is never it.
   */
  static int errorLine(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked) {
      boolean unfinishedToken = marked.getContext() != null && marked.getContext().startsWith("while scanning")
          && marked.getContextMark() != null;
      if (unfinishedToken) {
        return marked.getContextMark().getLine() + 1;
      }
      if (marked.getProblemMark() != null) {
        return marked.getProblemMark().getLine() + 1;
      }
    }
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  /** Jackson's check of a limit, in the terms of {@link YamlLimits}. */
  private static String beyondLimit(StreamConstraintsException e, YamlLimits limits) {
    String message = e.getOriginalMessage();
    if (message.contains("nesting depth")) {
      return "nested deeper than the limit of " + limits.nestingDepth() + " levels";
    }
    int javaDetails = message.indexOf(", from `");
    return "beyond a reading limit: " + (javaDetails > 0 ? message.substring(0, javaDetails) + ")" : message);
  }

  /** SnakeYAML's words without its source snippet (the error already says file and line). */
  private static String describe(JsonProcessingException e, YamlLimits limits) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
      String problem = marked.getProblem().trim();
      if (problem.startsWith("expected <block end>")) {
        return problem + " (check the indentation of this line)";
      }
      boolean scanning = marked.getContext() != null && marked.getContext().startsWith("while scanning")
          && marked.getContextMark() != null;
      return scanning ? marked.getContext() + ": " + problem : problem;
    }
    if (e.getCause() instanceof YAMLException yaml && yaml.getMessage() != null
        && yaml.getMessage().startsWith("The incoming YAML document exceeds the limit")) {
      return "a YAML document longer than the limit of " + limits.documentCodePoints() + " characters";
    }
    String message = e.getOriginalMessage();
    int details = message.indexOf('\n');
    return details > 0 ? message.substring(0, details) : message;
  }

  /** Builds one document's tree, recording the line of every field and what YAML features it refused. */
  private record DocumentReader(
      String source, RestrictedYamlParser parser, YamlLimits limits, Map<JsonPointer, Integer> lines,
      List<ConfigError> refused) {

    JsonNode value(JsonPointer at) throws IOException {
      lines.putIfAbsent(at, parser.currentTokenLocation().getLineNr());
      refuseTagsAnchorsAndAliases(at);
      JsonToken token = parser.currentToken();
      switch (token) {
        case START_OBJECT -> {
          ObjectNode object = NODES.objectNode();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonPointer field = at.appendProperty(name);
            lines.put(field, parser.currentTokenLocation().getLineNr());
            refuseTagsAnchorsAndAliases(field);
            parser.nextToken();
            object.set(name, value(field));
          }
          return object;
        }
        case START_ARRAY -> {
          ArrayNode array = NODES.arrayNode();
          int index = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value(at.appendIndex(index++)));
          }
          return array;
        }
        case VALUE_STRING -> {
          String text = parser.getText();
          if (text.length() > limits.scalarCodePoints()) {
            refuse(at, "a value longer than the limit of " + limits.scalarCodePoints() + " characters");
            return NODES.nullNode();
          }
          return NODES.textNode(text);
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
        default -> {
          // Only a tag makes Jackson produce anything else (!!binary: an embedded object), refused above.
          return NODES.nullNode();
        }
      }
    }

    private void refuseTagsAnchorsAndAliases(JsonPointer at) {
      Optional<String> alias = parser.alias();
      if (alias.isPresent()) {
        refuse(at, "YAML aliases are not supported (*" + alias.get() + "); write the value out in full");
      }
      parser.anchor().ifPresent(anchor ->
          refuse(at, "YAML anchors are not supported (&" + anchor + "); write the value out in full where it is used"));
      parser.explicitTag().ifPresent(tag ->
          refuse(at, "YAML tags are not supported (" + tag + "); write the value without a tag"));
    }

    private void refuse(JsonPointer at, String message) {
      refused.add(new ConfigError(source, parser.currentTokenLocation().getLineNr(), FieldPath.format(at), message));
    }
  }
}
