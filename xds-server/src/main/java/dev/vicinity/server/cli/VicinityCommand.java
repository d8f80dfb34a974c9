package dev.vicinity.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vicinity}: a locality-aware Envoy xDS control plane. */
@Command(
    name = "vicinity",
    mixinStandardHelpOptions = true,
    versionProvider = VicinityCommand.Version.class,
    description = "A locality-aware Envoy xDS control plane for multi-cluster locality failover.",
    subcommands = {ServeCommand.class, ValidateCommand.class, ExplainCommand.class, BootstrapCommand.class, CommandLine.HelpCommand.class})
public final class VicinityCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, exposed so tests run exactly what users run. */
  public static CommandLine commandLine() {
    return new CommandLine(new VicinityCommand());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required, e.g. 'vicinity serve --config DIR'");
  }

  /**
   * The project version the build wrote into {@code version.properties}: a resource rather than the jar
   * manifest, because the container image runs the classes unpacked, with no manifest.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream resource = VicinityCommand.class.getResourceAsStream("version.properties")) {
        if (resource != null) {
          properties.load(resource);
        }
      }
      String version = properties.getProperty("version", "");
      return new String[] {"vicinity " + (version.isBlank() || version.startsWith("${") ? "(development build)" : version)};
    }
  }
}
