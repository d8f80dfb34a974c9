package dev.vicinity.server;

import dev.vicinity.server.tls.XdsTls;
import dev.vicinity.api.config.VicinityConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a server needs to start, explicit: the configuration directory and its parsed
 * {@code vicinity.yaml}, the effective addresses (flags over file), and how connections and streams are
 * treated. Port 0 picks a free port.
 */
public record ServerOptions(
    Path configDirectory,
    VicinityConfig config,
    String xdsAddress,
    int xdsPort,
    String debugAddress,
    int debugPort,
    Duration coalesceWindow,
    Duration filePollInterval,
    Optional<XdsTls> tls,
    ConnectionOptions connections) {
  /**
   * File events bring changes within milliseconds; the poll is the backstop for what has no event (writes
   * from other machines on network file systems), so it stays short. It reads only changed files.
   */
  public static final Duration DEFAULT_FILE_POLL_INTERVAL = Duration.ofSeconds(1);

  /** Plaintext xDS. */
  public ServerOptions(Path configDirectory, VicinityConfig config, int xdsPort, String debugAddress, int debugPort,
      Duration coalesceWindow, Duration filePollInterval) {
    this(configDirectory, config, config.server().xdsAddress(), xdsPort, debugAddress, debugPort, coalesceWindow,
        filePollInterval, Optional.empty(), ConnectionOptions.from(config.server()));
  }

  /** The settings of {@code vicinity.yaml} as they are. */
  public static ServerOptions fromConfig(Path configDirectory, VicinityConfig config) {
    return new ServerOptions(
        configDirectory,
        config,
        config.server().xdsPort(),
        config.server().debugAddress(),
        config.server().debugPort(),
        config.server().coalesceWindow(),
        DEFAULT_FILE_POLL_INTERVAL);
  }

  public ServerOptions withXdsAddress(String address) {
    return new ServerOptions(configDirectory, config, address, xdsPort, debugAddress, debugPort, coalesceWindow,
        filePollInterval, tls, connections);
  }

  public ServerOptions withXdsPort(int port) {
    return new ServerOptions(configDirectory, config, xdsAddress, port, debugAddress, debugPort, coalesceWindow, filePollInterval, tls,
        connections);
  }

  public ServerOptions withDebugPort(int port) {
    return new ServerOptions(configDirectory, config, xdsAddress, xdsPort, debugAddress, port, coalesceWindow, filePollInterval, tls,
        connections);
  }

  public ServerOptions withTls(XdsTls settings) {
    return new ServerOptions(configDirectory, config, xdsAddress, xdsPort, debugAddress, debugPort, coalesceWindow, filePollInterval,
        Optional.of(settings), connections);
  }

  public ServerOptions withDebugAddress(String address) {
    return new ServerOptions(configDirectory, config, xdsAddress, xdsPort, address, debugPort, coalesceWindow, filePollInterval, tls,
        connections);
  }

  public ServerOptions withConnections(ConnectionOptions options) {
    return new ServerOptions(configDirectory, config, xdsAddress, xdsPort, debugAddress, debugPort, coalesceWindow, filePollInterval, tls,
        options);
  }
}
