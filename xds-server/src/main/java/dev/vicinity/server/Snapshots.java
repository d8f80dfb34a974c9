package dev.vicinity.server;

import com.google.protobuf.Any;
import dev.vicinity.translator.XdsResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.SnapshotConsistencyException;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Turns a node group's resources into a consistent snapshot with content-hash versions. */
final class Snapshots {
  /** The (deprecated) filter name java-control-plane's Resources.getResourceReferences matches. */
  private static final String LIBRARY_HCM_FILTER_NAME = "envoy.http_connection_manager";

  private Snapshots() {}

  /**
   * A consistent snapshot: every EDS cluster has its load assignment, every listener's route
   * configuration exists (and no other), every route targets an existing cluster. Throws otherwise.
   */
  static VicinitySnapshot of(XdsResources resources) throws SnapshotConsistencyException {
    // java-control-plane finds route references only in filter chains named as it expects, not in
    // gRPC api_listeners, so its check runs on a view of the listeners it can read.
    Snapshot.create(
        resources.clusters(), resources.endpoints(),
        resources.listeners().stream().map(Snapshots::asLibrarySeesIt).toList(),
        resources.routes(), List.of(), "consistency-check").ensureConsistent();
    ensureRoutesTargetClusters(resources);
    return new VicinitySnapshot(Map.of(
        ResourceType.CLUSTER, resources.clusters(),
        ResourceType.ENDPOINT, resources.endpoints(),
        ResourceType.LISTENER, resources.listeners(),
        ResourceType.ROUTE, resources.routes()));
  }

  /**
   * The listener as java-control-plane's reference check can read it: every HTTP connection manager
   * (from filter chains or from a gRPC api_listener) in a filter chain of its own, under the filter
   * name the library looks for. Envoy itself selects filters by their typed_config type, not by name.
   */
  private static Listener asLibrarySeesIt(Listener listener) {
    Stream<Any> managers = Stream.concat(
        listener.hasApiListener() ? Stream.of(listener.getApiListener().getApiListener()) : Stream.empty(),
        listener.getFilterChainsList().stream()
            .flatMap(chain -> chain.getFiltersList().stream())
            .map(Filter::getTypedConfig)
            .filter(config -> config.is(HttpConnectionManager.class)));
    Listener.Builder view = Listener.newBuilder().setName(listener.getName());
    managers.forEach(manager -> view.addFilterChains(FilterChain.newBuilder()
        .addFilters(Filter.newBuilder().setName(LIBRARY_HCM_FILTER_NAME).setTypedConfig(manager))));
    return view.build();
  }

  private static void ensureRoutesTargetClusters(XdsResources resources) throws SnapshotConsistencyException {
    Set<String> clusters = new HashSet<>();
    resources.clusters().forEach(c -> clusters.add(c.getName()));
    for (RouteConfiguration routes : resources.routes()) {
      List<String> missing = routes.getVirtualHostsList().stream()
          .flatMap(host -> host.getRoutesList().stream())
          .filter(route -> route.hasRoute())
          .flatMap(route -> targets(route.getRoute()))
          .filter(cluster -> !clusters.contains(cluster))
          .toList();
      if (!missing.isEmpty()) {
        throw new SnapshotConsistencyException("route configuration " + routes.getName() + " targets missing clusters " + missing);
      }
    }
  }

  private static Stream<String> targets(RouteAction action) {
    return action.hasWeightedClusters()
        ? action.getWeightedClusters().getClustersList().stream().map(WeightedCluster.ClusterWeight::getName)
        : Stream.of(action.getCluster());
  }
}
