package dev.vicinity.server.cli;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.policy.PolicyReader;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.inventory.files.FileSource;
import dev.vicinity.translator.catalog.Catalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vicinity validate}: check configuration in a CI pipeline, without serving anything. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check configuration; print every error once, as file:line: field: message.",
      "A directory with vicinity.yaml is read as the server reads it: its server",
      "file, cluster files and policies; a Node, Service or EndpointSlice that",
      "Kubernetes would refuse is an error, and so is a policy the server would",
      "mark FAILED (a virtual mesh, VirtualDestination or service that does not",
      "exist...), unless a cluster is live: validate connects to none.",
      "Other directories and files are read as policy documents.",
      "Exit status: 0 when everything is valid, 1 when anything is not."
    })
final class ValidateCommand implements Callable<Integer> {
  static final int INVALID = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Configuration directories, policy directories or policy files.")
  List<Path> paths;

  /** What the checks found: errors (the exit status), warnings and notes (said, not failing), valid policies. */
  private static final class Findings {
    final SortedSet<ConfigError> errors = new TreeSet<>();
    final SortedSet<ConfigError> warnings = new TreeSet<>();
    final SortedSet<String> notes = new TreeSet<>();
    int validPolicies;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Findings findings = new Findings();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        findings.errors.add(new ConfigError(path.toString(), 0, "", "no such file or directory"));
      } else if (Files.isRegularFile(path.resolve("vicinity.yaml"))) {
        configDirectory(path, findings);
      } else {
        for (Path file : PolicyFiles.under(path, findings.errors::add)) {
          PolicyFiles.read(file, file.toString(), findings.errors::add).ifPresent(text -> {
            PolicyReader.Result result = PolicyReader.read(file.toString(), text);
            findings.errors.addAll(result.errors());
            findings.validPolicies += result.policies().size();
          });
        }
      }
    }
    // A sorted set: an error met twice (overlapping paths, a file named twice) is printed once.
    findings.errors.forEach(out::println);
    findings.warnings.forEach(out::println);
    findings.notes.forEach(note -> out.println("note: " + note));
    if (findings.errors.isEmpty()) {
      out.println("valid: " + findings.validPolicies + " policies");
      return 0;
    }
    int count = findings.errors.size();
    out.println(count + (count == 1 ? " error" : " errors") + "; " + findings.validPolicies + " valid policies");
    return INVALID;
  }

  /**
   * As the server reads it: the file source for the world and the policies, then the translator's
   * catalog for each policy's status, the very statuses {@code /debug/policies} shows.
   */
  private static void configDirectory(Path directory, Findings findings) {
    Path file = directory.resolve("vicinity.yaml");
    Optional<String> text = PolicyFiles.read(file, file.toString(), findings.errors::add);
    if (text.isEmpty()) {
      return;
    }
    ConfigReader.Result read = ConfigReader.read(file.toString(), text.get());
    findings.errors.addAll(read.errors());
    if (read.config().isEmpty()) {
      return;
    }
    VicinityConfig config = read.config().get();
    Inputs inputs = FileSource.readOnce(directory, config);
    // FileSource names files relative to the directory; say where they are from here.
    inputs.errors().forEach(e -> findings.errors.add(located(directory, e.source(), e.line(), e.fieldPath(), e.message())));
    int policies = inputs.policies().virtualDestinations().size() + inputs.policies().trafficPolicies().size()
        + inputs.policies().destinationRules().size();
    List<String> live = config.clusters().stream().filter(ClusterConfig::live).map(ClusterConfig::name).toList();
    if (!live.isEmpty()) {
      findings.notes.add(directory + ": references to services were not checked: validate does not connect to the"
          + " live clusters " + String.join(", ", live));
      findings.validPolicies += policies;
      return;
    }
    if (!inputs.world().allSynced()) {
      return; // as the server: no verdict on policies before every cluster has a world (an error says why)
    }
    PolicyLocations locations = PolicyLocations.read(directory);
    for (PolicyStatus status : Catalog.build(inputs.world(), inputs.policies(), config.meshTopology()).statuses()) {
      PolicyLocations.Location at = locations.of(status.kind(), status.ref())
          .orElse(new PolicyLocations.Location(FileSource.POLICIES_DIRECTORY, 0));
      boolean failed = status.state() == PolicyStatus.State.FAILED;
      for (String message : status.errors()) {
        String said = status.kind().kindName() + " " + status.ref() + ": " + message;
        if (failed) {
          findings.errors.add(located(directory, at.source(), at.line(), "", said));
        } else {
          findings.warnings.add(located(directory, at.source(), at.line(), "", "warning: " + said));
        }
      }
      if (!failed) {
        findings.validPolicies++;
      }
    }
  }

  private static ConfigError located(Path directory, String source, int line, String fieldPath, String message) {
    return new ConfigError(directory.resolve(source).toString(), line, fieldPath, message);
  }
}
