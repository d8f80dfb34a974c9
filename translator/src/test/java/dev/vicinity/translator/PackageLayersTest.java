package dev.vicinity.translator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The translator's packages stay layered: locality rules know nothing of Envoy's resources, the resource
 * builders nothing of the catalog, and the shared vocabulary in the root package nothing of any of them
 * (only {@link Translator}, the entry point, puts them together). Read from the import lines of the sources.
 */
class PackageLayersTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/vicinity/translator");
  private static final Pattern SUB_PACKAGE_IMPORT =
      Pattern.compile("^import (?:static )?dev\\.vicinity\\.translator\\.([a-z]+)\\.", Pattern.MULTILINE);

  /** What each package may import of the others. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "locality", Set.of(),
      "envoy", Set.of("locality"),
      "catalog", Set.of("envoy", "locality"),
      "acceptance", Set.of("envoy", "locality"),
      "explain", Set.of("catalog", "envoy", "locality"));

  @Test
  void eachSubPackageImportsOnlyTheLayersBelowIt() throws IOException {
    for (Map.Entry<String, Set<String>> layer : ALLOWED.entrySet()) {
      assertThat(importedSubPackages(SOURCES.resolve(layer.getKey()), layer.getKey()))
          .as("what %s imports", layer.getKey())
          .isSubsetOf(layer.getValue());
    }
  }

  @Test
  void theRootPackagesVocabularyImportsNoSubPackageOnlyTheEntryPointDoes() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      List<Path> vocabulary = files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !file.getFileName().toString().equals("Translator.java")).toList();
      assertThat(vocabulary).isNotEmpty();
      for (Path file : vocabulary) {
        assertThat(subPackagesImportedBy(file)).as("what %s imports", file.getFileName()).isEmpty();
      }
    }
  }

  @Test
  void everySubPackageHasItsLayer() throws IOException {
    try (Stream<Path> entries = Files.list(SOURCES)) {
      assertThat(entries.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    }
  }

  private static Set<String> importedSubPackages(Path directory, String own) throws IOException {
    Set<String> imported = new TreeSet<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        imported.addAll(subPackagesImportedBy(file));
      }
    }
    imported.remove(own);
    return imported;
  }

  private static Set<String> subPackagesImportedBy(Path file) throws IOException {
    Set<String> imported = new TreeSet<>();
    Matcher matcher = SUB_PACKAGE_IMPORT.matcher(Files.readString(file));
    while (matcher.find()) {
      imported.add(matcher.group(1));
    }
    return imported;
  }
}
