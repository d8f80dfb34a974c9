package dev.vicinity.translator.catalog;

import dev.vicinity.api.policy.PolicyStatus;
import com.google.common.collect.ImmutableList;
import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.TrafficShiftRule;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What can be called and where traffic shifts go, worked out once per (World, PolicySet, meshes) and
 * shared by every node group; only priorities, visibility and shift scoping depend on the client.
 *
 * <p>Kubernetes services follow namespace sameness, as in Istio multi-cluster: {@code reviews.bookinfo}
 * in every cluster is one host, backed by the endpoints of all of them. A VirtualDestination hostname
 * is backed by the services its selectors (or its static list) pick, on the port its {@code port}
 * names. Where two destinations would claim the same host and port, a VirtualDestination wins over a
 * service and the first VirtualDestination (by namespace/name) over later ones. The DestinationRule for
 * a host (a service's or a VirtualDestination's) sets its outlier detection, load balancer and locality
 * settings. Every policy gets a {@link PolicyStatus}. Destinations are listed in {@code host:port} order.
 */
public record Catalog(
    List<Destination> destinations,
    List<TrafficShiftRule> shifts,
    List<PolicyStatus> statuses,
    MeshTopology meshes,
    Map<String, Cluster> clusters,
    Map<Endpoint, LbEndpoint> lbEndpoints) {
  public Catalog {
    destinations = ImmutableList.copyOf(destinations);
    shifts = ImmutableList.copyOf(shifts);
    statuses = ImmutableList.copyOf(statuses);
    clusters = Collections.unmodifiableMap(clusters);
    lbEndpoints = Collections.unmodifiableMap(lbEndpoints);
  }

  /**
   * The destinations whose load assignments may differ from {@code previous}'s, when endpoints are all
   * that changed: the same destinations in the same order, alike but for their endpoints, with the same
   * Clusters, shifts and meshes. Empty when anything else changed, so that every resource of every group
   * must be translated again. Statuses are not compared: they are published on their own.
   */
  public Optional<List<Destination>> endpointOnlyChangesSince(Catalog previous) {
    if (destinations.size() != previous.destinations.size() || !shifts.equals(previous.shifts)
        || !meshes.equals(previous.meshes) || !clusters.equals(previous.clusters)) {
      return Optional.empty();
    }
    List<Destination> changed = new ArrayList<>();
    for (int i = 0; i < destinations.size(); i++) {
      Destination now = destinations.get(i);
      Destination before = previous.destinations.get(i);
      if (!now.differsOnlyInEndpoints(before)) {
        return Optional.empty();
      }
      if (!now.endpoints().equals(before.endpoints())) {
        changed.add(now);
      }
    }
    return Optional.of(Collections.unmodifiableList(changed));
  }

  /** Without meshes configured: every VirtualDestination is visible to every client. */
  public static Catalog build(World world, PolicySet policies) {
    return build(world, policies, MeshTopology.NONE);
  }

  /**
   * The full build: destinations, shifts and statuses, and once for every node group the parts of their
   * resources that do not depend on who asks (each destination's Cluster and each endpoint's LbEndpoint,
   * immutable protos, shared). {@link IncrementalCatalog} builds the next catalog from what changed.
   */
  public static Catalog build(World world, PolicySet policies, MeshTopology meshes) {
    return IncrementalCatalog.empty(meshes).update(world, policies).catalog();
  }

  public Optional<Destination> destination(String clusterName) {
    return destinations.stream().filter(d -> d.clusterName().equals(clusterName)).findFirst();
  }
}
