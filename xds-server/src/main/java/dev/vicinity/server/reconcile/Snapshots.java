package dev.vicinity.server.reconcile;

import dev.vicinity.server.xds.SharedResources;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Turns a node group's resources into a consistent snapshot with content-hash versions. */
final class Snapshots {
  private Snapshots() {}

  /**
   * A consistent snapshot: every EDS cluster has its load assignment (and there is no other), every
   * route configuration a listener names exists (and no other), every route targets an existing cluster.
   * Throws otherwise.
   */
  static XdsSnapshot of(XdsResources resources, SharedResources shared) throws SnapshotConsistencyException {
    Set<String> clusters = new HashSet<>();
    Set<String> assignmentsNeeded = new TreeSet<>();
    for (Cluster cluster : resources.clusters()) {
      clusters.add(cluster.getName());
      if (cluster.hasEdsClusterConfig()) {
        String serviceName = cluster.getEdsClusterConfig().getServiceName();
        assignmentsNeeded.add(serviceName.isEmpty() ? cluster.getName() : serviceName);
      }
    }
    Set<String> assignments = new TreeSet<>();
    resources.endpoints().forEach(assignment -> assignments.add(assignment.getClusterName()));
    ensureSame("load assignments", assignmentsNeeded, assignments);
    Set<String> routesNeeded = new TreeSet<>();
    for (Listener listener : resources.listeners()) {
      managers(listener).filter(HttpConnectionManager::hasRds)
          .forEach(manager -> routesNeeded.add(manager.getRds().getRouteConfigName()));
    }
    Set<String> routes = new TreeSet<>();
    resources.routes().forEach(route -> routes.add(route.getName()));
    ensureSame("route configurations", routesNeeded, routes);
    ensureRoutesTargetClusters(resources.routes(), clusters);
    return XdsSnapshot.of(Map.of(
        XdsType.CLUSTER, resources.clusters(),
        XdsType.ENDPOINT, resources.endpoints(),
        XdsType.LISTENER, resources.listeners(),
        XdsType.ROUTE, resources.routes()), shared);
  }

  private static void ensureSame(String what, Set<String> needed, Set<String> present) throws SnapshotConsistencyException {
    if (!needed.equals(present)) {
      Set<String> missing = new TreeSet<>(needed);
      missing.removeAll(present);
      Set<String> unused = new TreeSet<>(present);
      unused.removeAll(needed);
      throw new SnapshotConsistencyException(what + " do not match what refers to them: missing " + missing
          + ", not referred to " + unused);
    }
  }

  /** Every HTTP connection manager of the listener: in its filter chains, or its gRPC api_listener. */
  private static Stream<HttpConnectionManager> managers(Listener listener) {
    Stream<Any> configs = Stream.concat(
        listener.hasApiListener() ? Stream.of(listener.getApiListener().getApiListener()) : Stream.empty(),
        listener.getFilterChainsList().stream()
            .flatMap(chain -> chain.getFiltersList().stream())
            .map(Filter::getTypedConfig));
    return configs.filter(config -> config.is(HttpConnectionManager.class)).map(config -> {
      try {
        return config.unpack(HttpConnectionManager.class);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("the translator packed an unreadable connection manager", e);
      }
    });
  }

  private static void ensureRoutesTargetClusters(List<RouteConfiguration> routes, Set<String> clusters)
      throws SnapshotConsistencyException {
    for (RouteConfiguration configuration : routes) {
      List<String> missing = configuration.getVirtualHostsList().stream()
          .flatMap(host -> host.getRoutesList().stream())
          .filter(route -> route.hasRoute())
          .flatMap(route -> targets(route.getRoute()))
          .filter(cluster -> !clusters.contains(cluster))
          .toList();
      if (!missing.isEmpty()) {
        throw new SnapshotConsistencyException("route configuration " + configuration.getName()
            + " targets missing clusters " + missing);
      }
    }
  }

  private static Stream<String> targets(RouteAction action) {
    return action.hasWeightedClusters()
        ? action.getWeightedClusters().getClustersList().stream().map(WeightedCluster.ClusterWeight::getName)
        : Stream.of(action.getCluster());
  }
}
