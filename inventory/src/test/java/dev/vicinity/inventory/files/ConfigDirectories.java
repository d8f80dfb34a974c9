package dev.vicinity.inventory.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Configuration directories for tests: the bundled examples, and copies of them for a test to edit. Here
 * and, through this module's test jar, in the server's tests.
 */
public final class ConfigDirectories {
  private ConfigDirectories() {}

  /** The bundled example, {@code examples/bookinfo}. */
  public static Path bookinfoExample() {
    return Path.of(System.getProperty("vicinity.examples", "../examples")).resolve("bookinfo");
  }

  /** Copies the configuration directory {@code source} to {@code target}, for a test to edit. */
  public static Path copy(Path source, Path target) throws IOException {
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

  /**
   * Writes {@code text} as {@code file} the way kubectl and ConfigMap tooling do: to a hidden file beside it,
   * then renamed into place (atomic).
   */
  public static void renameIntoPlace(Path file, String text) throws IOException {
    Path staged = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(staged, text);
    Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
