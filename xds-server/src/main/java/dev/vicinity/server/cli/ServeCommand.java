package dev.vicinity.server.cli;

import dev.vicinity.server.ServerOptions;
import dev.vicinity.server.VicinityServer;
import dev.vicinity.server.tls.XdsTls;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.yaml.ConfigError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vicinity serve}: run the control plane on a configuration directory. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve xDS (ADS over gRPC) for the clusters and policies of a configuration directory:",
      "DIR/vicinity.yaml, DIR/clusters/<cluster>/*.yaml and DIR/policies/**/*.yaml."
    })
final class ServeCommand implements Callable<Integer> {
  static final int CONFIG_ERROR = 2;
  static final int START_FAILED = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "DIR", description = "The configuration directory.")
  Path config;

  @Option(names = "--xds-address", paramLabel = "ADDRESS", description = "Address the xDS port binds (default: server.xdsAddress, else 0.0.0.0: every interface).")
  String xdsAddress;

  @Option(names = "--xds-port", paramLabel = "PORT", description = "gRPC port for xDS (default: vicinity.yaml's server.xdsPort, else 18000).")
  Integer xdsPort;

  @Option(names = "--debug-port", paramLabel = "PORT", description = "HTTP port of the debug endpoint (default: server.debugPort, else 19000).")
  Integer debugPort;

  @Option(names = "--debug-address", paramLabel = "ADDRESS", description = "Address the debug endpoint binds (default: server.debugAddress, else 127.0.0.1).")
  String debugAddress;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve xDS over TLS with this certificate chain (PEM; with --tls-key). Re-read every minute.")
  Path tlsCertificate;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert (PKCS#8 PEM).")
  Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "mTLS: require client certificates chaining to these CA certificates (PEM).")
  Path tlsClientCa;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Path file = config.resolve("vicinity.yaml");
    if (!Files.isRegularFile(file)) {
      err.println(file + ": not found; a configuration directory holds vicinity.yaml, clusters/ and policies/");
      return CONFIG_ERROR;
    }
    ConfigReader.Result read = ConfigReader.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    if (read.config().isEmpty()) {
      read.errors().stream().map(ConfigError::toString).forEach(err::println);
      return CONFIG_ERROR;
    }
    ServerOptions options = ServerOptions.fromConfig(config, read.config().get());
    if (xdsAddress != null) {
      options = options.withXdsAddress(xdsAddress);
    }
    if (xdsPort != null) {
      options = options.withXdsPort(xdsPort);
    }
    if (debugPort != null) {
      options = options.withDebugPort(debugPort);
    }
    if (debugAddress != null) {
      options = options.withDebugAddress(debugAddress);
    }
    if ((tlsCertificate == null) != (tlsKey == null) || (tlsClientCa != null && tlsCertificate == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "TLS needs both --tls-cert and --tls-key (and --tls-client-ca only with them)");
    }
    if (tlsCertificate != null) {
      XdsTls tls = XdsTls.serverOnly(tlsCertificate, tlsKey);
      options = options.withTls(tlsClientCa == null ? tls : tls.verifyingClients(tlsClientCa));
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger(); // gRPC logs through java.util.logging
    SLF4JBridgeHandler.install();
    VicinityServer server;
    try {
      server = VicinityServer.start(options);
    } catch (IOException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("cannot start: " + e.getMessage() + (cause != e ? " (" + cause.getMessage() + ")" : "")
          + "; xDS " + options.xdsAddress() + ":" + options.xdsPort() + ", debug " + options.debugAddress() + ":" + options.debugPort());
      return START_FAILED;
    } catch (IllegalArgumentException e) {
      err.println("cannot start: " + e.getMessage());
      return START_FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vicinity-shutdown"));
    server.awaitTermination();
    return 0;
  }
}
