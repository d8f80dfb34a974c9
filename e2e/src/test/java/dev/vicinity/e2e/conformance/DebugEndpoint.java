package dev.vicinity.e2e.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The server's debug HTTP endpoint, as an operator reads it: NACK counts and connected proxies. */
final class DebugEndpoint {
  private static final String NACKS = "vicinity_xds_nacks_total";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  DebugEndpoint(int port) {
    this.port = port;
  }

  /** {@code vicinity_xds_nacks_total} summed over types; absent until the first NACK, so 0 then. */
  double nacks() {
    return get("/metrics").lines()
        .filter(line -> line.startsWith(NACKS + "{") || line.startsWith(NACKS + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** {@code /debug/proxies}: every connected proxy, with its last ACK and NACK per type. */
  String proxies() {
    return get("/debug/proxies");
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
