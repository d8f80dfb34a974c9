package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Informers against fabric8's Kubernetes mock server in CRUD mode: a real API, no hand-written fake. */
class KubernetesClusterSourceTest {
  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static final ClusterConfig CLUSTER = new ClusterConfig("mgmt-cluster", "network1", null);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private KubernetesClusterSource source;
  private final AtomicInteger signals = new AtomicInteger();

  @BeforeEach
  void startServer() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    client.close();
    server.destroy();
  }

  private void node(String name, String region, String zone) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("topology.kubernetes.io/region", region, "topology.kubernetes.io/zone", zone)).endMetadata().build())
        .createOr(existing -> existing.update());
  }

  private EndpointSlice slice(boolean ready) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withName("reviews-abc").withNamespace("bookinfo")
        .withLabels(Map.of("kubernetes.io/service-name", "reviews")).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(9080).endPort()
        .addNewEndpoint().withAddresses("10.0.0.1").withNodeName("n1").withNewConditions().withReady(ready).endConditions().endEndpoint()
        .build();
  }

  private void startSource() {
    client.services().inNamespace("bookinfo").resource(new ServiceBuilder()
        .withNewMetadata().withName("reviews").withNamespace("bookinfo").withLabels(Map.of("app", "reviews")).endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(9080).endPort().endSpec().build()).create();
    node("n1", "us-east-1", "us-east-1a");
    client.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(slice(true)).create();
    source = new KubernetesClusterSource(CLUSTER, client);
    source.start(signals::incrementAndGet);
  }

  private Endpoint onlyEndpoint() {
    ClusterWorld world = source.current();
    assertThat(world.endpoints()).hasSize(1);
    return world.endpoints().get(0);
  }

  @Test
  void syncsServicesSlicesAndNodesIntoTheClustersWorld() {
    startSource();

    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().syncState()).isEqualTo(SyncState.SYNCED));
    ClusterWorld world = source.current();
    assertThat(world.services()).extracting(s -> s.key().toString()).containsExactly("bookinfo/reviews");
    assertThat(world.endpoints()).singleElement().satisfies(e -> {
      assertThat(e.address()).isEqualTo("10.0.0.1");
      assertThat(e.locality()).isEqualTo(Locality.of("us-east-1", "us-east-1a"));
      assertThat(e.network()).isEqualTo("network1");
    });
    assertThat(signals.get()).isPositive();
  }

  @Test
  void endpointConditionChangesAreSeen() {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(onlyEndpoint().conditions().ready()).isTrue());

    client.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(slice(false)).update();

    await().atMost(WITHIN).untilAsserted(() -> assertThat(onlyEndpoint().conditions().ready()).isFalse());
  }

  @Test
  void relabellingANodeMovesItsEndpoints() {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(onlyEndpoint().locality().zone()).isEqualTo("us-east-1a"));
    int before = signals.get();

    node("n1", "us-east-2", "us-east-2b");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(onlyEndpoint().locality()).isEqualTo(Locality.of("us-east-2", "us-east-2b")));
    assertThat(signals.get()).isGreaterThan(before);
  }

  @Test
  void aDeletedSliceTakesItsEndpointsAway() {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().endpoints()).hasSize(1));

    client.discovery().v1().endpointSlices().inNamespace("bookinfo").withName("reviews-abc").delete();

    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().endpoints()).isEmpty());
  }

  @Test
  void watchedNamespacesLimitWhatIsSeen() {
    client.services().inNamespace("other").resource(new ServiceBuilder()
        .withNewMetadata().withName("ratings").withNamespace("other").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(9080).endPort().endSpec().build()).create();
    ClusterConfig onlyBookinfo = new ClusterConfig("mgmt-cluster", "network1", null, List.of(), null, null, null, List.of("bookinfo"));
    startSource();
    source.close();
    source = new KubernetesClusterSource(onlyBookinfo, server.createClient());
    source.start(signals::incrementAndGet);

    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().syncState()).isEqualTo(SyncState.SYNCED));
    assertThat(source.current().services()).extracting(s -> s.key().toString()).containsExactly("bookinfo/reviews");
  }
}
