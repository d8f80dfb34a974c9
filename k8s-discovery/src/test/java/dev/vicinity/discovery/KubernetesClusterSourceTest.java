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
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    server = MockApiServers.started();
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
    source = new KubernetesClusterSource(CLUSTER, client, Duration.ofMinutes(1), Clock.systemUTC());
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
  void aLookWithoutAnEventGivesTheSameWorldInstanceAndAnEventANewOne() {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(onlyEndpoint().conditions().ready()).isTrue());
    // Events of the first list may still be on their way: the same instance once they are in.
    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current()).isSameAs(source.current()));
    ClusterWorld before = source.current();

    client.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(slice(false)).update();

    await().atMost(WITHIN).untilAsserted(() -> assertThat(onlyEndpoint().conditions().ready()).isFalse());
    ClusterWorld after = source.current();
    assertThat(after).isNotSameAs(before);
    assertThat(source.current()).isSameAs(after);
  }

  @Test
  void aNodeUpdateThatLeavesItsLocalityKeepsTheWorldInstance() {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(onlyEndpoint().locality().zone()).isEqualTo("us-east-1a"));
    AtomicInteger beats = new AtomicInteger();

    // The mock server hands each new watch the objects listed already, and the informer swaps them in without an
    // event (same resourceVersion): the look after that maps them as new objects. Once every watch has started,
    // a node update that leaves its locality keeps the world.
    await().atMost(WITHIN).untilAsserted(() -> {
      ClusterWorld before = source.current();
      heartbeat(Integer.toString(beats.incrementAndGet()));
      assertThat(source.current()).isSameAs(before);
    });
  }

  /** Updates node n1 as its kubelet does, locality untouched, and waits until the source has been told. */
  private void heartbeat(String beat) {
    int signalsBefore = signals.get();
    client.nodes().withName("n1").edit(n -> new NodeBuilder(n).editMetadata().addToAnnotations("heartbeat", beat).endMetadata().build());
    await().atMost(WITHIN).until(() -> signals.get() > signalsBefore);
  }

  @Test
  void aDeletedSliceTakesItsEndpointsAway() {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().endpoints()).hasSize(1));

    client.discovery().v1().endpointSlices().inNamespace("bookinfo").withName("reviews-abc").delete();

    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().endpoints()).isEmpty());
  }

  @Test
  void objectsTheApiServerWouldRefuseAreLeftOutWhileTheValidOnesServe() {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().endpoints()).hasSize(1));

    // The mock server, unlike a real one, validates nothing: it stands for any path that lets such objects in.
    client.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(new EndpointSliceBuilder(slice(true))
        .editMetadata().withName("reviews-hostile").endMetadata()
        .withEndpoints(new EndpointBuilder().withAddresses("not-an-ip", "999.1.1.1").build())
        .withPorts(new EndpointPortBuilder().withName("http").withPort(-5).build())
        .build()).create();
    client.services().inNamespace("bookinfo").resource(service("ratings", -80)).create();
    // Valid objects created after the hostile ones: once the informers show these, they have seen those.
    client.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(new EndpointSliceBuilder(slice(true))
        .editMetadata().withName("reviews-later").endMetadata()
        .withEndpoints(new EndpointBuilder().withAddresses("10.0.0.2").build())
        .build()).create();
    client.services().inNamespace("bookinfo").resource(service("details", 9080)).create();

    await().atMost(WITHIN).untilAsserted(() -> {
      ClusterWorld world = source.current();
      assertThat(world.services()).extracting(s -> s.key().toString())
          .containsExactlyInAnyOrder("bookinfo/reviews", "bookinfo/details");
      assertThat(world.endpoints()).extracting(e -> e.address() + ":" + e.port())
          .containsExactlyInAnyOrder("10.0.0.1:9080", "10.0.0.2:9080");
    });
  }

  private static io.fabric8.kubernetes.api.model.Service service(String name, int port) {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace("bookinfo").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(port).endPort().endSpec().build();
  }

  @Test
  void watchedNamespacesLimitWhatIsSeen() {
    client.services().inNamespace("other").resource(new ServiceBuilder()
        .withNewMetadata().withName("ratings").withNamespace("other").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(9080).endPort().endSpec().build()).create();
    ClusterConfig onlyBookinfo = new ClusterConfig("mgmt-cluster", "network1", null, List.of(), null, null, null, List.of("bookinfo"));
    startSource();
    source.close();
    source = new KubernetesClusterSource(onlyBookinfo, server.createClient(), Duration.ofMinutes(1), Clock.systemUTC());
    source.start(signals::incrementAndGet);

    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().syncState()).isEqualTo(SyncState.SYNCED));
    assertThat(source.current().services()).extracting(s -> s.key().toString()).containsExactly("bookinfo/reviews");
  }

  @Test
  void anApiServerOutageKeepsTheLastKnownEndpointsAsStaleAndResyncsWhenItReturns() throws Exception {
    startSource();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(source.current().syncState()).isEqualTo(SyncState.SYNCED));
    int port = server.getPort();

    server.destroy();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(source.current().syncState()).isEqualTo(SyncState.STALE));
    assertThat(source.current().endpoints()).extracting(Endpoint::address).containsExactly("10.0.0.1");

    server = MockApiServers.startedOn(port);
    try (KubernetesClient again = server.createClient()) {
      again.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1")
          .withLabels(Map.of("topology.kubernetes.io/region", "us-east-1", "topology.kubernetes.io/zone", "us-east-1b")).endMetadata().build())
          .create();
      again.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(slice(false)).create();
    }

    // fabric8 reconnects its watches with a bounded backoff; what changed meanwhile arrives again.
    // (The mock server does not answer a stale resourceVersion with 410 Gone as a real one does, so
    // this shows the watches coming back, not the re-list a real API server would force.)
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      ClusterWorld world = source.current();
      assertThat(world.syncState()).isEqualTo(SyncState.SYNCED);
      assertThat(world.endpoints()).singleElement().satisfies(e -> {
        assertThat(e.locality()).isEqualTo(Locality.of("us-east-1", "us-east-1b"));
        assertThat(e.conditions().ready()).isFalse();
      });
    });
  }

  @Test
  void aClusterThatNeverSyncsIsMarkedFailedAfterTheTimeout() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    MovableClock clock = new MovableClock();
    KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + closedPort).build()).build();
    source = new KubernetesClusterSource(CLUSTER, unreachable, Duration.ofSeconds(30), clock);
    source.start(signals::incrementAndGet);

    assertThat(source.current().syncState()).isEqualTo(SyncState.PENDING);
    clock.now = clock.now.plusSeconds(31);
    assertThat(source.current().syncState()).isEqualTo(SyncState.FAILED);
    assertThat(source.current().endpoints()).isEmpty();
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-22T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
