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
    services = sortedServices(services);
    endpoints = distinct(endpoints);
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

  private static List<Endpoint> distinct(List<Endpoint> endpoints) {
    if (endpoints instanceof ImmutableList<Endpoint> normal && sortedAndDistinct(normal)) {
      return normal; // made by this constructor already: checking costs one comparison per endpoint, sorting many
    }
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

  private static boolean sortedAndDistinct(List<Endpoint> endpoints) {
    for (int i = 1; i < endpoints.size(); i++) {
      Endpoint previous = endpoints.get(i - 1);
      Endpoint next = endpoints.get(i);
      if (previous.compareTo(next) > 0 || previous.sameBackendAs(next)) {
        return false;
      }
    }
    return true;
  }

  public ClusterWorld withSyncState(SyncState state) {
    return new ClusterWorld(id, network, state, services, endpoints);
  }
}
