package dev.vicinity.server.cli;

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

  /** The version from the jar manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = VicinityCommand.class.getPackage().getImplementationVersion();
      return new String[] {"vicinity " + (version == null ? "(development build)" : version)};
    }
  }
}
