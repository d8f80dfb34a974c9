package dev.vicinity.api.world;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;

/**
 * Everything discovered in one Kubernetes cluster, sorted so that equal worlds are equal records. A
 * backend listed twice (during a rollout an address can sit in two EndpointSlices) is kept once: the
 * ready copy, or else the first in order.
 */
public record ClusterWorld(
    ClusterId id, String network, SyncState syncState, List<DiscoveredService> services, List<Endpoint> endpoints) {
  public ClusterWorld {
    Objects.requireNonNull(id, "id");
    network = Objects.requireNonNullElse(network, "");
    Objects.requireNonNull(syncState, "syncState");
    services = services.stream().sorted((a, b) -> a.key().compareTo(b.key())).collect(ImmutableList.toImmutableList());
    endpoints = distinct(endpoints);
  }

  private static List<Endpoint> distinct(List<Endpoint> endpoints) {
    ImmutableList.Builder<Endpoint> kept = ImmutableList.builder();
    Endpoint previous = null;
    for (Endpoint endpoint : endpoints.stream().sorted().toList()) {
      // Sorted order puts copies of one backend together, the ready one first.
      if (previous == null || !previous.sameBackendAs(endpoint)) {
        kept.add(endpoint);
        previous = endpoint;
      }
    }
    return kept.build();
  }

  public static ClusterWorld pending(ClusterId id, String network) {
    return new ClusterWorld(id, network, SyncState.PENDING, List.of(), List.of());
  }

  public ClusterWorld withSyncState(SyncState state) {
    return new ClusterWorld(id, network, state, services, endpoints);
  }
}
