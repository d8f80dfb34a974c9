package dev.vicinity.inventory.files;

import com.google.common.collect.ImmutableList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes objects Vicinity reads from one cluster. */
public record KubernetesObjects(List<Node> nodes, List<Service> services, List<EndpointSlice> endpointSlices) {
  public KubernetesObjects {
    nodes = ImmutableList.copyOf(nodes);
    services = ImmutableList.copyOf(services);
    endpointSlices = ImmutableList.copyOf(endpointSlices);
  }

  /** Nodes, Services and EndpointSlices among {@code objects}, each kind in the order given; others are passed over. */
  static KubernetesObjects of(List<?> objects) {
    List<Node> nodes = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    for (Object object : objects) {
      if (object instanceof Node node) {
        nodes.add(node);
      } else if (object instanceof Service service) {
        services.add(service);
      } else if (object instanceof EndpointSlice slice) {
        slices.add(slice);
      }
    }
    return new KubernetesObjects(nodes, services, slices);
  }

  Stream<Object> all() {
    return Stream.of(nodes.stream(), services.stream(), endpointSlices.stream()).flatMap(s -> s);
  }
}
