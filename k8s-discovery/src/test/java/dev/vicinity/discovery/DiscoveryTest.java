package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.ServerSettings;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.policy.ObjectRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
  @TempDir Path temp;

  @Test
  void fileAndLiveClustersMakeOneWorldAndLiveClustersAreLookedAtWithoutEvents() throws Exception {
    KubernetesMockServer server = MockApiServers.started();
    Files.createDirectories(temp.resolve("clusters/files"));
    ClusterConfig live = new ClusterConfig("live", "n1", null, List.of(), "unused-kubeconfig", null, null, null);
    ClusterConfig files = new ClusterConfig("files", "n1", null);
    VicinityConfig config = new VicinityConfig(ServerSettings.DEFAULTS, List.of(live, files), List.of(), List.of());
    AtomicInteger signals = new AtomicInteger();
    try (KubernetesClient client = server.createClient();
        Discovery discovery = new Discovery(temp, config, cluster -> client)) {
      discovery.start(Duration.ofSeconds(60), Duration.ofMillis(100), signals::incrementAndGet);
      assertThat(discovery.leadership()).as("no policy source: no status to write, nobody elected").isEmpty();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(discovery.current().world().cluster(ClusterId.of("live")).orElseThrow().syncState()).isEqualTo(SyncState.SYNCED));
      assertThat(discovery.current().world().clusters()).containsOnlyKeys(ClusterId.of("live"), ClusterId.of("files"));
      int settled = signals.get();
      // Nothing changes in the API server, yet the reconciler keeps being asked to look.
      await().atMost(Duration.ofSeconds(10)).until(() -> signals.get() >= settled + 3);
    } finally {
      server.destroy();
    }
  }

  @Test
  void policiesComeFromFilesAndResourcesAndAFileWinsOverAResourceOfTheSameName() throws Exception {
    KubernetesMockServer server = MockApiServers.started();
    Path examplePolicies = Path.of("..", "examples", "bookinfo", "policies");
    Files.createDirectories(temp.resolve("policies"));
    Files.copy(examplePolicies.resolve("bookinfo-global.yaml"), temp.resolve("policies/bookinfo-global.yaml"));
    ClusterConfig live = new ClusterConfig("live", "n1", null, List.of(), "unused-kubeconfig", null, null, null, true);
    VicinityConfig config = new VicinityConfig(ServerSettings.DEFAULTS, List.of(live), List.of(), List.of());
    try (KubernetesClient client = server.createClient()) {
      try (Stream<Path> crds = Files.list(Path.of("..", "deploy", "crds"))) {
        for (Path crd : crds.toList()) {
          client.resource(Files.readString(crd)).create();
        }
      }
      // The same VirtualDestination as a resource, with another hostname, and the TrafficPolicy only as a resource.
      client.resource(Files.readString(examplePolicies.resolve("bookinfo-global.yaml")).replace("reviews.global", "from-resource.global"))
          .create();
      client.resource(Files.readString(examplePolicies.resolve("reviews-shift-failover.yaml"))).create();

      try (Discovery discovery = new Discovery(temp, config, cluster -> client)) {
        discovery.start(Duration.ofSeconds(60), Duration.ofSeconds(60), () -> {});
        assertThat(discovery.leadership()).as("the policy source holds the Lease").hasValueSatisfying(
            leadership -> assertThat(leadership.state().cluster()).isEqualTo("live"));

        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.current().policies().trafficPolicies().size() == 1);
        Inputs inputs = discovery.current();
        assertThat(inputs.policies().virtualDestinations()).singleElement()
            .satisfies(vd -> assertThat(vd.spec().hostname()).isEqualTo("reviews.global"));
        assertThat(inputs.policies().trafficPolicies().get(0).ref()).isEqualTo(new ObjectRef("reviews-shift-failover", "bookinfo"));
        assertThat(inputs.errors()).isEmpty();
      }
    } finally {
      server.destroy();
    }
  }
}
