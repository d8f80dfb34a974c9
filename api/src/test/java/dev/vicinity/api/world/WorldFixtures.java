package dev.vicinity.api.world;

import java.util.List;
import java.util.Map;

/** Small worlds for tests. */
final class WorldFixtures {
  private WorldFixtures() {}

  static DiscoveredService service(String cluster, String namespace, String name) {
    return new DiscoveredService(ClusterId.of(cluster), new ServiceKey(namespace, name), Map.of("app", name),
        List.of(new ServicePort("http", 9080, null, null)));
  }

  static Endpoint endpoint(String cluster, String namespace, String name, String address, int port) {
    return new Endpoint(ClusterId.of(cluster), new ServiceKey(namespace, name), address, "http", port,
        Locality.of("us-east1", "us-east1-b"), "node-1", EndpointConditions.READY, "");
  }

  static ClusterWorld cluster(String id, SyncState state) {
    return new ClusterWorld(ClusterId.of(id), "", state,
        List.of(service(id, "bookinfo", "reviews")), List.of(endpoint(id, "bookinfo", "reviews", "10.0.0.1", 9080)));
  }
}
