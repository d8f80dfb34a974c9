package dev.vicinity.server;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Server options for tests: a configuration directory as `serve --config` reads it, on free ports. */
public final class TestServerOptions {
  private TestServerOptions() {}

  public static ServerOptions onFreePorts(Path configDirectory) throws IOException {
    Path file = configDirectory.resolve("vicinity.yaml");
    VicinityConfig settings = ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
    return ServerOptions.fromConfig(configDirectory, settings).withXdsPort(0).withDebugPort(0);
  }

  /** On free ports, re-reading the configuration files every {@code filePollInterval}, so that edits show soon. */
  public static ServerOptions onFreePorts(Path configDirectory, Duration filePollInterval) throws IOException {
    ServerOptions options = onFreePorts(configDirectory);
    return new ServerOptions(options.configDirectory(), options.config(), options.xdsPort(), options.debugAddress(),
        options.debugPort(), options.coalesceWindow(), filePollInterval);
  }
}
