package dev.vicinity.translator;

import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.world.DiscoveredService;
import java.util.List;
import java.util.Map;

/** Gloo Mesh's destination selectors applied to discovered services. */
final class ServiceSelection {
  private ServiceSelection() {}

  /** True when any selector picks the service (an empty list picks nothing). */
  static boolean selectedByAny(List<DestinationSelector> selectors, DiscoveredService service) {
    return selectors.stream().anyMatch(selector -> selects(selector, service));
  }

  static boolean selects(DestinationSelector selector, DiscoveredService service) {
    if (selector.kubeServiceRefs() != null) {
      return selector.kubeServiceRefs().services().stream().anyMatch(ref -> refersTo(ref, service));
    }
    DestinationSelector.KubeServiceMatcher matcher = selector.kubeServiceMatcher();
    return matcher != null
        && hasLabels(service.labels(), matcher.labels())
        && (matcher.namespaces().isEmpty() || matcher.namespaces().contains(service.namespace()))
        && (matcher.clusters().isEmpty() || matcher.clusters().contains(service.cluster().value()));
  }

  private static boolean refersTo(ClusterObjectRef ref, DiscoveredService service) {
    return ref.name().equals(service.name())
        && ref.namespace().equals(service.namespace())
        && ref.clusterName().equals(service.cluster().value());
  }

  private static boolean hasLabels(Map<String, String> labels, Map<String, String> required) {
    return required.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
