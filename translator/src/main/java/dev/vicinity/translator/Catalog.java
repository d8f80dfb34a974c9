package dev.vicinity.translator;

import com.google.common.collect.ImmutableList;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.TrafficPolicy;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What can be called and where traffic shifts go, worked out once per (World, PolicySet) and shared by
 * every node group; only priorities and shift scoping depend on the client.
 *
 * <p>Kubernetes services follow namespace sameness, as in Istio multi-cluster: {@code reviews.bookinfo}
 * in every cluster is one host, backed by the endpoints of all of them. A VirtualDestination hostname
 * backed by the services its selectors pick, on the port its {@code port} names. Where two
 * destinations would claim the same host and port, a VirtualDestination wins over a service and the
 * first VirtualDestination (by namespace/name) over later ones. The DestinationRule for a host (a
 * service's or a VirtualDestination's) sets its outlier detection, load balancer and locality settings.
 */
public record Catalog(List<Destination> destinations, List<TrafficShiftRule> shifts) {
  public Catalog {
    destinations = ImmutableList.copyOf(destinations);
    shifts = ImmutableList.copyOf(shifts);
  }

  public static Catalog build(World world, PolicySet policies) {
    Map<EndpointKey, List<Endpoint>> endpoints =
        world.endpoints().collect(Collectors.groupingBy(EndpointKey::of));
    Map<String, Destination> byCluster = new LinkedHashMap<>();
    for (VirtualDestination vd : policies.virtualDestinations()) {
      virtualDestination(vd, world, policies, endpoints).ifPresent(d -> byCluster.putIfAbsent(d.clusterName(), d));
    }
    for (Destination service : services(world, policies, endpoints)) {
      byCluster.putIfAbsent(service.clusterName(), service);
    }
    List<TrafficShiftRule> shifts = new ArrayList<>();
    Map<String, TrafficShiftRule> claimed = new LinkedHashMap<>();
    for (TrafficPolicy policy : policies.trafficPolicies()) {
      for (TrafficShiftRule rule : shifts(policy, world, policies, byCluster)) {
        String key = rule.clientCluster() + "|" + rule.host() + ":" + rule.port();
        if (claimed.putIfAbsent(key, rule) == null) {
          shifts.add(rule);
        }
      }
    }
    return new Catalog(List.copyOf(byCluster.values()), shifts);
  }

  public Optional<Destination> destination(String clusterName) {
    return destinations.stream().filter(d -> d.clusterName().equals(clusterName)).findFirst();
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
        destinations.add(new Destination(host, number, protocol, backing,
            withRule(host, LoadBalancing.DEFAULT, policies), Optional.empty()));
      }
    });
    return destinations;
  }

  private static Optional<Destination> virtualDestination(
      VirtualDestination vd, World world, PolicySet policies, Map<EndpointKey, List<Endpoint>> endpoints) {
    VirtualDestination.Spec spec = vd.spec();
    if (spec.localized() == null) {
      return Optional.empty(); // static (ordered) failover is not translated yet
    }
    VirtualDestination.Port port = spec.port();
    List<Endpoint> backing = new ArrayList<>();
    world.services()
        .filter(service -> ServiceSelection.selectedByAny(spec.localized().destinationSelectors(), service))
        .forEach(service -> backendPort(service, port)
            .ifPresent(p -> backing.addAll(endpoints.getOrDefault(EndpointKey.of(service, p), List.of()))));
    LoadBalancing own = spec.localized().outlierDetection() == null
        ? LoadBalancing.DEFAULT
        : new LoadBalancing(Optional.of(OutlierDetections.gloo(spec.localized().outlierDetection())), 0,
            LoadBalancing.DEFAULT.policy(), LoadBalancing.DEFAULT_LOCALITY, Optional.empty());
    return Optional.of(new Destination(
        spec.hostname(),
        port.number(),
        PortProtocol.parse(port.protocol()),
        backing,
        withRule(spec.hostname(), own, policies),
        Optional.of(vd.ref())));
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
      TrafficPolicy policy, World world, PolicySet policies, Map<String, Destination> destinations) {
    TrafficPolicy.TrafficShift shift = policy.spec().policy().trafficShift();
    List<TrafficShiftRule> rules = new ArrayList<>();
    world.services()
        .filter(service -> ServiceSelection.selectedByAny(policy.spec().destinationSelector(), service))
        .forEach(service -> {
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
    return rules;
  }

  /** The Envoy cluster a shift destination names, if the policy it names exists. */
  private static Optional<String> target(
      TrafficPolicy.WeightedDestination target, int requestedPort, TrafficPolicy policy, PolicySet policies) {
    if (target.virtualDestination() != null) {
      ObjectRef ref = target.virtualDestination();
      ObjectRef resolved = ref.namespace().isEmpty() ? new ObjectRef(ref.name(), policy.metadata().namespace()) : ref;
      return policies.virtualDestination(resolved)
          .map(vd -> ResourceNames.outboundCluster(vd.spec().hostname(), vd.spec().port().number()));
    }
    TrafficPolicy.KubeServiceDestination service = target.kubeService();
    int port = service.port() != null ? service.port() : requestedPort;
    return Optional.of(ResourceNames.outboundCluster(
        ResourceNames.serviceHost(new ServiceKey(service.namespace(), service.name())), port));
  }
}
