package dev.vicinity.translator.catalog;

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
    // Loops rather than streams: every VirtualDestination asks this of every service in the world.
    for (DestinationSelector selector : selectors) {
      if (selects(selector, service)) {
        return true;
      }
    }
    return false;
  }

  static boolean selects(DestinationSelector selector, DiscoveredService service) {
    if (selector.kubeServiceRefs() != null) {
      for (ClusterObjectRef ref : selector.kubeServiceRefs().services()) {
        if (refersTo(ref, service)) {
          return true;
        }
      }
      return false;
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
    for (Map.Entry<String, String> label : required.entrySet()) {
      if (!label.getValue().equals(labels.get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
