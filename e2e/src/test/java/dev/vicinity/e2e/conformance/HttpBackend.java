package dev.vicinity.e2e.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A reviews backend speaking plain HTTP/1.1, as bookinfo's reviews does behind Envoy: every request is
 * answered with the backend's version. It can stop listening and start again on the same address.
 */
final class HttpBackend implements AutoCloseable {
  private final String version;
  private final InetSocketAddress address;
  private HttpServer server;

  HttpBackend(String version, InetSocketAddress address) {
    this.version = version;
    this.address = address;
  }

  synchronized HttpBackend start() {
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
    byte[] body = version.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return this;
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
