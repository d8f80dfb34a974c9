package dev.vicinity.server.cli;

import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.YamlLimits;
import dev.vicinity.inventory.files.ConfigFileText;
import dev.vicinity.inventory.files.ConfigTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The policy files under a path, listed and read as the file source lists and reads them: YAML and JSON
 * files in path order, kubelet's ConfigMap layout read once through its visible names, strict UTF-8
 * within the file size limit.
 */
final class PolicyFiles {
  private PolicyFiles() {}

  /** {@code path} itself if it is a file; else the policy files below it (none if it does not exist). */
  static List<Path> under(Path path, Consumer<ConfigError> errors) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      return List.of();
    }
    ConfigTree.Listing listing = ConfigTree.list(path, Path::toString);
    listing.errors().forEach(errors);
    return listing.files();
  }

  /** The file's text, or nothing, after saying why to {@code errors}. */
  static Optional<String> read(Path file, String source, Consumer<ConfigError> errors) {
    ConfigFileText text = ConfigFileText.read(file, source, YamlLimits.DEFAULT);
    text.error().ifPresent(errors);
    return text.text();
  }
}
