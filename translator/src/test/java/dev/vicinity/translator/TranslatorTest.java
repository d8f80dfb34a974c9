package dev.vicinity.translator;

import static dev.vicinity.translator.Fixtures.endpoint;
import static dev.vicinity.translator.Fixtures.grpcClient;
import static dev.vicinity.translator.Fixtures.outlierDetection;
import static dev.vicinity.translator.Fixtures.reviews;
import static dev.vicinity.translator.Fixtures.reviewsGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.policy.ObjectMeta;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.TrafficPolicy;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranslatorTest {
  private static final Locality EAST_1A = Locality.of("us-east-1", "us-east-1a");
  private static final Locality EAST_1B = Locality.of("us-east-1", "us-east-1b");
  private static final Locality EAST_2B = Locality.of("us-east-2", "us-east-2b");
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";
  private static final String SERVICE_CLUSTER = "outbound|9080||reviews.bookinfo.svc.cluster.local";

  private static World twoClusters(ClusterWorld... extra) {
    World world = World.of(List.of(
        new ClusterWorld(ClusterId.of("mgmt-cluster"), "network1", SyncState.SYNCED, List.of(reviews("mgmt-cluster")),
            List.of(endpoint("mgmt-cluster", "10.0.0.1", EAST_1A), endpoint("mgmt-cluster", "10.0.0.2", EAST_1B))),
        new ClusterWorld(ClusterId.of("remote-cluster"), "network1", SyncState.SYNCED, List.of(reviews("remote-cluster")),
            List.of(endpoint("remote-cluster", "10.1.0.1", EAST_2B)))));
    for (ClusterWorld cluster : extra) {
      world = world.with(cluster);
    }
    return world;
  }

  private static ClusterLoadAssignment assignment(XdsResources resources, String cluster) {
    return resources.endpoints().stream().filter(e -> e.getClusterName().equals(cluster)).findFirst().orElseThrow();
  }

  private static Map<String, Integer> priorityByAddress(ClusterLoadAssignment assignment) {
    Map<String, Integer> priorities = new java.util.TreeMap<>();
    for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
      for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
        priorities.put(endpoint.getEndpoint().getAddress().getSocketAddress().getAddress(), locality.getPriority());
      }
    }
    return priorities;
  }

  private static RouteAction route(XdsResources resources, String hostPort) {
    RouteConfiguration routes = resources.routes().get(0);
    VirtualHost host = routes.getVirtualHostsList().stream().filter(h -> h.getName().equals(hostPort)).findFirst().orElseThrow();
    return host.getRoutes(0).getRoute();
  }

  @Test
  void virtualDestinationWithOutlierDetectionOrdersEndpointsByProximityWithoutGaps() {
    Catalog catalog = Catalog.build(twoClusters(), new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of()));

    XdsResources resources = Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A));

    // same zone 0, same region (other zone) 1, other region 2: raw ranks 0, 2, 3 renumbered.
    assertThat(priorityByAddress(assignment(resources, VD_CLUSTER)))
        .isEqualTo(Map.of("10.0.0.1", 0, "10.0.0.2", 1, "10.1.0.1", 2));
  }

  @Test
  void withoutOutlierDetectionEveryEndpointSharesPriorityZero() {
    Catalog catalog = Catalog.build(twoClusters(), new PolicySet(List.of(reviewsGlobal(null)), List.of(), List.of()));

    XdsResources resources = Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A));

    assertThat(priorityByAddress(assignment(resources, VD_CLUSTER)).values()).containsOnly(0);
    assertThat(resources.clusters()).filteredOn(c -> c.getName().equals(VD_CLUSTER))
        .singleElement().satisfies(c -> assertThat(c.hasOutlierDetection()).isFalse());
  }

  @Test
  void outlierDetectionAndAZeroPanicThresholdAreSetOnTheVirtualDestinationCluster() {
    Catalog catalog = Catalog.build(twoClusters(), new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of()));

    XdsResources resources = Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A));

    assertThat(resources.clusters()).filteredOn(c -> c.getName().equals(VD_CLUSTER)).singleElement().satisfies(c -> {
      assertThat(c.getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(1);
      assertThat(c.getOutlierDetection().getMaxEjectionPercent().getValue()).isEqualTo(100);
      assertThat(c.getOutlierDetection().getInterval().getSeconds()).isEqualTo(5);
      assertThat(c.getOutlierDetection().getBaseEjectionTime().getSeconds()).isEqualTo(120);
      assertThat(c.getCommonLbConfig().hasHealthyPanicThreshold()).isTrue();
      assertThat(c.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isZero();
      assertThat(c.getCommonLbConfig().hasLocalityWeightedLbConfig()).isTrue();
    });
  }

  @Test
  void localityWeightCountsHealthyEndpointsAndIsAtLeastOne() {
    ClusterWorld mgmt = new ClusterWorld(ClusterId.of("mgmt-cluster"), "network1", SyncState.SYNCED, List.of(reviews("mgmt-cluster")),
        List.of(
            endpoint("mgmt-cluster", "10.0.0.1", EAST_1A),
            endpoint("mgmt-cluster", "10.0.0.2", EAST_1A),
            endpoint("mgmt-cluster", "10.0.0.3", EAST_1A, EndpointConditions.NOT_READY),
            endpoint("mgmt-cluster", "10.0.0.4", EAST_1B, EndpointConditions.NOT_READY),
            endpoint("mgmt-cluster", "10.0.0.5", EAST_1B, new EndpointConditions(false, true, true))));
    Catalog catalog = Catalog.build(twoClusters(mgmt), new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of()));

    ClusterLoadAssignment assignment = assignment(Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A)), VD_CLUSTER);

    assertThat(assignment.getEndpointsList()).extracting(l -> l.getLocality().getZone(), l -> l.getLoadBalancingWeight().getValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("us-east-1a", 2), org.assertj.core.groups.Tuple.tuple("us-east-1b", 1),
            org.assertj.core.groups.Tuple.tuple("us-east-2b", 1));
    assertThat(assignment.getEndpoints(1).getLbEndpointsList()).extracting(LbEndpoint::getHealthStatus)
        .containsExactly(HealthStatus.UNHEALTHY, HealthStatus.DRAINING);
    assertThat(assignment.getEndpoints(0).getLbEndpointsList()).extracting(LbEndpoint::getHealthStatus)
        .containsExactly(HealthStatus.HEALTHY, HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
  }

  @Test
  void kubernetesServicesFollowNamespaceSamenessAcrossClusters() {
    Catalog catalog = Catalog.build(twoClusters(), PolicySet.EMPTY);

    XdsResources resources = Translator.translate(catalog, grpcClient("remote-cluster", EAST_2B));

    assertThat(priorityByAddress(assignment(resources, SERVICE_CLUSTER)))
        .isEqualTo(Map.of("10.0.0.1", 0, "10.0.0.2", 0, "10.1.0.1", 0));
  }

  private static TrafficPolicy shift(List<TrafficPolicy.WeightedDestination> destinations) {
    return new TrafficPolicy(new ObjectMeta("reviews-shift-failover", "bookinfo", 1L, Map.of()),
        new TrafficPolicy.Spec(
            List.of(new DestinationSelector(null, new DestinationSelector.KubeServiceRefs(
                List.of(new ClusterObjectRef("reviews", "bookinfo", "mgmt-cluster"))))),
            new TrafficPolicy.Policy(new TrafficPolicy.TrafficShift(destinations))));
  }

  @Test
  void trafficShiftAppliesToClientsInTheSelectedServicesClusterOnly() {
    PolicySet policies = new PolicySet(List.of(reviewsGlobal(outlierDetection())),
        List.of(shift(List.of(new TrafficPolicy.WeightedDestination(new ObjectRef("bookinfo-global", "gloo-mesh"), null, null)))), List.of());
    Catalog catalog = Catalog.build(twoClusters(), policies);

    String host = "reviews.bookinfo.svc.cluster.local:9080";
    assertThat(route(Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A)), host).getCluster()).isEqualTo(VD_CLUSTER);
    assertThat(route(Translator.translate(catalog, grpcClient("remote-cluster", EAST_2B)), host).getCluster()).isEqualTo(SERVICE_CLUSTER);
    assertThat(route(Translator.translate(catalog, grpcClient("", Locality.UNKNOWN)), host).getCluster()).isEqualTo(SERVICE_CLUSTER);
  }

  @Test
  void trafficShiftToSeveralDestinationsBecomesWeightedClusters() {
    PolicySet policies = new PolicySet(List.of(reviewsGlobal(outlierDetection())),
        List.of(shift(List.of(
            new TrafficPolicy.WeightedDestination(new ObjectRef("bookinfo-global", "gloo-mesh"), null, 80),
            new TrafficPolicy.WeightedDestination(null, new TrafficPolicy.KubeServiceDestination("reviews", "bookinfo", "", null), 20)))), List.of());
    Catalog catalog = Catalog.build(twoClusters(), policies);

    RouteAction action = route(Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A)), "reviews.bookinfo.svc.cluster.local:9080");

    assertThat(action.getWeightedClusters().getClustersList())
        .extracting(c -> c.getName(), c -> c.getWeight().getValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(VD_CLUSTER, 80), org.assertj.core.groups.Tuple.tuple(SERVICE_CLUSTER, 20));
  }

  @Test
  void trafficShiftToAMissingVirtualDestinationLeavesTheServiceRouteAlone() {
    PolicySet policies = new PolicySet(List.of(),
        List.of(shift(List.of(new TrafficPolicy.WeightedDestination(new ObjectRef("nope", "gloo-mesh"), null, null)))), List.of());
    Catalog catalog = Catalog.build(twoClusters(), policies);

    assertThat(catalog.shifts()).isEmpty();
    assertThat(route(Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A)), "reviews.bookinfo.svc.cluster.local:9080")
        .getCluster()).isEqualTo(SERVICE_CLUSTER);
  }

  @Test
  void virtualDestinationTargetNameSelectsTheBackendPortByName() {
    DiscoveredService twoPorts = new DiscoveredService(ClusterId.of("mgmt-cluster"), Fixtures.REVIEWS, Map.of("app", "reviews"),
        List.of(new ServicePort("http", 9080, "TCP", ""), new ServicePort("admin", 15000, "TCP", "")));
    ClusterWorld mgmt = new ClusterWorld(ClusterId.of("mgmt-cluster"), "network1", SyncState.SYNCED, List.of(twoPorts),
        List.of(endpoint("mgmt-cluster", "10.0.0.1", EAST_1A),
            new dev.vicinity.api.world.Endpoint(ClusterId.of("mgmt-cluster"), Fixtures.REVIEWS, "10.0.0.1", "admin", 15000,
                EAST_1A, "n", EndpointConditions.READY, "network1")));
    var vd = reviewsGlobal(outlierDetection());
    var admin = new dev.vicinity.api.policy.VirtualDestination(vd.metadata(), new dev.vicinity.api.policy.VirtualDestination.Spec(
        "reviews.global", new dev.vicinity.api.policy.VirtualDestination.Port(9080, "http", null, "admin"),
        vd.spec().localized(), null, vd.spec().virtualMesh(), null));
    Catalog catalog = Catalog.build(World.of(List.of(mgmt)), new PolicySet(List.of(admin), List.of(), List.of()));

    assertThat(catalog.destination(VD_CLUSTER).orElseThrow().endpoints()).extracting(e -> e.port()).containsExactly(15000);
  }

  @Test
  void virtualDestinationSelectorRespectsNamespacesAndClusters() {
    var vd = reviewsGlobal(outlierDetection());
    var onlyRemote = new dev.vicinity.api.policy.VirtualDestination(vd.metadata(), new dev.vicinity.api.policy.VirtualDestination.Spec(
        "reviews.global", vd.spec().port(),
        new dev.vicinity.api.policy.VirtualDestination.Localized(outlierDetection(),
            List.of(new DestinationSelector(new DestinationSelector.KubeServiceMatcher(
                Map.of("app", "reviews"), List.of("bookinfo"), List.of("remote-cluster")), null)), List.of()),
        null, vd.spec().virtualMesh(), null));

    Catalog catalog = Catalog.build(twoClusters(), new PolicySet(List.of(onlyRemote), List.of(), List.of()));

    assertThat(catalog.destination(VD_CLUSTER).orElseThrow().endpoints()).extracting(e -> e.address()).containsExactly("10.1.0.1");
  }

  @Test
  void grpcClientsGetApiListenersAndEnvoyClientsGetOnePortListener() {
    Catalog catalog = Catalog.build(twoClusters(), new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of()));

    XdsResources grpc = Translator.translate(catalog, grpcClient("mgmt-cluster", EAST_1A));
    XdsResources envoy = Translator.translate(catalog, new ClientProfile(ClientKind.ENVOY, "mgmt-cluster", EAST_1A, ""));

    assertThat(grpc.listeners()).extracting(l -> l.getName())
        .containsExactly("reviews.bookinfo.svc.cluster.local:9080", "reviews.global:9080");
    assertThat(grpc.listeners()).allSatisfy(l -> assertThat(l.hasApiListener()).isTrue());
    assertThat(envoy.listeners()).extracting(l -> l.getName()).containsExactly("0.0.0.0_9080");
    assertThat(envoy.listeners().get(0).getAddress().getSocketAddress().getPortValue()).isEqualTo(9080);
    assertThat(envoy.routes()).extracting(RouteConfiguration::getName).containsExactly("9080");
  }

  @Test
  void envoyClientsGetATcpProxyAndNoRoutesForATcpOnlyPort() {
    DiscoveredService redis = new DiscoveredService(ClusterId.of("mgmt-cluster"), new ServiceKey("cache", "redis"), Map.of(),
        List.of(new ServicePort("tcp-redis", 6379, "TCP", "")));
    ClusterWorld mgmt = new ClusterWorld(ClusterId.of("mgmt-cluster"), "", SyncState.SYNCED, List.of(redis), List.of());
    Catalog catalog = Catalog.build(World.of(List.of(mgmt)), PolicySet.EMPTY);

    XdsResources envoy = Translator.translate(catalog, new ClientProfile(ClientKind.ENVOY, "mgmt-cluster", EAST_1A, ""));

    assertThat(envoy.clusters()).extracting(c -> c.getName()).containsExactly("outbound|6379||redis.cache.svc.cluster.local");
    assertThat(envoy.listeners()).singleElement().satisfies(listener -> {
      assertThat(listener.getName()).isEqualTo("0.0.0.0_6379");
      var filter = listener.getFilterChains(0).getFilters(0);
      assertThat(filter.getName()).isEqualTo("envoy.filters.network.tcp_proxy");
      assertThat(unpackTcpProxy(filter.getTypedConfig()).getCluster()).isEqualTo("outbound|6379||redis.cache.svc.cluster.local");
    });
    assertThat(envoy.routes()).isEmpty();
  }

  private static io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy unpackTcpProxy(com.google.protobuf.Any any) {
    try {
      return any.unpack(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void envoyListenerAddressIsAnOption() {
    Catalog catalog = Catalog.build(twoClusters(), PolicySet.EMPTY);

    XdsResources envoy = Translator.translate(catalog, new ClientProfile(ClientKind.ENVOY, "mgmt-cluster", EAST_1A, ""),
        new TranslationOptions("127.0.0.1"));

    assertThat(envoy.listeners()).extracting(l -> l.getName()).containsExactly("127.0.0.1_9080");
    assertThat(envoy.listeners().get(0).getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void serviceVirtualHostsAnswerToIstiosNamesAndShortNamesOnlyInTheClientsNamespace() {
    Catalog catalog = Catalog.build(twoClusters(), PolicySet.EMPTY);
    ClientProfile inBookinfo = new ClientProfile(ClientKind.ENVOY, "mgmt-cluster", EAST_1A, "", Map.of(), "bookinfo");
    ClientProfile elsewhere = new ClientProfile(ClientKind.ENVOY, "mgmt-cluster", EAST_1A, "", Map.of(), "shop");

    VirtualHost own = Translator.translate(catalog, inBookinfo).routes().get(0).getVirtualHosts(0);
    VirtualHost other = Translator.translate(catalog, elsewhere).routes().get(0).getVirtualHosts(0);

    assertThat(own.getDomainsList()).containsExactly(
        "reviews.bookinfo.svc.cluster.local", "reviews.bookinfo.svc.cluster.local:9080",
        "reviews.bookinfo.svc", "reviews.bookinfo.svc:9080", "reviews.bookinfo", "reviews.bookinfo:9080",
        "reviews", "reviews:9080");
    assertThat(other.getDomainsList()).doesNotContain("reviews", "reviews:9080").contains("reviews.bookinfo");
  }
}
