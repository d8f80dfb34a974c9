package dev.vicinity.translator.catalog;

import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.TrafficPolicy;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.ResourceNames;
import dev.vicinity.translator.TrafficShiftRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The traffic shifts a TrafficPolicy sets: for each service it selects, in its cluster, where its traffic goes. */
final class TrafficShifts {
  private TrafficShifts() {}

  /** @param destinations the Envoy cluster names that exist: a shift only goes to those */
  static List<TrafficShiftRule> of(
      TrafficPolicy policy,
      World world,
      PolicySet policies,
      Set<String> destinations,
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
                  .filter(destinations::contains)
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
