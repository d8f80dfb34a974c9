package dev.vicinity.server.reconcile;

import dev.vicinity.api.world.Inputs;
import dev.vicinity.inventory.files.ConfigDirectories;
import dev.vicinity.server.AdsTestClient;
import dev.vicinity.server.ServerOptions;
import dev.vicinity.server.TestServerOptions;
import dev.vicinity.server.xds.ClientProfiles;
import dev.vicinity.server.xds.Proxies;
import dev.vicinity.server.xds.SharedResources;
import dev.vicinity.server.xds.SnapshotStore;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ServerSettings;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.World;
import dev.vicinity.discovery.Discovery;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.TranslationOptions;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.catalog.Catalog;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler on the bundled example plus a ratings service, driven by inputs the test sets. */
class ReconcilerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ClusterId MGMT = ClusterId.of("mgmt-cluster");
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";
  private static final String RATINGS_CLUSTER = "outbound|9080||ratings.bookinfo.svc.cluster.local";
  private static final Node EAST = AdsTestClient.grpcNode("productpage-1", "mgmt-cluster", "us-east-1", "us-east-1a");
  private static final ClientProfile GROUP = ClientProfiles.of(EAST);

  private final AtomicReference<Inputs> inputs = new AtomicReference<>();
  private final SnapshotStore cache = new SnapshotStore();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private VicinityConfig config;
  private Reconciler reconciler;

  @BeforeEach
  void start() throws Exception {
    ServerOptions options = TestServerOptions.onFreePorts(ConfigDirectories.bookinfoExample());
    config = options.config();
    try (Discovery discovery = new Discovery(options.configDirectory(), config, cluster -> {
      throw new AssertionError("the example has no live clusters");
    })) {
      inputs.set(withRatings(discovery.current()));
    }
    reconciler = startReconciler(Duration.ofMillis(1));
  }

  private Proxies proxies;

  private Reconciler startReconciler(Duration coalesceWindow) {
    proxies = new Proxies(registry, ServerSettings.DEFAULT_MAX_NODE_GROUPS);
    connect(EAST);
    Reconciler started = new Reconciler(cache, coalesceWindow, config.meshTopology(), TranslationOptions.DEFAULTS,
        inputs::get, statuses -> {}, proxies, registry);
    started.onClient(GROUP);
    return started;
  }

  /** A proxy of {@code node}'s group is connected, as a stream would join. */
  private void connect(Node node) {
    Proxies.Stream stream = proxies.open(new Proxies.Tracked() {
      @Override
      public List<Proxies.TypeView> types() {
        return List.of();
      }

      @Override
      public boolean subscribes(XdsType type) {
        return false;
      }

      @Override
      public String ackedVersion(XdsType type) {
        return "";
      }
    });
    proxies.join(stream, node);
  }

  @AfterEach
  void stop() {
    reconciler.close();
  }

  /** The example's world with a ratings service in mgmt-cluster, which no reviews change touches. */
  private static Inputs withRatings(Inputs example) {
    ServiceKey ratings = new ServiceKey("bookinfo", "ratings");
    ClusterWorld mgmt = example.world().cluster(MGMT).orElseThrow();
    List<DiscoveredService> services = new ArrayList<>(mgmt.services());
    services.add(new DiscoveredService(MGMT, ratings, Map.of("app", "ratings"), List.of(new ServicePort("http", 9080, "TCP", ""))));
    List<Endpoint> endpoints = new ArrayList<>(mgmt.endpoints());
    endpoints.add(new Endpoint(MGMT, ratings, "10.0.9.1", "http", 9080, mgmt.endpoints().get(0).locality(), "node-9",
        EndpointConditions.READY, mgmt.network()));
    return withWorld(example, example.world().with(new ClusterWorld(MGMT, mgmt.network(), mgmt.syncState(), services, endpoints)));
  }

  private static Inputs withWorld(Inputs inputs, World world) {
    return new Inputs(world, inputs.policies(), inputs.errors());
  }

  /** The first ready reviews endpoint of mgmt-cluster not ready any more. */
  private static Inputs withFirstReviewsEndpointNotReady(Inputs before) {
    ClusterWorld mgmt = before.world().cluster(MGMT).orElseThrow();
    List<Endpoint> endpoints = new ArrayList<>();
    boolean flipped = false;
    for (Endpoint e : mgmt.endpoints()) {
      if (!flipped && e.service().name().equals("reviews") && e.conditions().ready()) {
        endpoints.add(new Endpoint(e.cluster(), e.service(), e.address(), e.portName(), e.port(), e.locality(), e.nodeName(),
            EndpointConditions.NOT_READY, e.network()));
        flipped = true;
      } else {
        endpoints.add(e);
      }
    }
    return withWorld(before, before.world().with(new ClusterWorld(MGMT, mgmt.network(), mgmt.syncState(), mgmt.services(), endpoints)));
  }

  private XdsSnapshot nextSnapshot(XdsSnapshot previous) {
    return await().atMost(WAIT).until(() -> cache.get(GROUP), s -> s != null && s != previous);
  }

  /** The ratings endpoint on another port: an endpoint-only change of the ratings load assignment. */
  private static Inputs withRatingsOnPort(Inputs before, int port) {
    ClusterWorld mgmt = before.world().cluster(MGMT).orElseThrow();
    List<Endpoint> endpoints = mgmt.endpoints().stream()
        .map(e -> e.service().name().equals("ratings")
            ? new Endpoint(e.cluster(), e.service(), e.address(), e.portName(), port, e.locality(), e.nodeName(), e.conditions(),
                e.network())
            : e)
        .toList();
    return withWorld(before, before.world().with(new ClusterWorld(MGMT, mgmt.network(), mgmt.syncState(), mgmt.services(), endpoints)));
  }

  @Test
  void aSnapshotItsClientsWouldRefuseIsNotPublishedAndTheLastGoodOneKeepsServing() {
    XdsSnapshot good = nextSnapshot(null);

    // Discovery refuses such a port; a world that reaches the translator with one anyway (a bug) must stop here.
    inputs.set(withRatingsOnPort(inputs.get(), 70000));
    reconciler.onChange();

    SnapshotAcceptance.Refusal refusal = await().atMost(WAIT).until(() -> reconciler.refusals(), r -> !r.isEmpty()).get(0);
    assertThat(refusal.group()).isEqualTo(GROUP.toString());
    assertThat(refusal.violations()).singleElement().asString()
        .startsWith("ClusterLoadAssignment " + RATINGS_CLUSTER + ": ")
        .contains("port_value")
        .contains("70000");
    assertThat(cache.get(GROUP)).isSameAs(good);
    assertThat(registry.get("vicinity.snapshots.refused").counter().count()).isEqualTo(1.0);

    inputs.set(withRatingsOnPort(inputs.get(), 9081));
    reconciler.onChange();

    XdsSnapshot fixed = nextSnapshot(good);
    assertThat(fixed.version(XdsType.ENDPOINT)).isNotEqualTo(good.version(XdsType.ENDPOINT));
    assertThat(reconciler.refusals()).isEmpty();
  }

  @Test
  void anEndpointOnlyChangeRebuildsOnlyTheAffectedLoadAssignments() {
    XdsSnapshot before = nextSnapshot(null);

    inputs.set(withFirstReviewsEndpointNotReady(inputs.get()));
    reconciler.onChange();
    XdsSnapshot after = nextSnapshot(before);

    for (XdsType kept : List.of(XdsType.CLUSTER, XdsType.LISTENER, XdsType.ROUTE)) {
      assertThat(after.resources(kept)).as("%s", kept).isSameAs(before.resources(kept));
      assertThat(after.version(kept)).isEqualTo(before.version(kept));
    }
    assertThat(after.resources(XdsType.ENDPOINT).get(RATINGS_CLUSTER))
        .isSameAs(before.resources(XdsType.ENDPOINT).get(RATINGS_CLUSTER));
    assertThat(after.resources(XdsType.ENDPOINT).get(VD_CLUSTER))
        .isNotEqualTo(before.resources(XdsType.ENDPOINT).get(VD_CLUSTER));
    assertThat(after.version(XdsType.ENDPOINT)).isNotEqualTo(before.version(XdsType.ENDPOINT));
  }

  @Test
  void thePatchedSnapshotEqualsAFullTranslation() throws Exception {
    XdsSnapshot before = nextSnapshot(null);

    Inputs changed = withFirstReviewsEndpointNotReady(inputs.get());
    inputs.set(changed);
    reconciler.onChange();
    XdsSnapshot after = nextSnapshot(before);

    XdsSnapshot full = Snapshots.of(Translator.translate(
        Catalog.build(changed.world(), changed.policies(), config.meshTopology()), GROUP, TranslationOptions.DEFAULTS), new SharedResources());
    for (XdsType type : XdsType.values()) {
      assertThat(after.resources(type)).as("%s", type).isEqualTo(full.resources(type));
      assertThat(after.version(type)).as("%s", type).isEqualTo(full.version(type));
    }
  }

  @Test
  void aServiceChangeTranslatesEverythingAgain() {
    XdsSnapshot before = nextSnapshot(null);

    Inputs example = inputs.get();
    ClusterWorld mgmt = example.world().cluster(MGMT).orElseThrow();
    inputs.set(withWorld(example, example.world().with(new ClusterWorld(MGMT, mgmt.network(), mgmt.syncState(),
        mgmt.services().stream().filter(s -> !s.key().name().equals("ratings")).toList(),
        mgmt.endpoints().stream().filter(e -> !e.service().name().equals("ratings")).toList()))));
    reconciler.onChange();
    XdsSnapshot after = nextSnapshot(before);

    assertThat(after.resources(XdsType.CLUSTER)).doesNotContainKey(RATINGS_CLUSTER).isNotSameAs(before.resources(XdsType.CLUSTER));
    assertThat(after.resources(XdsType.ENDPOINT)).doesNotContainKey(RATINGS_CLUSTER);
  }

  @Test
  void changesWithinTheCoalescingWindowBecomeOnePass() {
    reconciler.close();
    reconciler = startReconciler(Duration.ofMillis(300));
    XdsSnapshot before = nextSnapshot(null);
    long passes = registry.timer("vicinity.translation").count();

    Inputs oneNotReady = withFirstReviewsEndpointNotReady(inputs.get());
    inputs.set(oneNotReady);
    reconciler.onChange();
    inputs.set(withFirstReviewsEndpointNotReady(oneNotReady));
    reconciler.onChange();
    XdsSnapshot after = nextSnapshot(before);

    assertThat(registry.timer("vicinity.translation").count()).isEqualTo(passes + 1);
    assertThat(after.resources(XdsType.ENDPOINT).get(VD_CLUSTER).message().toString()).containsPattern("(?s)UNHEALTHY.*UNHEALTHY");
  }

  @Test
  void groupsJoiningTogetherEachGetTheirOwnFullTranslation() throws Exception {
    nextSnapshot(null);
    List<Node> nodes = List.of(
        AdsTestClient.grpcNode("a", "mgmt-cluster", "us-east-1", "us-east-1b"),
        AdsTestClient.grpcNode("b", "remote-cluster", "us-east-2", "us-east-2b"),
        AdsTestClient.grpcNode("c", "remote-cluster", "us-west-2", "us-west-2a"));
    nodes.forEach(this::connect);

    nodes.forEach(node -> reconciler.onClient(ClientProfiles.of(node)));

    Catalog catalog = Catalog.build(inputs.get().world(), inputs.get().policies(), config.meshTopology());
    for (Node node : nodes) {
      ClientProfile group = ClientProfiles.of(node);
      XdsSnapshot served = await().atMost(WAIT).until(() -> cache.get(group), s -> s != null);
      XdsSnapshot full = Snapshots.of(Translator.translate(catalog, group, TranslationOptions.DEFAULTS), new SharedResources());
      for (XdsType type : XdsType.values()) {
        assertThat(served.version(type)).as("%s of %s", type, group).isEqualTo(full.version(type));
      }
    }
  }
}
