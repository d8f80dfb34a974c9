package dev.vicinity.api.world;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Kubernetes Service seen in one cluster. */
public record DiscoveredService(
    ClusterId cluster, ServiceKey key, Map<String, String> labels, List<ServicePort> ports) {
  public DiscoveredService {
    labels = ImmutableSortedMap.copyOf(labels);
    ports = ImmutableList.copyOf(ports);
  }

  public String namespace() {
    return key.namespace();
  }

  public String name() {
    return key.name();
  }

  public Optional<ServicePort> portNumbered(int number) {
    return ports.stream().filter(p -> p.port() == number).findFirst();
  }

  public Optional<ServicePort> portNamed(String name) {
    return ports.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
