package dev.vicinity.translator;

import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.Listeners;
import dev.vicinity.translator.envoy.LoadAssignments;
import dev.vicinity.translator.envoy.Routes;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pure translation: (catalog of the world and policies, client profile) to the Envoy resources of
 * that client's node group. No I/O, clocks or shared state: equal inputs give equal outputs.
 */
public final class Translator {
  private Translator() {}

  public static XdsResources translate(Catalog catalog, ClientProfile client) {
    return translate(catalog, client, TranslationOptions.DEFAULTS);
  }

  public static XdsResources translate(Catalog catalog, ClientProfile client, TranslationOptions options) {
    List<Destination> visible = catalog.destinations().stream().filter(d -> d.visibleTo(client)).toList();
    Set<String> visibleClusters = visible.stream().map(Destination::clusterName).collect(Collectors.toSet());
    List<TrafficShiftRule> shifts = catalog.shifts().stream()
        .filter(rule -> !client.cluster().isEmpty() && rule.clientCluster().equals(client.cluster()))
        .map(rule -> visibleTargets(rule, visibleClusters))
        .flatMap(Optional::stream)
        .toList();
    Map<Integer, List<Destination>> byPort = new TreeMap<>();
    visible.forEach(d -> byPort.computeIfAbsent(d.port(), p -> new ArrayList<>()).add(d));

    List<RouteConfiguration> routes = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    byPort.forEach((port, destinations) -> {
      // A route configuration only exists where a listener asks for it (Snapshot.ensureConsistent).
      switch (client.kind()) {
        case GRPC -> {
          destinations.forEach(d -> listeners.add(Listeners.grpc(d)));
          routes.add(Routes.build(port, destinations, shifts, client));
        }
        case ENVOY -> {
          List<Destination> tcp = destinations.stream().filter(d -> !d.protocol().isHttp()).toList();
          if (tcp.size() < destinations.size()) {
            // An HTTP port: one listener routing by Host. TCP destinations on the same port need their
            // own service addresses to be told apart, which Vicinity does not model yet.
            listeners.add(Listeners.envoyHttp(options.envoyListenerAddress(), port));
            routes.add(Routes.build(port, destinations, shifts, client));
          } else if (tcp.size() == 1) {
            listeners.add(Listeners.envoyTcp(options.envoyListenerAddress(), tcp.get(0)));
          }
        }
      }
    });
    LoadAssignments assignments = LoadAssignments.forClient(client, catalog.meshes(), catalog.lbEndpoints());
    return new XdsResources(
        visible.stream().map(d -> catalog.clusters().get(d.clusterName())).toList(),
        visible.stream().map(assignments::build).toList(),
        listeners,
        routes);
  }

  /**
   * Only the load assignments of the catalog's {@code destinations} that this client sees: what an
   * endpoint-only change ({@link Catalog#endpointOnlyChangesSince}) needs rebuilt, equal to those
   * {@link #translate} builds.
   */
  public static List<ClusterLoadAssignment> loadAssignments(Catalog catalog, ClientProfile client,
      Collection<Destination> destinations) {
    LoadAssignments assignments = LoadAssignments.forClient(client, catalog.meshes(), catalog.lbEndpoints());
    return destinations.stream().filter(d -> d.visibleTo(client)).map(assignments::build).toList();
  }

  /** A shift keeps only the targets this client can see; with none left, the service keeps its route. */
  private static Optional<TrafficShiftRule> visibleTargets(TrafficShiftRule rule, Set<String> visibleClusters) {
    List<TrafficShiftRule.WeightedCluster> targets =
        rule.targets().stream().filter(t -> visibleClusters.contains(t.clusterName())).toList();
    if (targets.isEmpty() || targets.stream().mapToInt(TrafficShiftRule.WeightedCluster::weight).sum() == 0) {
      return Optional.empty();
    }
    return Optional.of(new TrafficShiftRule(rule.policy(), rule.clientCluster(), rule.host(), rule.port(), targets));
  }
}
