package dev.vicinity.inventory.files;

import dev.vicinity.api.yaml.ConfigError;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Lists the YAML files of a configuration directory as kubelet presents a ConfigMap or Secret volume:
 * symbolic links are followed (the top-level {@code name.yaml -> ..data/name.yaml} links and {@code ..data}
 * itself), entries whose names start with a dot ({@code ..data}, {@code ..2026_11_30_10_00_00.123}, editor
 * and hidden files) are passed over, so every document is read once, through its top-level name.
 */
public final class ConfigTree {
  private ConfigTree() {}

  /**
   * The files of one directory, in path order, and what could not be looked at: the files below an
   * unreadable directory are unknown, not gone. {@code directories} are the ones walked (the listed
   * directory and every directory below it that is read): where a file change can happen.
   */
  public record Listing(List<Path> files, Set<Path> directories, Set<Path> unreadable, List<ConfigError> errors) {
    public Listing {
      files = List.copyOf(files);
      directories = Set.copyOf(directories);
      unreadable = Set.copyOf(unreadable);
      errors = List.copyOf(errors);
    }

    /** True if {@code file} may still exist, but below a directory that could not be listed. */
    boolean hides(Path file) {
      return unreadable.stream().anyMatch(file::startsWith);
    }
  }

  static boolean isYaml(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  /** Lists {@code directory}, which exists; {@code display} names paths in errors. */
  public static Listing list(Path directory, Function<Path, String> display) {
    return list(directory, display, (file, attributes) -> {});
  }

  /**
   * As {@link #list(Path, Function)}, handing each listed file's attributes (of what a link points at) to
   * {@code listed} as the walk reads them, so that a caller needs no second look at each file.
   */
  static Listing list(Path directory, Function<Path, String> display, BiConsumer<Path, BasicFileAttributes> listed) {
    TreeSet<Path> files = new TreeSet<>();
    Set<Path> directories = new TreeSet<>();
    Set<Path> unreadable = new TreeSet<>();
    List<ConfigError> errors = new ArrayList<>();
    try {
      Files.walkFileTree(directory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              if (!dir.equals(directory) && hidden(dir)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              directories.add(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              String name = file.getFileName().toString();
              if (name.startsWith(".") || !isYaml(name)) {
                return FileVisitResult.CONTINUE;
              }
              if (attributes.isRegularFile() || attributes.isSymbolicLink()) {
                files.add(file); // a dangling link is listed: reading it says what is wrong
                listed.accept(file, attributes);
              } else {
                errors.add(new ConfigError(display.apply(file), 0, "", "not a regular file; it is not read"));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (!hidden(file)) {
                unreadable.add(file);
                errors.add(new ConfigError(display.apply(file), 0, "", "cannot be read: " + reason(e)
                    + "; what was last read from it keeps serving"));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              if (e != null) {
                unreadable.add(dir);
                errors.add(new ConfigError(display.apply(dir), 0, "", "cannot be listed completely: " + reason(e)
                    + "; what was last read from it keeps serving"));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      unreadable.add(directory);
      errors.add(new ConfigError(display.apply(directory), 0, "", "cannot be listed: " + reason(e)));
    }
    return new Listing(new ArrayList<>(files), directories, unreadable, errors);
  }

  /** An I/O failure in the words of a file system user, without Java class names. */
  static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "it does not exist (a broken symbolic link?)";
    }
    if (e instanceof FileSystemLoopException) {
      return "a symbolic link loop";
    }
    if (e instanceof java.nio.file.FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return e.getMessage() == null ? "an I/O error" : e.getMessage();
  }

  private static boolean hidden(Path path) {
    return path.getFileName() != null && path.getFileName().toString().startsWith(".");
  }
}
