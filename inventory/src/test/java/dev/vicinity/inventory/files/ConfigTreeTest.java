package dev.vicinity.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.yaml.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTreeTest {
  @TempDir Path temp;

  private ConfigTree.Listing list(Path directory) {
    return ConfigTree.list(directory, path -> temp.relativize(path).toString());
  }

  @Test
  void yamlFilesOfSubdirectoriesAreListedInPathOrderAndOthersPassedOver() throws IOException {
    Path policies = Files.createDirectories(temp.resolve("policies"));
    Files.createDirectories(policies.resolve("team-a"));
    Files.writeString(policies.resolve("team-a/b.yaml"), "");
    Files.writeString(policies.resolve("a.yml"), "");
    Files.writeString(policies.resolve("c.json"), "");
    Files.writeString(policies.resolve("README.md"), "");
    Files.writeString(policies.resolve(".editor-swap.yaml"), "");

    assertThat(list(policies).files()).containsExactly(policies.resolve("a.yml"), policies.resolve("c.json"),
        policies.resolve("team-a/b.yaml"));
  }

  @Test
  void kubeletsTimestampedDirectoryAndDataLinkAreReadOnlyThroughTheTopLevelLinks() throws IOException {
    Path policies = Files.createDirectories(temp.resolve("policies"));
    Path timestamped = Files.createDirectories(policies.resolve("..2026_11_30_10_00_00.123"));
    Files.writeString(timestamped.resolve("vd.yaml"), "");
    Files.createSymbolicLink(policies.resolve("..data"), Path.of("..2026_11_30_10_00_00.123"));
    Files.createSymbolicLink(policies.resolve("vd.yaml"), Path.of("..data/vd.yaml"));

    ConfigTree.Listing listing = list(policies);

    assertThat(listing.files()).containsExactly(policies.resolve("vd.yaml"));
    assertThat(listing.errors()).isEmpty();
  }

  @Test
  void aSymbolicLinkLoopIsAnErrorAndTheOtherFilesAreListed() throws IOException {
    Path policies = Files.createDirectories(temp.resolve("policies"));
    Files.writeString(policies.resolve("a.yaml"), "");
    Files.createSymbolicLink(policies.resolve("loop"), Path.of("."));

    ConfigTree.Listing listing = list(policies);

    assertThat(listing.files()).containsExactly(policies.resolve("a.yaml"));
    assertThat(listing.errors()).extracting(ConfigError::toString)
        .containsExactly("policies/loop: cannot be read: a symbolic link loop; what was last read from it keeps serving");
  }

  @Test
  void aBrokenLinkIsListedSoThatReadingItSaysWhatIsWrong() throws IOException {
    Path policies = Files.createDirectories(temp.resolve("policies"));
    Files.createSymbolicLink(policies.resolve("gone.yaml"), Path.of("nowhere.yaml"));

    assertThat(list(policies).files()).containsExactly(policies.resolve("gone.yaml"));
  }

  @Test
  void anUnreadableSubdirectoryHidesItsFilesInsteadOfRemovingThem() throws IOException {
    Path policies = Files.createDirectories(temp.resolve("policies"));
    Path locked = Files.createDirectories(policies.resolve("locked"));
    Files.writeString(locked.resolve("vd.yaml"), "");
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root: permissions do not stop reads");

      ConfigTree.Listing listing = list(policies);

      assertThat(listing.files()).isEmpty();
      assertThat(listing.hides(locked.resolve("vd.yaml"))).isTrue();
      assertThat(listing.errors()).extracting(ConfigError::message).singleElement().asString().contains("permission denied");
    } finally {
      Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }
}
