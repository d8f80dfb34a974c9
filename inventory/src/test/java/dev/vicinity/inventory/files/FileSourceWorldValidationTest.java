package dev.vicinity.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.yaml.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** World objects that Kubernetes would refuse, read through the file source as the server reads them. */
class FileSourceWorldValidationTest {
  private static final String REVIEWS = "clusters/mgmt-cluster/reviews.yaml";

  @TempDir Path temp;

  private static FileSource source(Path root) throws IOException {
    Path file = root.resolve("vicinity.yaml");
    VicinityConfig config = ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
    return new FileSource(root, config);
  }

  private static String hostile(String yaml) {
    return yaml.replace("- 127.0.0.11", "- not-an-ip").replace("- 127.0.0.12", "- 999.1.1.1")
        .replace("  port: 9080", "  port: -5");
  }

  @Test
  void aSliceEditedIntoOneKubernetesWouldRefuseIsReportedAtItsLinesAndItsLastGoodVersionKeepsServing()
      throws IOException {
    Path root = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    try (FileSource source = source(root)) {
      assertThat(source.load().errors()).isEmpty();
      Path file = root.resolve(REVIEWS);
      Files.writeString(file, hostile(Files.readString(file)));

      Inputs inputs = source.load();

      assertThat(inputs.errors()).extracting(ConfigError::toString).anySatisfy(error -> assertThat(error).isEqualTo(
          REVIEWS + ":37: items[1].endpoints[0].addresses[0]: 'not-an-ip' is not a valid IPv4 address"
              + " (addressType IPv4): expected four numbers 0-255 without leading zeros, such as 10.0.0.1"));
      assertThat(inputs.errors()).extracting(ConfigError::toString).contains(
          REVIEWS + ":24: items[0].spec.ports[0].port: -5 is not a port number: expected 1-65535",
          REVIEWS + ":83: items[1].ports[0].port: -5 is not a port number: expected 1-65535");
      assertThat(inputs.world().endpoints().filter(e -> e.cluster().value().equals("mgmt-cluster")).map(Endpoint::address))
          .as("the last good version of the slice").containsExactlyInAnyOrder("127.0.0.11", "127.0.0.12");
      assertThat(inputs.world().services()).anySatisfy(s -> assertThat(s.ports()).singleElement()
          .satisfies(p -> assertThat(p.port()).isEqualTo(9080)));
      assertThat(inputs.world().endpoints()).allSatisfy(e -> assertThat(e.port()).isEqualTo(9080));
    }
  }

  @Test
  void aSliceKubernetesWouldRefuseFromTheStartIsLeftOut() throws IOException {
    Path root = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    Path file = root.resolve(REVIEWS);
    Files.writeString(file, hostile(Files.readString(file)));
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.errors()).hasSize(4).allSatisfy(e -> assertThat(e.source()).isEqualTo(REVIEWS));
      assertThat(inputs.world().endpoints().map(e -> e.cluster().value() + " " + e.address() + ":" + e.port()))
          .containsExactly("remote-cluster 127.0.0.13:9080");
    }
  }
}
