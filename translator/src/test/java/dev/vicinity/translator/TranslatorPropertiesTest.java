package dev.vicinity.translator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vicinity.api.config.Gateway;
import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.policy.ObjectMeta;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.UniqueAddresses;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties every translation keeps, over generated worlds (clusters, services, endpoints in random
 * localities and states), VirtualDestinations and DestinationRules with every locality setting, and
 * clients of both kinds. jqwik shrinks a failure to a small counterexample.
 */
class TranslatorPropertiesTest {
  private static final List<Locality> LOCALITIES = List.of(
      new Locality("us-east-1", "us-east-1a", ""), new Locality("us-east-1", "us-east-1a", "rack-2"),
      new Locality("us-east-1", "us-east-1b", ""), new Locality("us-west-2", "us-west-2a", ""),
      new Locality("eu-west-1", "eu-west-1a", ""), Locality.UNKNOWN);
  private static final List<String> CLUSTERS = List.of("c0", "c1", "c2");
  private static final List<String> NETWORKS = List.of("", "n1", "n2");
  /** n1 behind one east-west gateway, n2 behind two; endpoints on no network are reached directly. */
  private static final MeshTopology GATEWAYS = new MeshTopology(List.of(), List.of(), Map.of(
      "n1", List.of(new Gateway("198.51.100.1", null)),
      "n2", List.of(new Gateway("192.0.2.10", null), new Gateway("192.0.2.11", 443))));
  private static final List<EndpointConditions> CONDITIONS = List.of(
      EndpointConditions.READY, EndpointConditions.NOT_READY, new EndpointConditions(false, true, true));

  /** One generated endpoint: indexes into the pools above. */
  record EndpointSpec(int cluster, int service, int locality, int conditions, int address) {}

  /** Which locality settings the generated DestinationRule has. */
  enum Setting { NONE, FAILOVER, FAILOVER_PRIORITY, BOTH, DISTRIBUTE, DISABLED }

