package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.ServerSettings;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing discovery stops every thread it started: informers, their HTTP clients, status writers, checks. */
class DiscoveryThreadsTest {
  @TempDir Path temp;
  private KubernetesMockServer server;

  @BeforeEach
  void startServer() {
    server = MockApiServers.started();
  }

  @AfterEach
  void stopServer() {
    server.destroy();
  }

  @Test
  void closingALiveClusterWithPolicyResourcesLeavesNoThreadBehind() throws Exception {
    Files.createDirectories(temp.resolve("policies"));
    // No policy CRDs are installed, so the policy informers are retrying when discovery closes.
    ClusterConfig live = new ClusterConfig("live", "n1", null, List.of(), "unused-kubeconfig", null, null, null, true);
    VicinityConfig config = new VicinityConfig(ServerSettings.DEFAULTS, List.of(live), List.of(), List.of());
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

    Discovery discovery = new Discovery(temp, config, cluster -> server.createClient());
    discovery.start(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {});
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(discovery.current().world().cluster(ClusterId.of("live")).orElseThrow().syncState()).isEqualTo(SyncState.SYNCED));
    discovery.writeStatuses(List.of(new PolicyStatus(PolicyKind.VIRTUAL_DESTINATION, new ObjectRef("vd", "gloo-mesh"), 1,
        PolicyStatus.State.ACCEPTED, List.of(), List.of(), List.of())));
    assertThat(startedSince(before)).isNotEmpty();

    discovery.close();

    await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> assertThat(startedSince(before)).isEmpty());
  }

  /**
   * Threads started since {@code before}, but for two that end by themselves and are not ours to stop:
   * fabric8's one process-wide scheduler thread (shared by every client, so it cannot grow with
   * clusters; it ends once idle) and the JDK HTTP client's selector thread (Java 17's client has no
   * close; it ends once collected). A closed watch keeps both for at most fabric8's websocket close
   * timeouts (one and two minutes) when the server does not answer the close.
   */
  private static List<String> startedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread) && thread.isAlive())
        .filter(thread -> !thread.getName().startsWith("CachedSingleThreadScheduler-"))
        .filter(thread -> !(thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager")))
        .map(Thread::getName)
        .sorted()
        .toList();
  }
}
