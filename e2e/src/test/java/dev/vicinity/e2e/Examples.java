package dev.vicinity.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.server.ServerOptions;
import dev.vicinity.server.VicinityServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of a bundled example ({@code examples/<name>}) whose EndpointSlices point at the port the
 * test's backends listen on; addresses (127.0.0.x), policies and everything else stay as shipped.
 */
public final class Examples {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Examples() {}

  public static Path copyWithBackendPort(String example, Path target, int backendPort) throws IOException {
    Path source = Path.of(System.getProperty("vicinity.examples", "../examples")).resolve(example);
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

  /** Starts the server on a configuration directory, with free ports for xDS and debug HTTP. */
  public static VicinityServer serve(Path config) throws IOException {
    Path file = config.resolve("vicinity.yaml");
    VicinityConfig settings = ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
    return VicinityServer.start(ServerOptions.fromConfig(config, settings).withXdsPort(0).withDebugPort(0));
  }

  /** A port free on the backends' loopback address (Linux routes all of 127.0.0.0/8 to lo). */
  public static int freePort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
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
