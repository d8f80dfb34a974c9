package dev.vicinity.api.policy;

import java.util.List;
import java.util.Map;

/**
 * Gloo Mesh's {@code DestinationSelector}: services chosen either by matching labels, namespaces and
 * clusters, or by explicit references. Exactly one of the two is set.
 */
public record DestinationSelector(KubeServiceMatcher kubeServiceMatcher, KubeServiceRefs kubeServiceRefs) {

  /** Services whose labels include all of {@code labels}, in any of {@code namespaces} and {@code clusters} (empty: any). */
  public record KubeServiceMatcher(Map<String, String> labels, List<String> namespaces, List<String> clusters) {
    public KubeServiceMatcher {
      labels = Nulls.map(labels);
      namespaces = Nulls.list(namespaces);
      clusters = Nulls.list(clusters);
    }
  }

  /** Services named one by one. */
  public record KubeServiceRefs(List<ClusterObjectRef> services) {
    public KubeServiceRefs {
      services = Nulls.list(services);
    }
  }
}
