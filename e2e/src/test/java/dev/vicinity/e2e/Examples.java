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
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of a bundled example ({@code examples/<name>}) or of a test's configuration directory whose
 * EndpointSlices and east-west gateways point at the port the test's backends listen on; addresses
 * (127.0.0.x), policies and everything else stay as shipped.
 */
public final class Examples {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Examples() {}

  public static Path copyWithBackendPort(String example, Path target, int backendPort) throws IOException {
    return copyWithBackendPort(bundled(example), target, backendPort);
  }

  /** The bundled example's configuration directory, {@code examples/<name>}. */
  public static Path bundled(String example) {
    return Path.of(System.getProperty("vicinity.examples", "../examples")).resolve(example);
  }

  /** A test configuration directory on the test class path ({@code e2e/src/test/resources/<name>}). */
  public static Path testWorld(String name) {
    URL directory = Examples.class.getResource("/" + name);
    if (directory == null) {
      throw new IllegalArgumentException("no test world " + name + " on the class path");
    }
    try {
      return Path.of(directory.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(directory.toString(), e);
    }
  }

  /** {@code source}: a configuration directory (vicinity.yaml, clusters/, policies/). */
  public static Path copyWithBackendPort(Path source, Path target, int backendPort) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else if (source.relativize(file).startsWith("clusters")) {
          writeDocuments(copy, readDocuments(file).stream().map(d -> withSlicePort(d, backendPort)).toList());
        } else if (source.relativize(file).toString().equals("vicinity.yaml") && hasGateways(file)) {
          writeDocuments(copy, readDocuments(file).stream().map(d -> withGatewayPort(d, backendPort)).toList());
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

  private static boolean hasGateways(Path settings) {
    return readDocuments(settings).stream()
        .anyMatch(d -> d.path("clusters").findValue("eastWestGateways") != null);
  }

  /** A gateway stands in for its network's endpoints: in a test, a backend listens at its address. */
  private static JsonNode withGatewayPort(JsonNode settings, int port) {
    settings.path("clusters").forEach(cluster -> cluster.path("eastWestGateways").forEach(g -> ((ObjectNode) g).put("port", port)));
    return settings;
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
