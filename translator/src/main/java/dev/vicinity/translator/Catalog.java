package dev.vicinity.translator;

import dev.vicinity.api.policy.PolicyStatus;
import com.google.common.collect.ImmutableList;
import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.TrafficPolicy;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.World;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What can be called and where traffic shifts go, worked out once per (World, PolicySet, meshes) and
 * shared by every node group; only priorities, visibility and shift scoping depend on the client.
 *
 * <p>Kubernetes services follow namespace sameness, as in Istio multi-cluster: {@code reviews.bookinfo}
 * in every cluster is one host, backed by the endpoints of all of them. A VirtualDestination hostname
 * is backed by the services its selectors (or its static list) pick, on the port its {@code port}
 * names. Where two destinations would claim the same host and port, a VirtualDestination wins over a
 * service and the first VirtualDestination (by namespace/name) over later ones. The DestinationRule for
 * a host (a service's or a VirtualDestination's) sets its outlier detection, load balancer and locality
 * settings. Every policy gets a {@link PolicyStatus}. Destinations are listed in {@code host:port} order.
 */
public record Catalog(
    List<Destination> destinations,
    List<TrafficShiftRule> shifts,
    List<PolicyStatus> statuses,
    MeshTopology meshes,
    Map<String, Cluster> clusters,
    Map<Endpoint, LbEndpoint> lbEndpoints) {
  public Catalog {
    destinations = ImmutableList.copyOf(destinations);
    shifts = ImmutableList.copyOf(shifts);
    statuses = ImmutableList.copyOf(statuses);
    clusters = Collections.unmodifiableMap(clusters);
    lbEndpoints = Collections.unmodifiableMap(lbEndpoints);
  }

  /**
   * Builds the catalog, and once for every node group the parts of their resources that do not depend
   * on who asks: each destination's Cluster and each endpoint's LbEndpoint (immutable protos, shared).
   */
  private static Catalog of(List<Destination> destinations, List<TrafficShiftRule> shifts, List<PolicyStatus> statuses,
      MeshTopology meshes) {
    Map<String, Cluster> clusters = new HashMap<>();
    // Keyed by identity: destinations hold the world's own Endpoint instances, and hashing records is slow.
    Map<Endpoint, LbEndpoint> lbEndpoints = new IdentityHashMap<>();
    for (Destination destination : destinations) {
      clusters.put(destination.clusterName(), Clusters.build(destination));
      destination.endpoints().forEach(e -> lbEndpoints.computeIfAbsent(e, LoadAssignments::lbEndpoint));
    }
    return new Catalog(destinations, shifts, statuses, meshes, clusters, lbEndpoints);
  }

  /**
   * The names of the clusters whose load assignments may differ from {@code previous}'s, when endpoints
   * are all that changed: the same destinations in the same order, alike but for their endpoints, with
   * the same Clusters, shifts and meshes. Empty when anything else changed, so that every resource of
   * every group must be translated again. Statuses are not compared: they are published on their own.
   */
  public Optional<Set<String>> endpointOnlyChangesSince(Catalog previous) {
    if (destinations.size() != previous.destinations.size() || !shifts.equals(previous.shifts)
        || !meshes.equals(previous.meshes) || !clusters.equals(previous.clusters)) {
      return Optional.empty();
    }
    Set<String> changed = new TreeSet<>();
    for (int i = 0; i < destinations.size(); i++) {
      Destination now = destinations.get(i);
      Destination before = previous.destinations.get(i);
      if (!now.differsOnlyInEndpoints(before)) {
        return Optional.empty();
      }
      if (!now.endpoints().equals(before.endpoints())) {
        changed.add(now.clusterName());
      }
    }
    return Optional.of(Collections.unmodifiableSet(changed));
  }

  /** Without meshes configured: every VirtualDestination is visible to every client. */
  public static Catalog build(World world, PolicySet policies) {
    return build(world, policies, MeshTopology.NONE);
  }

  public static Catalog build(World world, PolicySet policies, MeshTopology meshes) {
    Map<EndpointKey, List<Endpoint>> endpoints =
        world.endpoints().collect(Collectors.groupingBy(EndpointKey::of));
    Map<String, Destination> byCluster = new LinkedHashMap<>();
    List<PolicyStatus> statuses = new ArrayList<>();
    for (VirtualDestination vd : policies.virtualDestinations()) {
      Problems problems = new Problems();
      List<ClusterObjectRef> selected = new ArrayList<>();
      Optional<Destination> destination = virtualDestination(vd, world, policies, meshes, endpoints, selected, problems);
      destination.ifPresent(d -> {
        Destination taken = byCluster.get(d.clusterName());
        if (taken != null) {
          problems.fail(d.hostPort() + " is already served by VirtualDestination " + taken.origin().orElseThrow());
        } else if (problems.failed()) {
          return;
        } else {
          byCluster.put(d.clusterName(), d);
        }
      });
      statuses.add(problems.status(PolicyKind.VIRTUAL_DESTINATION, vd.ref(), vd.metadata().generation(), selected,
          destination.filter(d -> !problems.failed()).map(d -> List.of(d.hostPort())).orElse(List.of())));
    }
    for (Destination service : services(world, policies, endpoints)) {
      byCluster.putIfAbsent(service.clusterName(), service);
    }
    List<TrafficShiftRule> shifts = new ArrayList<>();
    Map<String, TrafficShiftRule> claimed = new LinkedHashMap<>();
    for (TrafficPolicy policy : policies.trafficPolicies()) {
      Problems problems = new Problems();
      List<ClusterObjectRef> selected = new ArrayList<>();
      List<String> appliedTo = new ArrayList<>();
      for (TrafficShiftRule rule : shifts(policy, world, policies, byCluster, selected, problems)) {
        String key = rule.clientCluster() + "|" + rule.host() + ":" + rule.port();
        TrafficShiftRule earlier = claimed.putIfAbsent(key, rule);
        if (earlier == null) {
          shifts.add(rule);
          appliedTo.add(rule.clientCluster() + ": " + rule.host() + ":" + rule.port());
        } else {
          problems.error("the shift of " + rule.host() + ":" + rule.port() + " in " + rule.clientCluster()
              + " is already set by TrafficPolicy " + earlier.policy());
        }
      }
      if (appliedTo.isEmpty() && !problems.failed()) {
        problems.fail("applies to nothing");
      }
      statuses.add(problems.status(PolicyKind.TRAFFIC_POLICY, policy.ref(), policy.metadata().generation(), selected, appliedTo));
    }
    for (DestinationRule rule : policies.destinationRules()) {
      List<String> hosts = byCluster.values().stream()
          .filter(d -> d.loadBalancing().destinationRule().filter(rule.ref()::equals).isPresent())
          .map(Destination::hostPort)
          .toList();
      statuses.add(new Problems().status(PolicyKind.DESTINATION_RULE, rule.ref(), rule.metadata().generation(), List.of(), hosts));
    }
    return of(sortedByHostPort(byCluster.values()), shifts, statuses, meshes);
  }

  /** Destinations in {@code host:port} order, each key computed once (route tables list them so). */
  private static List<Destination> sortedByHostPort(java.util.Collection<Destination> destinations) {
    TreeMap<String, Destination> sorted = new TreeMap<>();
    destinations.forEach(d -> sorted.put(d.hostPort(), d));
    return List.copyOf(sorted.values());
  }

  public Optional<Destination> destination(String clusterName) {
    return destinations.stream().filter(d -> d.clusterName().equals(clusterName)).findFirst();
  }

  /** Collects a policy's errors; any failure makes it FAILED, other errors are reported beside ACCEPTED. */
  private static final class Problems {
    private final List<String> errors = new ArrayList<>();
    private boolean failed;

    void error(String message) {
      errors.add(message);
    }

    void fail(String message) {
      errors.add(message);
      failed = true;
    }

    boolean failed() {
      return failed;
    }

    PolicyStatus status(PolicyKind kind, ObjectRef ref, long generation, List<ClusterObjectRef> selected, List<String> appliedTo) {
      return new PolicyStatus(kind, ref, generation, failed ? PolicyStatus.State.FAILED : PolicyStatus.State.ACCEPTED,
          errors, selected, appliedTo);
    }
  }

  private record EndpointKey(ClusterId cluster, ServiceKey service, String portName) {
    static EndpointKey of(Endpoint endpoint) {
      return new EndpointKey(endpoint.cluster(), endpoint.service(), endpoint.portName());
    }

    static EndpointKey of(DiscoveredService service, ServicePort port) {
      return new EndpointKey(service.cluster(), service.key(), port.name());
    }
  }

  private static List<Destination> services(World world, PolicySet policies, Map<EndpointKey, List<Endpoint>> endpoints) {
    Map<ServiceKey, List<DiscoveredService>> byKey =
        world.services().collect(Collectors.groupingBy(DiscoveredService::key, TreeMap::new, Collectors.toList()));
    List<Destination> destinations = new ArrayList<>();
    byKey.forEach((key, instances) -> {
      TreeSet<Integer> numbers = new TreeSet<>();
      instances.forEach(s -> s.ports().forEach(p -> numbers.add(p.port())));
      for (int number : numbers) {
        List<Endpoint> backing = new ArrayList<>();
        PortProtocol protocol = null;
        for (DiscoveredService instance : instances) {
          Optional<ServicePort> port = instance.portNumbered(number);
          if (port.isPresent()) {
            protocol = protocol == null ? PortProtocol.of(port.get()) : protocol;
            backing.addAll(endpoints.getOrDefault(EndpointKey.of(instance, port.get()), List.of()));
          }
        }
        String host = ResourceNames.serviceHost(key);
        destinations.add(Destination.of(host, number, protocol, backing,
            withRule(host, LoadBalancing.DEFAULT, policies), Optional.empty()));
      }
    });
    return destinations;
  }

  private static Optional<Destination> virtualDestination(
      VirtualDestination vd,
      World world,
      PolicySet policies,
      MeshTopology meshes,
      Map<EndpointKey, List<Endpoint>> endpoints,
      List<ClusterObjectRef> selected,
      Problems problems) {
    VirtualDestination.Spec spec = vd.spec();
    VirtualDestination.Port port = spec.port();
    List<DiscoveredService> services = new ArrayList<>();
    Map<String, Integer> fixedRanks = new HashMap<>();
    if (spec.localized() != null) {
      world.services()
          .filter(service -> ServiceSelection.selectedByAny(spec.localized().destinationSelectors(), service))
          .forEach(services::add);
    } else {
      List<VirtualDestination.BackingDestination> list = spec.staticFailover().destinations();
      for (int rank = 0; rank < list.size(); rank++) {
        ClusterObjectRef ref = list.get(rank).kubeService();
        Optional<DiscoveredService> found = world.services()
            .filter(s -> s.name().equals(ref.name()) && s.namespace().equals(ref.namespace())
                && s.cluster().value().equals(ref.clusterName()))
            .findFirst();
        if (found.isEmpty()) {
          problems.error("static destination " + ref + " does not exist");
        } else if (fixedRanks.putIfAbsent(ref.toString(), rank) == null) {
          services.add(found.get());
        }
      }
    }
    List<Endpoint> backing = new ArrayList<>();
    for (DiscoveredService service : services) {
      Optional<ServicePort> backend = backendPort(service, port);
      if (backend.isEmpty()) {
        problems.error("service " + service.cluster() + "/" + service.namespace() + "/" + service.name() + " has no port "
            + (port.targetName().isEmpty() ? Integer.toString(port.backendNumber()) : "named " + port.targetName()));
        continue;
      }
      selected.add(new ClusterObjectRef(service.name(), service.namespace(), service.cluster().value()));
      backing.addAll(endpoints.getOrDefault(EndpointKey.of(service, backend.get()), List.of()));
    }
    if (selected.isEmpty()) {
      problems.fail("selects no service with the port it forwards to");
    }
    Optional<Set<String>> visibleTo = visibility(vd, meshes, problems);
    LoadBalancing own = new LoadBalancing(
        Optional.ofNullable(spec.localized()).map(VirtualDestination.Localized::outlierDetection).map(OutlierDetections::gloo),
        0,
        LoadBalancing.DEFAULT.policy(),
        LoadBalancing.DEFAULT_LOCALITY,
        spec.localized() == null ? List.of() : spec.localized().failoverDirectives(),
        Optional.empty());
    return Optional.of(new Destination(
        spec.hostname(),
        port.number(),
        PortProtocol.parse(port.protocol()),
        backing,
        withRule(spec.hostname(), own, policies),
        Optional.of(vd.ref()),
        visibleTo,
        fixedRanks));
  }

  /**
   * The clusters whose clients see a VirtualDestination: those of the meshes of its virtual mesh or
   * mesh list. Without meshes in {@code vicinity.yaml}, every client sees it.
   */
  private static Optional<Set<String>> visibility(VirtualDestination vd, MeshTopology meshes, Problems problems) {
    if (!meshes.restrictsVisibility()) {
      return Optional.empty();
    }
    if (vd.spec().virtualMesh() != null) {
      ObjectRef ref = vd.spec().virtualMesh();
      ObjectRef resolved = ref.namespace().isEmpty() ? new ObjectRef(ref.name(), vd.metadata().namespace()) : ref;
      Optional<Set<String>> clusters = meshes.clustersOfVirtualMesh(resolved);
      if (clusters.isEmpty()) {
        problems.fail("virtual mesh " + resolved + " is not defined in vicinity.yaml (virtualMeshes)");
        return Optional.of(Set.of());
      }
      return clusters;
    }
    if (vd.spec().meshList() != null) {
      vd.spec().meshList().meshes().stream().filter(m -> !meshes.meshExists(m))
          .forEach(m -> problems.error("mesh " + m + " is not defined in vicinity.yaml (meshes)"));
      return Optional.of(meshes.clustersOf(vd.spec().meshList().meshes()));
    }
    problems.fail("names neither a virtualMesh nor a meshList, so no client can see it");
    return Optional.of(Set.of());
  }

  /** The DestinationRule for the host, if any, applied over what the destination has of its own. */
  private static LoadBalancing withRule(String host, LoadBalancing own, PolicySet policies) {
    return DestinationRules.forHost(host, policies).map(rule -> DestinationRules.apply(rule, own)).orElse(own);
  }

  /** The selected service's port a VirtualDestination forwards to: by name if named, else by number. */
  private static Optional<ServicePort> backendPort(DiscoveredService service, VirtualDestination.Port port) {
    return port.targetName().isEmpty()
        ? service.portNumbered(port.backendNumber())
        : service.portNamed(port.targetName());
  }

  private static List<TrafficShiftRule> shifts(
      TrafficPolicy policy,
      World world,
      PolicySet policies,
      Map<String, Destination> destinations,
      List<ClusterObjectRef> selected,
      Problems problems) {
    TrafficPolicy.TrafficShift shift = policy.spec().policy().trafficShift();
    List<TrafficShiftRule> rules = new ArrayList<>();
    for (TrafficPolicy.WeightedDestination target : shift.destinations()) {
      if (target.virtualDestination() != null && resolve(target.virtualDestination(), policy, policies).isEmpty()) {
        problems.error("VirtualDestination " + namespaced(target.virtualDestination(), policy) + " does not exist");
      }
    }
    world.services()
        .filter(service -> ServiceSelection.selectedByAny(policy.spec().destinationSelector(), service))
        .forEach(service -> {
          selected.add(new ClusterObjectRef(service.name(), service.namespace(), service.cluster().value()));
          for (ServicePort port : service.ports()) {
            List<TrafficShiftRule.WeightedCluster> targets = new ArrayList<>();
            for (TrafficPolicy.WeightedDestination target : shift.destinations()) {
              target(target, port.port(), policy, policies)
                  .filter(destinations::containsKey)
                  .ifPresent(cluster -> targets.add(new TrafficShiftRule.WeightedCluster(cluster, target.weightOrDefault())));
            }
            if (!targets.isEmpty() && targets.stream().mapToInt(TrafficShiftRule.WeightedCluster::weight).sum() > 0) {
              rules.add(new TrafficShiftRule(
                  policy.ref(), service.cluster().value(), ResourceNames.serviceHost(service.key()), port.port(), targets));
            }
          }
        });
    if (selected.isEmpty()) {
      problems.fail("selects no service");
    }
    return rules;
  }

  private static ObjectRef namespaced(ObjectRef ref, TrafficPolicy policy) {
    return ref.namespace().isEmpty() ? new ObjectRef(ref.name(), policy.metadata().namespace()) : ref;
  }

  private static Optional<VirtualDestination> resolve(ObjectRef ref, TrafficPolicy policy, PolicySet policies) {
    return policies.virtualDestination(namespaced(ref, policy));
  }

  /** The Envoy cluster a shift destination names, if the policy it names exists. */
  private static Optional<String> target(
      TrafficPolicy.WeightedDestination target, int requestedPort, TrafficPolicy policy, PolicySet policies) {
    if (target.virtualDestination() != null) {
      return resolve(target.virtualDestination(), policy, policies)
          .map(vd -> ResourceNames.outboundCluster(vd.spec().hostname(), vd.spec().port().number()));
    }
    TrafficPolicy.KubeServiceDestination service = target.kubeService();
    int port = service.port() != null ? service.port() : requestedPort;
    return Optional.of(ResourceNames.outboundCluster(
        ResourceNames.serviceHost(new ServiceKey(service.namespace(), service.name())), port));
  }
}
