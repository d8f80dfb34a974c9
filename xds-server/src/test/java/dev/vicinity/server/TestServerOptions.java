package dev.vicinity.server;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Server options for tests: a configuration directory as `serve --config` reads it, on free ports. */
final class TestServerOptions {
  private TestServerOptions() {}

  /** The bundled example, {@code examples/bookinfo}. */
  static Path bookinfoExample() {
    return Path.of(System.getProperty("vicinity.examples", "../examples")).resolve("bookinfo");
  }

  static ServerOptions onFreePorts(Path configDirectory) throws IOException {
    Path file = configDirectory.resolve("vicinity.yaml");
    VicinityConfig settings = ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
    return ServerOptions.fromConfig(configDirectory, settings).withXdsPort(0).withDebugPort(0);
  }
}
