package dev.vicinity.api.policy;

import com.google.common.collect.ImmutableList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every valid policy in force, sorted by namespace and name so equal inputs give equal sets. */
public record PolicySet(
    List<VirtualDestination> virtualDestinations,
    List<TrafficPolicy> trafficPolicies,
    List<DestinationRule> destinationRules) {
  public static final PolicySet EMPTY = new PolicySet(List.of(), List.of(), List.of());

  public PolicySet {
    virtualDestinations = sorted(virtualDestinations);
    trafficPolicies = sorted(trafficPolicies);
    destinationRules = sorted(destinationRules);
  }

  public static PolicySet of(Collection<? extends Policy> policies) {
    return new PolicySet(
        ofKind(policies, VirtualDestination.class), ofKind(policies, TrafficPolicy.class), ofKind(policies, DestinationRule.class));
  }

  private static <T extends Policy> List<T> ofKind(Collection<? extends Policy> policies, Class<T> kind) {
    return policies.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  public Optional<VirtualDestination> virtualDestination(ObjectRef ref) {
    return virtualDestinations.stream().filter(vd -> vd.ref().equals(ref)).findFirst();
  }

  private static <T extends Policy> List<T> sorted(List<T> policies) {
    return policies.stream().sorted(Comparator.comparing(Policy::ref)).collect(ImmutableList.toImmutableList());
  }
}
