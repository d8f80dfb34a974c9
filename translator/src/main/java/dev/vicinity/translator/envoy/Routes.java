package dev.vicinity.translator.envoy;

import com.google.protobuf.UInt32Value;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.ResourceNames;
import dev.vicinity.translator.TrafficShiftRule;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One RouteConfiguration per port, with a virtual host per destination on that port. A destination's
 * traffic goes to its own cluster, unless a TrafficPolicy shift scoped to the client's cluster sends it
 * elsewhere.
 */
public final class Routes {
  private Routes() {}

  /** @param destinations the port's destinations, in {@code host:port} order */
  public static RouteConfiguration build(int port, List<Destination> destinations, List<TrafficShiftRule> shifts, ClientProfile client) {
    RouteConfiguration.Builder routes = RouteConfiguration.newBuilder()
        .setName(ResourceNames.routeConfiguration(port));
    for (Destination destination : destinations) { // in host:port order, as the catalog lists them
      Optional<TrafficShiftRule> shift = shifts.stream()
          .filter(rule -> rule.host().equals(destination.host()) && rule.port() == destination.port())
          .findFirst();
      routes.addVirtualHosts(VirtualHost.newBuilder()
          .setName(destination.hostPort())
          .addAllDomains(domains(destination, client))
          .addRoutes(Route.newBuilder()
              .setName("default")
              .setMatch(RouteMatch.newBuilder().setPrefix("/"))
              .setRoute(shift.map(Routes::shifted).orElseGet(() -> toCluster(destination.clusterName())))));
    }
    return routes.build();
  }

  /**
   * The names a client may call a destination by, each with and without the port, as Istio gives them:
   * a service's full name, {@code name.namespace.svc}, {@code name.namespace}, and plain {@code name}
   * for clients in the same namespace.
   */
  public static List<String> domains(Destination destination, ClientProfile client) {
    List<String> names = new ArrayList<>(List.of(destination.host()));
    ResourceNames.parseServiceHost(destination.host()).ifPresent(service -> {
      names.add(service.name() + "." + service.namespace() + ".svc");
      names.add(service.name() + "." + service.namespace());
      if (service.namespace().equals(client.namespace())) {
        names.add(service.name());
      }
    });
    List<String> domains = new ArrayList<>();
    names.forEach(name -> {
      domains.add(name);
      domains.add(ResourceNames.hostPort(name, destination.port()));
    });
    return domains;
  }

  private static RouteAction toCluster(String cluster) {
    return RouteAction.newBuilder().setCluster(cluster).build();
  }

  private static RouteAction shifted(TrafficShiftRule rule) {
    if (rule.targets().size() == 1) {
      return toCluster(rule.targets().get(0).clusterName());
    }
    WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
    rule.targets().forEach(target -> weighted.addClusters(WeightedCluster.ClusterWeight.newBuilder()
        .setName(target.clusterName())
        .setWeight(UInt32Value.of(target.weight()))));
    return RouteAction.newBuilder().setWeightedClusters(weighted).build();
  }
}