  /** A whole generated case. */
  record Scenario(World world, PolicySet policies, ClientProfile client) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<EndpointSpec> endpoint = Combinators.combine(
            Arbitraries.integers().between(0, CLUSTERS.size() - 1),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, LOCALITIES.size() - 1),
            Arbitraries.integers().between(0, CONDITIONS.size() - 1),
            Arbitraries.integers().between(1, 250))
        .as(EndpointSpec::new);
    Arbitrary<ClientProfile> client = Combinators.combine(
            Arbitraries.of(ClientKind.values()),
            Arbitraries.of("", "c0", "c1", "c2"),
            Arbitraries.integers().between(0, LOCALITIES.size() - 1),
            Arbitraries.of(NETWORKS),
            Arbitraries.of("", "bookinfo"))
        .as((kind, cluster, locality, network, namespace) ->
            new ClientProfile(kind, cluster, LOCALITIES.get(locality), network, Map.of(), namespace));
    return Combinators.combine(
            endpoint.list().ofMaxSize(40),
            Arbitraries.of(Setting.values()),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            client)
        .as((endpoints, setting, outlier, withVd, directives, who) ->
            new Scenario(world(endpoints), policies(setting, outlier, withVd, directives), who));
  }

  private static World world(List<EndpointSpec> specs) {
    List<ClusterWorld> clusters = new ArrayList<>();
    for (int c = 0; c < CLUSTERS.size(); c++) {
      String name = CLUSTERS.get(c);
      List<DiscoveredService> services = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        services.add(new DiscoveredService(ClusterId.of(name), new ServiceKey("bookinfo", "svc" + s), Map.of("app", "svc" + s),
            List.of(new ServicePort("http", 9080 + s % 2, "TCP", ""))));
      }
      List<Endpoint> endpoints = new ArrayList<>();
      for (EndpointSpec spec : specs) {
        if (spec.cluster() == c) {
          endpoints.add(new Endpoint(ClusterId.of(name), new ServiceKey("bookinfo", "svc" + spec.service()),
              "10." + c + "." + spec.service() + "." + spec.address(), "http", 9080 + spec.service() % 2,
              LOCALITIES.get(spec.locality()), "node", CONDITIONS.get(spec.conditions()), NETWORKS.get(c)));
        }
      }
      clusters.add(new ClusterWorld(ClusterId.of(name), NETWORKS.get(c), SyncState.SYNCED, services, endpoints));
    }
    return World.of(clusters);
  }

  private static PolicySet policies(Setting setting, boolean outlier, boolean withVd, boolean directives) {
    DestinationRule.OutlierDetection od = outlier
        ? new DestinationRule.OutlierDetection(null, 1, null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(30), 100, null)
        : null;
    DestinationRule.LocalityLbSetting locality = switch (setting) {
      case NONE -> null;
      case FAILOVER -> new DestinationRule.LocalityLbSetting(true, List.of(),
          List.of(new DestinationRule.Failover("us-east-1", "eu-west-1")), List.of());
      case FAILOVER_PRIORITY -> new DestinationRule.LocalityLbSetting(true, List.of(), List.of(),
          List.of("topology.istio.io/network", "topology.istio.io/cluster=c1", "topology.kubernetes.io/region"));
      case BOTH -> new DestinationRule.LocalityLbSetting(true, List.of(),
          List.of(new DestinationRule.Failover("us-east-1", "us-west-2")), List.of("topology.istio.io/cluster"));
      case DISTRIBUTE -> new DestinationRule.LocalityLbSetting(true, List.of(new DestinationRule.Distribute("us-east-1/*",
          new LinkedHashMap<>(Map.of("us-east-1/us-east-1a/*", 70, "eu-west-1/*", 30)))), List.of(), List.of());
      case DISABLED -> new DestinationRule.LocalityLbSetting(false, List.of(), List.of(), List.of());
    };
    DestinationRule rule = new DestinationRule(new ObjectMeta("svc0", "bookinfo", 1L, Map.of()),
        new DestinationRule.Spec("svc0", new DestinationRule.TrafficPolicy(
            new DestinationRule.LoadBalancer("", null, locality, null, null), od, null, null, null, null, null), null, null, null));
    List<VirtualDestination> vds = new ArrayList<>();
    if (withVd) {
      vds.add(new VirtualDestination(new ObjectMeta("global", "gloo-mesh", 1L, Map.of()), new VirtualDestination.Spec(
          "svc1.global", new VirtualDestination.Port(9080, "http", 9081, null),
          new VirtualDestination.Localized(
              new dev.vicinity.api.policy.OutlierDetection(2, null, null, null),
              List.of(new DestinationSelector(new DestinationSelector.KubeServiceMatcher(Map.of("app", "svc1"), List.of(), List.of()), null)),
              directives
                  ? List.of(new VirtualDestination.FailoverDirective(new LocalityMatch("us-east-1", "", ""),
                      List.of(new LocalityMatch("eu-west-1", "", ""), new LocalityMatch("us-west-2", "", ""))))
                  : List.of()),
          null, new ObjectRef("mesh", "gloo-mesh"), null)));
    }
    return new PolicySet(vds, List.of(), List.of(rule));
  }

  private static Catalog catalog(Scenario scenario) {
    return Catalog.build(scenario.world(), scenario.policies(), GATEWAYS);
  }

  private static XdsResources translate(Scenario scenario) {
    return Translator.translate(catalog(scenario), scenario.client());
  }

  /** Every node group of the world (each client kind, locality and network) is sent only what it accepts. */
  @Property(tries = 200)
  void everyNodeGroupIsSentOnlyResourcesItsClientAccepts(@ForAll("scenarios") Scenario scenario) {
    ClientProfile client = scenario.client();
    Catalog catalog = catalog(scenario);

    for (ClientKind kind : ClientKind.values()) {
      for (Locality locality : LOCALITIES) {
        for (String network : NETWORKS) {
          ClientProfile group = new ClientProfile(kind, client.cluster(), locality, network, client.labels(), client.namespace());
          assertThat(ClientAcceptance.check(Translator.translate(catalog, group), kind)).as(group.toString()).isEmpty();
        }
      }
    }
  }

  @Property(tries = 300)
  void aGrpcClientGetsTheWeightOfEveryHealthyRemoteEndpointThroughEachGatewayOnce(@ForAll("scenarios") Scenario scenario) {
    ClientProfile client = scenario.client();
    ClientProfile grpc = new ClientProfile(ClientKind.GRPC, client.cluster(), client.locality(), client.network(),
        client.labels(), client.namespace());
    ClientProfile envoy = new ClientProfile(ClientKind.ENVOY, client.cluster(), client.locality(), client.network(),
        client.labels(), client.namespace());
    Catalog catalog = catalog(scenario);
    Map<String, ClusterLoadAssignment> forGrpc = new java.util.HashMap<>();
    Translator.translate(catalog, grpc).endpoints().forEach(a -> forGrpc.put(a.getClusterName(), a));

    for (ClusterLoadAssignment forEnvoy : Translator.translate(catalog, envoy).endpoints()) {
      if (forGrpc.containsKey(forEnvoy.getClusterName())) {
        assertThat(gatewayWeights(forGrpc.get(forEnvoy.getClusterName())))
            .as(forEnvoy.getClusterName()).isEqualTo(gatewayWeights(forEnvoy));
      }
    }
  }

  /** Per gateway address, the weight it carries summed over the assignment. */
  private static Map<String, Integer> gatewayWeights(ClusterLoadAssignment assignment) {
    Map<String, Integer> weights = new java.util.TreeMap<>();
    assignment.getEndpointsList().forEach(l -> l.getLbEndpointsList().stream()
        .filter(UniqueAddresses::isGateway)
        .forEach(e -> weights.merge(e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
            + e.getEndpoint().getAddress().getSocketAddress().getPortValue(), e.getLoadBalancingWeight().getValue(), Integer::sum)));
    return weights;
  }

  @Property(tries = 300)
  void prioritiesAreContiguousFromZeroAndOrdered(@ForAll("scenarios") Scenario scenario) {
    for (ClusterLoadAssignment assignment : translate(scenario).endpoints()) {
      TreeSet<Integer> priorities = new TreeSet<>();
      assignment.getEndpointsList().forEach(l -> priorities.add(l.getPriority()));
      if (!priorities.isEmpty()) {
        assertThat(priorities.first()).isZero();
        assertThat(priorities.last()).isEqualTo(priorities.size() - 1);
      }
      assertThat(assignment.getEndpointsList()).extracting(LocalityLbEndpoints::getPriority).isSorted();
    }
  }

  @Property(tries = 300)
  void everyLocalityWeightIsAtLeastOne(@ForAll("scenarios") Scenario scenario) {
    for (ClusterLoadAssignment assignment : translate(scenario).endpoints()) {
      assertThat(assignment.getEndpointsList()).allSatisfy(l -> assertThat(l.getLoadBalancingWeight().getValue()).isPositive());
    }
  }

  @Property(tries = 300)
  void namesAreConsistentAcrossClustersEndpointsRoutesAndListeners(@ForAll("scenarios") Scenario scenario)
      throws InvalidProtocolBufferException {
    XdsResources resources = translate(scenario);
    List<String> clusters = resources.clusters().stream().map(Cluster::getName).toList();
    assertThat(resources.clusters()).allSatisfy(c -> {
      assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
      assertThat(c.getEdsClusterConfig().getServiceName()).isEqualTo(c.getName());
      assertThat(ResourceNames.parseCluster(c.getName())).isPresent();
    });
    assertThat(resources.endpoints().stream().map(ClusterLoadAssignment::getClusterName).toList()).isEqualTo(clusters);
    Set<String> referencedRoutes = new HashSet<>();
    for (Listener listener : resources.listeners()) {
      if (listener.hasApiListener()) {
        referencedRoutes.add(listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class).getRds().getRouteConfigName());
      }
      for (var chain : listener.getFilterChainsList()) {
        for (var filter : chain.getFiltersList()) {
          if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
            referencedRoutes.add(filter.getTypedConfig().unpack(HttpConnectionManager.class).getRds().getRouteConfigName());
          }
        }
      }
    }
    assertThat(resources.routes().stream().map(RouteConfiguration::getName).toList()).containsExactlyInAnyOrderElementsOf(referencedRoutes);
    for (RouteConfiguration routes : resources.routes()) {
      routes.getVirtualHostsList().forEach(host -> host.getRoutesList().forEach(route -> {
        List<String> targets = route.getRoute().hasWeightedClusters()
            ? route.getRoute().getWeightedClusters().getClustersList().stream().map(w -> w.getName()).toList()
            : List.of(route.getRoute().getCluster());
        assertThat(clusters).containsAll(targets);
      }));
      List<String> domains = routes.getVirtualHostsList().stream().flatMap(h -> h.getDomainsList().stream()).toList();
      assertThat(domains).doesNotHaveDuplicates(); // Envoy rejects a route configuration with duplicate domains
    }
  }

  @Property(tries = 150)
  void outputDoesNotDependOnTheOrderOfTheInput(@ForAll("scenarios") Scenario scenario, @ForAll long seed) {
    Random random = new Random(seed);
    List<ClusterWorld> shuffled = new ArrayList<>();
    for (ClusterWorld cluster : scenario.world().clusters().values()) {
      List<Endpoint> endpoints = new ArrayList<>(cluster.endpoints());
      List<DiscoveredService> services = new ArrayList<>(cluster.services());
      Collections.shuffle(endpoints, random);
      Collections.shuffle(services, random);
      shuffled.add(new ClusterWorld(cluster.id(), cluster.network(), cluster.syncState(), services, endpoints));
    }
    Collections.shuffle(shuffled, random);
    Scenario reordered = new Scenario(World.of(shuffled), scenario.policies(), scenario.client());

    XdsResources first = translate(scenario);
    XdsResources second = translate(reordered);

    assertThat(second).isEqualTo(first);
    for (int i = 0; i < first.endpoints().size(); i++) {
      assertThat(second.endpoints().get(i).toByteArray()).isEqualTo(first.endpoints().get(i).toByteArray());
    }
  }

  @Property(tries = 300)
  void withoutOutlierDetectionEverythingSharesPriorityZero(@ForAll("scenarios") Scenario scenario) {
    XdsResources resources = translate(scenario);
    for (Cluster cluster : resources.clusters()) {
      if (!cluster.hasOutlierDetection()) {
        ClusterLoadAssignment assignment = resources.endpoints().stream()
            .filter(a -> a.getClusterName().equals(cluster.getName())).findFirst().orElseThrow();
        assertThat(assignment.getEndpointsList()).allSatisfy(l -> assertThat(l.getPriority()).isZero());
      }
    }
  }

  @Property(tries = 300)
  void everyEndpointIsServedOnceUnlessDistributeOrAnotherNetworkLeavesItOut(@ForAll("scenarios") Scenario scenario) {
    Catalog catalog = catalog(scenario);
    XdsResources resources = Translator.translate(catalog, scenario.client());
    for (ClusterLoadAssignment assignment : resources.endpoints()) {
      Destination destination = catalog.destination(assignment.getClusterName()).orElseThrow();
      List<String> served = assignment.getEndpointsList().stream()
          .flatMap(l -> l.getLbEndpointsList().stream())
          .filter(e -> !UniqueAddresses.isGateway(e))
          .map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
          .toList();
      assertThat(served).doesNotHaveDuplicates();
      boolean mayDrop = !destination.loadBalancing().locality().distribute().isEmpty() || !scenario.client().network().isEmpty();
      if (!mayDrop) {
        assertThat(served).containsExactlyInAnyOrderElementsOf(destination.endpoints().stream().map(Endpoint::address).toList());
      } else {
        assertThat(destination.endpoints().stream().map(Endpoint::address).toList()).containsAll(served);
      }
    }
  }

}
