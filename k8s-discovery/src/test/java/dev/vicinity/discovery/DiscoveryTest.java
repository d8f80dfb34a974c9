package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.ServerSettings;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
  @TempDir Path temp;

  @Test
  void fileAndLiveClustersMakeOneWorldAndLiveClustersAreLookedAtWithoutEvents() throws Exception {
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    Files.createDirectories(temp.resolve("clusters/files"));
    ClusterConfig live = new ClusterConfig("live", "n1", null, List.of(), "unused-kubeconfig", null, null, null);
    ClusterConfig files = new ClusterConfig("files", "n1", null);
    VicinityConfig config = new VicinityConfig(ServerSettings.DEFAULTS, List.of(live, files), List.of(), List.of());
    AtomicInteger signals = new AtomicInteger();
    try (KubernetesClient client = server.createClient();
        Discovery discovery = new Discovery(temp, config, cluster -> client)) {
      discovery.start(Duration.ofSeconds(60), Duration.ofMillis(100), signals::incrementAndGet);

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
}
