package dev.vicinity.server;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

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

  /** On free ports, re-reading the configuration files every {@code filePollInterval}, so that edits show soon. */
  static ServerOptions onFreePorts(Path configDirectory, Duration filePollInterval) throws IOException {
    ServerOptions options = onFreePorts(configDirectory);
    return new ServerOptions(options.configDirectory(), options.config(), options.xdsPort(), options.debugAddress(),
        options.debugPort(), options.coalesceWindow(), filePollInterval);
  }

  /** Copies the configuration directory {@code source} to {@code target}, for a test to edit. */
  static Path copy(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }
}
