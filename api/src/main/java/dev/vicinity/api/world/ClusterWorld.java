package dev.vicinity.api.world;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.Collection;
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
    endpoints = normalized(endpoints);
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

  /**
   * The endpoints in the world's order, each backend once (the ready copy, or else the first in order): what
   * the constructor makes of any list. Endpoints of different services are never copies of one backend, so
   * the results for the services of one cluster, concatenated in {@link ServiceKey} order, make a list the
   * constructor keeps as it is: a source can sort only the services that changed.
   */
  public static ImmutableList<Endpoint> normalized(Collection<Endpoint> endpoints) {
    if (endpoints instanceof ImmutableList<Endpoint> normal && sortedAndDistinct(normal)) {
      return normal; // made by this constructor already: checking costs one comparison per endpoint, sorting many
    }
    Endpoint[] sorted = endpoints.toArray(new Endpoint[0]);
    Arrays.sort(sorted);
    ImmutableList.Builder<Endpoint> kept = ImmutableList.builderWithExpectedSize(sorted.length);
    Endpoint previous = null;
    for (Endpoint endpoint : sorted) {
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

  /** Every backend after the previous one: its order comes from the backend's fields alone when backends differ. */
  private static boolean sortedAndDistinct(List<Endpoint> endpoints) {
    for (int i = 1; i < endpoints.size(); i++) {
      if (Endpoint.compareBackends(endpoints.get(i - 1), endpoints.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** This world in {@code state}: this very instance if it is in that state already. */
  public ClusterWorld withSyncState(SyncState state) {
    if (state == syncState) {
      return this;
    }
    return new ClusterWorld(id, network, state, services, endpoints);
  }
}
