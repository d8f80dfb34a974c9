package dev.vicinity.translator;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pure translation: (catalog of the world and policies, client profile) to the Envoy resources of
 * that client's node group. No I/O, clocks or shared state: equal inputs give equal outputs.
 */
public final class Translator {
  private Translator() {}

  public static XdsResources translate(Catalog catalog, ClientProfile client) {
    List<TrafficShiftRule> shifts = catalog.shifts().stream()
        .filter(rule -> !client.cluster().isEmpty() && rule.clientCluster().equals(client.cluster()))
        .toList();
    Map<Integer, List<Destination>> byPort = new TreeMap<>();
    catalog.destinations().forEach(d -> byPort.computeIfAbsent(d.port(), p -> new ArrayList<>()).add(d));

    List<RouteConfiguration> routes = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    byPort.forEach((port, destinations) -> {
      // A route configuration only exists where a listener asks for it (Snapshot.ensureConsistent).
      switch (client.kind()) {
        case GRPC -> {
          destinations.forEach(d -> listeners.add(Listeners.grpc(d)));
          routes.add(Routes.build(port, destinations, shifts));
        }
        case ENVOY -> {
          if (destinations.stream().anyMatch(d -> d.protocol().isHttp())) {
            listeners.add(Listeners.envoy(port));
            routes.add(Routes.build(port, destinations, shifts));
          }
        }
      }
    });
    return new XdsResources(
        catalog.destinations().stream().map(Clusters::build).toList(),
        catalog.destinations().stream().map(d -> LoadAssignments.build(d, client)).toList(),
        listeners,
        routes);
  }
}
