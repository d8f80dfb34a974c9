package dev.vicinity.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The policy files under a path: YAML and JSON files in path order. Hidden files and directories are
 * passed over, kubelet's {@code ..}-prefixed ConfigMap directories among them: the visible names of a
 * mounted ConfigMap link into those, so each file is read once, under the name the user knows.
 */
final class PolicyFiles {
  private PolicyFiles() {}

  /** {@code path} itself if it is a file; else the policy files below it (none if it does not exist). */
  static List<Path> under(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(file -> !hidden(path.relativize(file)))
          .filter(file -> {
            String name = file.getFileName().toString();
            return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
