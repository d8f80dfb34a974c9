package dev.vicinity.translator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.policy.ObjectMeta;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.OutlierDetection;
import dev.vicinity.api.policy.Policy;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.TrafficPolicy;
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
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.envoy.LoadAssignments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An incremental catalog ends where a full build of the same inputs does, after any sequence of changes:
 * endpoints coming, going, turning unready or moving locality; services appearing, going, relabelled or
 * re-ported; whole clusters going and coming back; VirtualDestinations, DestinationRules and
 * TrafficPolicies added, changed (including two claiming one host) and removed. Sources keep the
 * instances of what did not change, as Vicinity's do; a step may also rebuild every instance equal but
 * new, as a source without that memo would.
 */
class IncrementalCatalogPropertiesTest {
  private static final List<String> CLUSTERS = List.of("c0", "c1", "c2");
  private static final List<ServiceKey> SERVICES = List.of(
      new ServiceKey("a", "s0"), new ServiceKey("a", "s1"), new ServiceKey("a", "s2"), new ServiceKey("b", "s0"),
      new ServiceKey("b", "s3"));
  private static final List<ServicePort> PORTS = List.of(
      new ServicePort("http", 9080, "TCP", ""), new ServicePort("grpc", 9090, "TCP", "grpc"),
      new ServicePort("db", 5432, "TCP", ""));
  private static final List<Locality> LOCALITIES = List.of(
      new Locality("us-east-1", "us-east-1a", ""), new Locality("us-east-1", "us-east-1b", ""),
      new Locality("eu-west-1", "eu-west-1a", ""), Locality.UNKNOWN);
  private static final List<EndpointConditions> CONDITIONS = List.of(
      EndpointConditions.READY, EndpointConditions.NOT_READY, new EndpointConditions(false, true, true));
  private static final OutlierDetection OUTLIER = new OutlierDetection(1, Duration.ofSeconds(5), Duration.ofSeconds(60), 100);
  private static final List<ClientProfile> CLIENTS = List.of(
      new ClientProfile(ClientKind.ENVOY, "c0", LOCALITIES.get(0), ""),
      new ClientProfile(ClientKind.GRPC, "c1", LOCALITIES.get(2), "n1"));

  enum Kind {
    ADD_ENDPOINT, REMOVE_ENDPOINT, CHANGE_CONDITIONS, MOVE_ENDPOINT, PUT_SERVICE, REMOVE_SERVICE, REMOVE_CLUSTER,
    PUT_VIRTUAL_DESTINATION, REMOVE_VIRTUAL_DESTINATION, PUT_DESTINATION_RULE, REMOVE_DESTINATION_RULE,
    PUT_TRAFFIC_POLICY, REMOVE_TRAFFIC_POLICY, RENEW_EVERY_INSTANCE
  }

  /** One change; its numbers pick what it changes and how, each modulo the size of its pool. */
  record Change(Kind kind, int a, int b, int c, int d) {}

