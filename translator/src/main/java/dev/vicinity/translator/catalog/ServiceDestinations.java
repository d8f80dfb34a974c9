package dev.vicinity.translator.catalog;

import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.LoadBalancing;
import dev.vicinity.translator.PortProtocol;
import dev.vicinity.translator.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A Kubernetes service's destinations, one per port number. Services follow namespace sameness, as in
 * Istio multi-cluster: {@code reviews.bookinfo} in every cluster is one host, backed by the endpoints of
 * all of them.
 */
final class ServiceDestinations {
  private ServiceDestinations() {}

  /** @param instances the service in every cluster that has it, in the world's cluster order */
  static List<Destination> of(ServiceKey key, List<DiscoveredService> instances, WorldIndex index, DestinationRules rules) {
    TreeSet<Integer> numbers = new TreeSet<>();
    instances.forEach(s -> s.ports().forEach(p -> numbers.add(p.port())));
    String host = ResourceNames.serviceHost(key);
    LoadBalancing loadBalancing = rules.withRule(host, LoadBalancing.DEFAULT);
    List<Destination> destinations = new ArrayList<>();
    for (int number : numbers) {
      List<Endpoint> backing = new ArrayList<>();
      PortProtocol protocol = null;
      for (DiscoveredService instance : instances) {
        Optional<ServicePort> port = instance.portNumbered(number);
        if (port.isPresent()) {
          protocol = protocol == null ? PortProtocol.of(port.get()) : protocol;
          backing.addAll(index.endpoints(instance.cluster(), key, port.get().name()));
        }
      }
      destinations.add(Destination.of(host, number, protocol, backing, loadBalancing, Optional.empty()));
    }
    return List.copyOf(destinations);
  }
}
