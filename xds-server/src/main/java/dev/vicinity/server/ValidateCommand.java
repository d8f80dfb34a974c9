package dev.vicinity.server;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.policy.PolicyReader;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.discovery.FileSource;
import dev.vicinity.discovery.Inputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vicinity validate}: check configuration in a CI pipeline, without serving anything. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check policies and configuration; print every error as file:line: field: message.",
      "A directory with vicinity.yaml is checked whole (server file, cluster files, policies);",
      "any other directory or file is read as policy documents.",
      "Exit status: 0 when everything is valid, 1 when anything is not."
    })
final class ValidateCommand implements Callable<Integer> {
  static final int INVALID = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Configuration directories, policy directories or policy files.")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<ConfigError> errors = new ArrayList<>();
    int documents = 0;
    for (Path path : paths) {
      if (!Files.exists(path)) {
        errors.add(new ConfigError(path.toString(), 0, "", "no such file or directory"));
      } else if (Files.isRegularFile(path.resolve("vicinity.yaml"))) {
        documents += configDirectory(path, errors);
      } else {
        for (Path file : yamlFiles(path)) {
          PolicyReader.Result result = PolicyReader.read(file.toString(), read(file));
          errors.addAll(result.errors());
          documents += result.policies().size();
        }
      }
    }
    errors.stream().sorted().forEach(out::println);
    if (errors.isEmpty()) {
      out.println("valid: " + documents + " policies");
      return 0;
    }
    out.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + "; " + documents + " valid policies");
    return INVALID;
  }

  private static int configDirectory(Path directory, List<ConfigError> errors) {
    Path file = directory.resolve("vicinity.yaml");
    ConfigReader.Result config = ConfigReader.read(file.toString(), read(file));
    errors.addAll(config.errors());
    if (config.config().isEmpty()) {
      return 0;
    }
    try (FileSource source = new FileSource(directory, config.config().get())) {
      Inputs inputs = source.load();
      // FileSource names files relative to the directory; say where they are from here.
      inputs.errors().forEach(e -> errors.add(
          new ConfigError(directory.resolve(e.source()).toString(), e.line(), e.fieldPath(), e.message())));
      return inputs.policies().virtualDestinations().size() + inputs.policies().trafficPolicies().size()
          + inputs.policies().destinationRules().size();
    }
  }

  private static List<Path> yamlFiles(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
