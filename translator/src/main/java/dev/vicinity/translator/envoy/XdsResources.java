package dev.vicinity.translator.envoy;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** The Envoy resources of one node group, each list sorted by resource name. */
public record XdsResources(
    List<Cluster> clusters,
    List<ClusterLoadAssignment> endpoints,
    List<Listener> listeners,
    List<RouteConfiguration> routes) {
  public XdsResources {
    clusters = sorted(clusters, Cluster::getName);
    endpoints = sorted(endpoints, ClusterLoadAssignment::getClusterName);
    listeners = sorted(listeners, Listener::getName);
    routes = sorted(routes, RouteConfiguration::getName);
  }

  private static <T extends Message> List<T> sorted(List<T> resources, Function<T, String> name) {
    return resources.stream().sorted(Comparator.comparing(name)).toList();
  }
}
