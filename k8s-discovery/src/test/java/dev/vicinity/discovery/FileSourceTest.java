package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.yaml.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
  @TempDir Path temp;

  private Path copyExample() throws IOException {
    return ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
  }

  private static FileSource source(Path root) throws IOException {
    Path file = root.resolve("vicinity.yaml");
    VicinityConfig config = ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
    return new FileSource(root, config);
  }

  @Test
  void theBundledExampleLoadsWithoutErrors() throws IOException {
    try (FileSource source = source(copyExample())) {
      Inputs inputs = source.load();

      assertThat(inputs.errors()).isEmpty();
      assertThat(inputs.world().allSynced()).isTrue();
      assertThat(inputs.world().endpoints().map(e -> e.cluster() + " " + e.address() + " " + e.locality() + " " + e.portName() + ":" + e.port()))
          .containsExactlyInAnyOrder(
              "mgmt-cluster 127.0.0.11 us-east-1/us-east-1a http:9080",
              "mgmt-cluster 127.0.0.12 us-east-1/us-east-1a http:9080",
              "remote-cluster 127.0.0.13 us-east-2/us-east-2b http:9080");
      assertThat(inputs.policies().virtualDestinations()).extracting(v -> v.ref().toString()).containsExactly("gloo-mesh/bookinfo-global");
      assertThat(inputs.policies().trafficPolicies()).extracting(t -> t.ref().toString()).containsExactly("bookinfo/reviews-shift-failover");
    }
  }

  @Test
  void anEditedEndpointSliceIsDeliveredByTheWatch() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      source.load();
      AtomicReference<Inputs> delivered = new AtomicReference<>();
      source.watch(Duration.ofMillis(50), delivered::set);

      Path slices = root.resolve("clusters/mgmt-cluster/reviews.yaml");
      Files.writeString(slices, Files.readString(slices).replaceFirst("ready: true", "ready: false"));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(delivered.get()).isNotNull());
      Endpoint v1 = delivered.get().world().endpoints().filter(e -> e.address().equals("127.0.0.11")).findFirst().orElseThrow();
      assertThat(v1.conditions().ready()).isFalse();
    }
  }

  @Test
  void aClusterWithoutItsDirectoryStaysPendingWithAnError() throws IOException {
    Path root = copyExample();
    try (Stream<Path> files = Files.walk(root.resolve("clusters/remote-cluster"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.world().cluster(ClusterId.of("remote-cluster")).orElseThrow().syncState()).isEqualTo(SyncState.PENDING);
      assertThat(inputs.world().allSynced()).isFalse();
      assertThat(inputs.errors()).extracting(ConfigError::message).singleElement().asString()
          .startsWith("cluster 'remote-cluster' has no directory");
    }
  }

  @Test
  void aPolicyBrokenByAnEditKeepsItsLastGoodVersionServing() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      assertThat(source.load().policies().virtualDestinations()).hasSize(1);
      Path file = root.resolve("policies/bookinfo-global.yaml");
      Files.writeString(file, Files.readString(file).replace("hostname:", "hostnme:"));

      Inputs inputs = source.load();

      assertThat(inputs.errors()).extracting(ConfigError::toString).singleElement().asString()
          .startsWith("policies/bookinfo-global.yaml:7: spec.hostnme: unknown field 'hostnme'");
      assertThat(inputs.policies().virtualDestinations()).extracting(v -> v.spec().hostname()).containsExactly("reviews.global");
    }
  }

  @Test
  void aPolicyDefinedTwiceIsReportedAndTheFirstKept() throws IOException {
    Path root = copyExample();
    Files.copy(root.resolve("policies/bookinfo-global.yaml"), root.resolve("policies/copy.yaml"));
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.policies().virtualDestinations()).hasSize(1);
      assertThat(inputs.errors()).extracting(ConfigError::toString).containsExactly(
          "policies/copy.yaml: metadata.name: VirtualDestination gloo-mesh/bookinfo-global is defined more than once;"
              + " the one in policies/bookinfo-global.yaml is used");
    }
  }

  @Test
  void nodeLabelsDecideTheLocalityOfFileEndpoints() throws IOException {
    Path root = copyExample();
    Path nodes = root.resolve("clusters/remote-cluster/nodes.yaml");
    Files.writeString(nodes, Files.readString(nodes).replace("us-east-2b", "us-east-2c"));
    try (FileSource source = source(root)) {
      assertThat(source.load().world().endpoints().filter(e -> e.address().equals("127.0.0.13")).findFirst().orElseThrow().locality())
          .isEqualTo(Locality.of("us-east-2", "us-east-2c"));
    }
  }
}