  @Provide
  Arbitrary<List<Change>> sequences() {
    Arbitrary<Change> change = Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 99),
            Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 99))
        .as(Change::new);
    return change.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 2000)
  void everyUpdateEqualsAFullBuildOfTheSameInputs(@ForAll("sequences") List<Change> setUp, @ForAll("sequences") List<Change> changes) {
    Model model = new Model();
    setUp.forEach(model::apply);
    IncrementalCatalog incremental = IncrementalCatalog.empty(MeshTopology.NONE).update(model.world(), model.policies());
    for (Change change : changes) {
      model.apply(change);
      World world = model.world();
      PolicySet policies = model.policies();
      Catalog before = incremental.catalog();
      incremental = incremental.update(world, policies);
      assertSameCatalog(incremental.catalog(), Catalog.build(world, policies, MeshTopology.NONE), change);
      // What the update says changed, when only endpoints did, is what comparing the two catalogs finds.
      assertThat(clusterNames(incremental.endpointOnlyChangesSince(before))).as("after " + change)
          .isEqualTo(clusterNames(incremental.catalog().endpointOnlyChangesSince(before)));
    }
  }

  private static Optional<Set<String>> clusterNames(Optional<List<Destination>> destinations) {
    return destinations.map(changed -> changed.stream().map(Destination::clusterName).collect(Collectors.toSet()));
  }

  private static void assertSameCatalog(Catalog incremental, Catalog full, Change after) {
    String because = "after " + after;
    assertThat(incremental.destinations()).as(because).isEqualTo(full.destinations());
    assertThat(incremental.shifts()).as(because).isEqualTo(full.shifts());
    assertThat(incremental.statuses()).as(because).isEqualTo(full.statuses());
    assertThat(incremental.clusters()).as(because).isEqualTo(full.clusters());
    assertThat(new HashMap<>(incremental.lbEndpoints())).as(because).isEqualTo(new HashMap<>(full.lbEndpoints()));
    // Both come from one implementation: check against the definition too, so a kept LbEndpoint cannot go stale.
    for (Destination destination : incremental.destinations()) {
      for (Endpoint endpoint : destination.endpoints()) {
        assertThat(incremental.lbEndpoints().get(endpoint)).as(because).isEqualTo(LoadAssignments.lbEndpoint(endpoint));
      }
    }
    for (ClientProfile client : CLIENTS) {
      assertThat(Translator.translate(incremental, client)).as(because).isEqualTo(Translator.translate(full, client));
    }
  }

  /** The world and policies a source would hand over, changed one step at a time, keeping unchanged instances. */
  private static final class Model {
    private final Map<String, TreeMap<ServiceKey, DiscoveredService>> services = new TreeMap<>();
    private final Map<String, TreeMap<String, Endpoint>> endpoints = new TreeMap<>();
    private final Map<String, ClusterWorld> built = new HashMap<>();
    private final Map<ObjectRef, Policy> policies = new TreeMap<>();
    private PolicySet policySet = PolicySet.EMPTY;

    Model() {
      CLUSTERS.forEach(this::cluster);
    }

    private void cluster(String cluster) {
      services.put(cluster, new TreeMap<>());
      endpoints.put(cluster, new TreeMap<>());
      built.remove(cluster);
    }

    void apply(Change change) {
      String cluster = CLUSTERS.get(change.a() % CLUSTERS.size());
      ServiceKey service = SERVICES.get(change.b() % SERVICES.size());
      String address = "10." + CLUSTERS.indexOf(cluster) + "." + (change.b() % SERVICES.size()) + "." + change.c() % 6;
      String endpointKey = service + "/" + address;
      switch (change.kind()) {
        case ADD_ENDPOINT -> {
          ServicePort port = PORTS.get(change.d() % PORTS.size());
          put(cluster, endpointKey, new Endpoint(ClusterId.of(cluster), service, address, port.name(), port.port(),
              LOCALITIES.get(change.d() % LOCALITIES.size()), "node-" + change.c() % 3,
              CONDITIONS.get(change.d() % CONDITIONS.size()), cluster.equals("c2") ? "n1" : ""));
        }
        case REMOVE_ENDPOINT -> {
          if (endpoints.get(cluster).remove(endpointKey) != null) {
            built.remove(cluster);
          }
        }
        case CHANGE_CONDITIONS, MOVE_ENDPOINT -> {
          Endpoint e = endpoints.get(cluster).get(endpointKey);
          if (e != null) {
            boolean moving = change.kind() == Kind.MOVE_ENDPOINT;
            put(cluster, endpointKey, new Endpoint(e.cluster(), e.service(), e.address(), e.portName(), e.port(),
                moving ? LOCALITIES.get(change.d() % LOCALITIES.size()) : e.locality(), e.nodeName(),
                moving ? e.conditions() : CONDITIONS.get(change.d() % CONDITIONS.size()), e.network()));
          }
        }
        case PUT_SERVICE -> {
          List<ServicePort> ports = new ArrayList<>();
          for (int i = 0; i < PORTS.size(); i++) {
            if ((change.c() + 1 & 1 << i) != 0) {
              ports.add(PORTS.get(i));
            }
          }
          services.get(cluster).put(service, new DiscoveredService(ClusterId.of(cluster), service,
              Map.of("app", service.name(), "tier", change.d() % 2 == 0 ? "front" : "back"), ports));
          built.remove(cluster);
        }
        case REMOVE_SERVICE -> {
          if (services.get(cluster).remove(service) != null) {
            built.remove(cluster);
          }
        }
        case REMOVE_CLUSTER -> cluster(cluster);
        case PUT_VIRTUAL_DESTINATION -> put(virtualDestination(change));
        case PUT_DESTINATION_RULE -> put(destinationRule(change));
        case PUT_TRAFFIC_POLICY -> put(trafficPolicy(change));
        case REMOVE_VIRTUAL_DESTINATION -> remove(new ObjectRef("vd" + change.a() % 3, "gm"));
        case REMOVE_DESTINATION_RULE -> remove(new ObjectRef("dr" + change.a() % 3, "a"));
        case REMOVE_TRAFFIC_POLICY -> remove(new ObjectRef("tp" + change.a() % 2, "gm"));
        case RENEW_EVERY_INSTANCE -> {
          endpoints.values().forEach(byKey -> byKey.replaceAll((key, e) -> new Endpoint(e.cluster(),
              new ServiceKey(e.service().namespace(), e.service().name()), e.address(), e.portName(), e.port(),
              e.locality(), e.nodeName(), e.conditions(), e.network())));
          services.values().forEach(byKey -> byKey.replaceAll((key, s) -> new DiscoveredService(s.cluster(), key,
              new HashMap<>(s.labels()), new ArrayList<>(s.ports()))));
          built.clear();
          policySet = null;
        }
      }
    }

    private void put(String cluster, String key, Endpoint endpoint) {
      endpoints.get(cluster).put(key, endpoint);
      built.remove(cluster);
    }

    private void put(Policy policy) {
      policies.put(policy.ref(), policy);
      policySet = null;
    }

    private void remove(ObjectRef ref) {
      if (policies.remove(ref) != null) {
        policySet = null;
      }
    }

    /** Unchanged clusters keep their ClusterWorld instance, as a source with nothing new hands over. */
    World world() {
      List<ClusterWorld> clusters = new ArrayList<>();
      for (String cluster : CLUSTERS) {
        clusters.add(built.computeIfAbsent(cluster, c -> new ClusterWorld(ClusterId.of(c), c.equals("c2") ? "n1" : "",
            SyncState.SYNCED, List.copyOf(services.get(c).values()), List.copyOf(endpoints.get(c).values()))));
      }
      return World.of(clusters);
    }

    PolicySet policies() {
      if (policySet == null) {
        policySet = PolicySet.of(policies.values());
      }
      return policySet;
    }
  }

  private static VirtualDestination virtualDestination(Change change) {
    String name = "vd" + change.a() % 3;
    // The third takes a service's own host: the VirtualDestination's destination wins over the service's.
    String hostname = List.of("g0.global", "g1.global", "s0.a.svc.cluster.local").get(change.b() % 3);
    VirtualDestination.Port port = change.c() % 3 == 0
        ? new VirtualDestination.Port(9090, "grpc", null, "grpc")
        : new VirtualDestination.Port(9080, "http", change.c() % 3 == 1 ? null : 9090, null);
    VirtualDestination.Localized localized = null;
    VirtualDestination.StaticFailover staticFailover = null;
    if (change.d() % 3 == 2) {
      staticFailover = new VirtualDestination.StaticFailover(List.of(
          new VirtualDestination.BackingDestination(new ClusterObjectRef("s0", "a", "c" + change.b() % 3)),
          new VirtualDestination.BackingDestination(new ClusterObjectRef("s1", "a", "c" + change.c() % 3))));
    } else {
      Map<String, String> labels = change.d() % 3 == 0 ? Map.of("app", "s" + change.b() % 4) : Map.of("tier", "front");
      localized = new VirtualDestination.Localized(change.d() % 2 == 0 ? OUTLIER : null,
          List.of(new DestinationSelector(new DestinationSelector.KubeServiceMatcher(labels, List.of(), List.of()), null)),
          List.of());
    }
    return new VirtualDestination(new ObjectMeta(name, "gm", (long) change.d(), Map.of()),
        new VirtualDestination.Spec(hostname, port, localized, staticFailover, null, null));
  }

  private static DestinationRule destinationRule(Change change) {
    String host = List.of("s0.a.svc.cluster.local", "*.a.svc.cluster.local", "g0.global", "*", "s1")
        .get(change.b() % 5);
    DestinationRule.LocalityLbSetting locality = change.c() % 2 == 0
        ? new DestinationRule.LocalityLbSetting(null, List.of(), List.of(new DestinationRule.Failover("us-east-1", "eu-west-1")), List.of())
        : null;
    DestinationRule.OutlierDetection outlier = change.d() % 2 == 0
        ? new DestinationRule.OutlierDetection(null, 3, null, null, null, Duration.ofSeconds(10), null, null, change.c() % 50)
        : null;
    return new DestinationRule(new ObjectMeta("dr" + change.a() % 3, "a", 1L, Map.of()), new DestinationRule.Spec(host,
        new DestinationRule.TrafficPolicy(
            new DestinationRule.LoadBalancer(change.c() % 3 == 0 ? "RANDOM" : "", null, locality, null, null),
            outlier, null, null, null, null, null),
        null, List.of(), null));
  }

  private static TrafficPolicy trafficPolicy(Change change) {
    TrafficPolicy.WeightedDestination target = change.c() % 2 == 0
        ? new TrafficPolicy.WeightedDestination(new ObjectRef("vd" + change.c() % 3, "gm"), null, null)
        : new TrafficPolicy.WeightedDestination(null, new TrafficPolicy.KubeServiceDestination("s1", "a", "", null), 1);
    return new TrafficPolicy(new ObjectMeta("tp" + change.a() % 2, "gm", 1L, Map.of()), new TrafficPolicy.Spec(
        List.of(new DestinationSelector(new DestinationSelector.KubeServiceMatcher(
            Map.of("app", "s" + change.b() % 4), List.of(), List.of()), null)),
        new TrafficPolicy.Policy(new TrafficPolicy.TrafficShift(List.of(target)))));
  }
}
