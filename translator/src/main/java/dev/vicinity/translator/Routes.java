package dev.vicinity.translator;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.List;
import java.util.Optional;

/**
 * One RouteConfiguration per port, with a virtual host per destination on that port. A destination's
 * traffic goes to its own cluster, unless a TrafficPolicy shift scoped to the client's cluster sends it
 * elsewhere.
 */
final class Routes {
  private Routes() {}

  static RouteConfiguration build(int port, List<Destination> destinations, List<TrafficShiftRule> shifts) {
    RouteConfiguration.Builder routes = RouteConfiguration.newBuilder()
        .setName(ResourceNames.routeConfiguration(port));
    for (Destination destination : destinations.stream().sorted(java.util.Comparator.comparing(Destination::hostPort)).toList()) {
      Optional<TrafficShiftRule> shift = shifts.stream()
          .filter(rule -> rule.host().equals(destination.host()) && rule.port() == destination.port())
          .findFirst();
      routes.addVirtualHosts(VirtualHost.newBuilder()
          .setName(destination.hostPort())
          .addDomains(destination.host())
          .addDomains(destination.hostPort())
          .addRoutes(Route.newBuilder()
              .setName("default")
              .setMatch(RouteMatch.newBuilder().setPrefix("/"))
              .setRoute(shift.map(Routes::shifted).orElseGet(() -> toCluster(destination.clusterName())))));
    }
    return routes.build();
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
