package dev.vicinity.api.world;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** An immutable snapshot of every configured cluster's services and endpoints. */
public record World(Map<ClusterId, ClusterWorld> clusters) {
  public static final World EMPTY = new World(Map.of());

  public World {
    clusters = ImmutableSortedMap.copyOf(clusters);
  }

  public static World of(Collection<ClusterWorld> clusters) {
    ImmutableSortedMap.Builder<ClusterId, ClusterWorld> byId = ImmutableSortedMap.naturalOrder();
    clusters.forEach(c -> byId.put(c.id(), c));
    return new World(byId.build());
  }

  public Optional<ClusterWorld> cluster(ClusterId id) {
    return Optional.ofNullable(clusters.get(id));
  }

  /** A copy with one cluster's view replaced (or added). */
  public World with(ClusterWorld cluster) {
    ImmutableSortedMap.Builder<ClusterId, ClusterWorld> byId = ImmutableSortedMap.naturalOrder();
    clusters.forEach((id, c) -> {
      if (!id.equals(cluster.id())) {
        byId.put(id, c);
      }
    });
    byId.put(cluster.id(), cluster);
    return new World(byId.build());
  }

  /**
   * True once no cluster is still waiting for its first sync: stale clusters count (they keep
   * serving their last known endpoints), and so do failed ones (given up on, loudly, after the sync
   * timeout, so that one unreachable cluster does not keep every other one from being served).
   */
  public boolean allSynced() {
    return clusters.values().stream().noneMatch(c -> c.syncState() == SyncState.PENDING);
  }

  public Stream<DiscoveredService> services() {
    return clusters.values().stream().flatMap(c -> c.services().stream());
  }

  public Stream<Endpoint> endpoints() {
    return clusters.values().stream().flatMap(c -> c.endpoints().stream());
  }
}
