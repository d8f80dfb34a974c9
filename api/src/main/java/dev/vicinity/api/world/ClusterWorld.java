package dev.vicinity.api.world;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;

/** Everything discovered in one Kubernetes cluster, sorted so that equal worlds are equal records. */
public record ClusterWorld(
    ClusterId id, String network, SyncState syncState, List<DiscoveredService> services, List<Endpoint> endpoints) {
  public ClusterWorld {
    Objects.requireNonNull(id, "id");
    network = Objects.requireNonNullElse(network, "");
    Objects.requireNonNull(syncState, "syncState");
    services = services.stream().sorted((a, b) -> a.key().compareTo(b.key())).collect(ImmutableList.toImmutableList());
    endpoints = endpoints.stream().sorted().collect(ImmutableList.toImmutableList());
  }

  public static ClusterWorld pending(ClusterId id, String network) {
    return new ClusterWorld(id, network, SyncState.PENDING, List.of(), List.of());
  }

  public ClusterWorld withSyncState(SyncState state) {
    return new ClusterWorld(id, network, state, services, endpoints);
  }
}
