package dev.vicinity.api.world;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;

/**
 * Everything discovered in one Kubernetes cluster, sorted so that equal worlds are equal records. A
 * backend listed twice (during a rollout an address can sit in two EndpointSlices) is kept once: the
 * ready copy, or else the first in order (see {@link NormalizedEndpoints}, which a world given one keeps as it is).
 */
public record ClusterWorld(
    ClusterId id, String network, SyncState syncState, List<DiscoveredService> services, List<Endpoint> endpoints) {
  public ClusterWorld {
    Objects.requireNonNull(id, "id");
    network = Objects.requireNonNullElse(network, "");
    Objects.requireNonNull(syncState, "syncState");
    services = sortedServices(services);
    endpoints = NormalizedEndpoints.of(endpoints).list();
  }

  private static List<DiscoveredService> sortedServices(List<DiscoveredService> services) {
    if (services instanceof ImmutableList<DiscoveredService> normal && sorted(normal)) {
      return normal; // made by this constructor already (withSyncState): nothing to sort again
    }
    return services.stream().sorted((a, b) -> a.key().compareTo(b.key())).collect(ImmutableList.toImmutableList());
  }

  private static boolean sorted(List<DiscoveredService> services) {
    for (int i = 1; i < services.size(); i++) {
      if (services.get(i - 1).key().compareTo(services.get(i).key()) > 0) {
        return false;
      }
    }
    return true;
  }

  public static ClusterWorld pending(ClusterId id, String network) {
    return new ClusterWorld(id, network, SyncState.PENDING, List.of(), List.of());
  }

  /** This world in {@code state}: this very instance if it is in that state already. */
  public ClusterWorld withSyncState(SyncState state) {
    if (state == syncState) {
      return this;
    }
    return new ClusterWorld(id, network, state, services, NormalizedEndpoints.held((ImmutableList<Endpoint>) endpoints));
  }
}
