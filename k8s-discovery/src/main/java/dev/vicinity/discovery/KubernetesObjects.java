package dev.vicinity.discovery;

import com.google.common.collect.ImmutableList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes objects Vicinity reads from one cluster. */
public record KubernetesObjects(List<Node> nodes, List<Service> services, List<EndpointSlice> endpointSlices) {
  public static final KubernetesObjects EMPTY = new KubernetesObjects(List.of(), List.of(), List.of());

  public KubernetesObjects {
    nodes = ImmutableList.copyOf(nodes);
    services = ImmutableList.copyOf(services);
    endpointSlices = ImmutableList.copyOf(endpointSlices);
  }

  public static KubernetesObjects merge(Collection<KubernetesObjects> parts) {
    return new KubernetesObjects(
        parts.stream().flatMap(p -> p.nodes().stream()).toList(),
        parts.stream().flatMap(p -> p.services().stream()).toList(),
        parts.stream().flatMap(p -> p.endpointSlices().stream()).toList());
  }

  public int size() {
    return nodes.size() + services.size() + endpointSlices.size();
  }

  Stream<Object> all() {
    return Stream.of(nodes.stream(), services.stream(), endpointSlices.stream()).flatMap(s -> s);
  }
}
