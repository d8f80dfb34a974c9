package dev.vicinity.discovery;

import com.google.common.collect.ImmutableList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes objects Vicinity reads from one cluster. */
public record KubernetesObjects(List<Node> nodes, List<Service> services, List<EndpointSlice> endpointSlices) {
  public KubernetesObjects {
    nodes = ImmutableList.copyOf(nodes);
    services = ImmutableList.copyOf(services);
    endpointSlices = ImmutableList.copyOf(endpointSlices);
  }

  Stream<Object> all() {
    return Stream.of(nodes.stream(), services.stream(), endpointSlices.stream()).flatMap(s -> s);
  }
}
