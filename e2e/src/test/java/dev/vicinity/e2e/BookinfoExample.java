package dev.vicinity.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of {@code examples/bookinfo} whose EndpointSlices point at the port the test's backends
 * listen on; addresses (127.0.0.11-13), policies and everything else stay as shipped.
 */
final class BookinfoExample {
  private static final YAMLMapper YAML = new YAMLMapper();

  private BookinfoExample() {}

  static Path shipped() {
    return Path.of(System.getProperty("vicinity.examples", "../examples")).resolve("bookinfo");
  }

  static Path copyWithBackendPort(Path target, int backendPort) throws IOException {
    Path source = shipped();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else if (source.relativize(file).startsWith("clusters")) {
          writeDocuments(copy, readDocuments(file).stream().map(d -> withSlicePort(d, backendPort)).toList());
        } else {
          Files.copy(file, copy);
        }
      }
    }
    return target;
  }

  private static JsonNode withSlicePort(JsonNode document, int port) {
    if ("EndpointSlice".equals(document.path("kind").asText())) {
      document.path("ports").forEach(p -> ((ObjectNode) p).put("port", port));
    }
    document.path("items").forEach(item -> withSlicePort(item, port));
    return document;
  }

  private static List<JsonNode> readDocuments(Path file) {
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return documents.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeDocuments(Path file, List<JsonNode> documents) throws IOException {
    try (SequenceWriter writer = YAML.writer().writeValues(file.toFile())) {
      writer.writeAll(documents);
    }
  }
}
