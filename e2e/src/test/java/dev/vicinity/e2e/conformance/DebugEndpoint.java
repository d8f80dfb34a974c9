package dev.vicinity.e2e.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server's debug HTTP endpoint, as an operator reads it: NACK counts, refused snapshots, connected proxies. */
final class DebugEndpoint {
  private static final String NACKS = "vicinity_xds_nacks_total";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TYPE_LABEL = Pattern.compile("type=\"([^\"]*)\"");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  DebugEndpoint(int port) {
    this.port = port;
  }

  /**
   * {@code vicinity_xds_nacks_total} per resource type, as the Prometheus text shows it (the series of a
   * type appears with its first push, at 0).
   */
  Map<String, Double> nacksByType() {
    Map<String, Double> nacks = new TreeMap<>();
    get("/metrics").lines().filter(line -> line.startsWith(NACKS + "{")).forEach(line -> {
      Matcher type = TYPE_LABEL.matcher(line);
      nacks.put(type.find() ? type.group(1) : line, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    });
    return nacks;
  }

  /**
   * {@code /debug/snapshots}' {@code refused}: the snapshots the server held back because their clients
   * (by Envoy's validation rules, or gRPC's) would refuse them.
   */
  List<JsonNode> refusedSnapshots() {
    try {
      List<JsonNode> refused = new ArrayList<>();
      JsonNode snapshots = JSON.readTree(get("/debug/snapshots"));
      if (!snapshots.has("refused")) {
        throw new AssertionError("/debug/snapshots has no 'refused' list");
      }
      snapshots.path("refused").forEach(refused::add);
      return refused;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /debug/snapshots as JSON", e);
    }
  }

  /** {@code /debug/proxies}: every connected proxy, with its last ACK and NACK per type. */
  String proxies() {
    return get("/debug/proxies");
  }

  /** The open streams {@code /debug/proxies} shows for the proxy with this node id. */
  List<JsonNode> streamsOf(String nodeId) {
    try {
      List<JsonNode> streams = new ArrayList<>();
      JSON.readTree(proxies()).path("proxies").forEach(proxy -> {
        if (nodeId.equals(proxy.path("nodeId").asText())) {
          streams.add(proxy);
        }
      });
      return streams;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /debug/proxies as JSON", e);
    }
  }

  private String get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
