package dev.vicinity.translator;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a destination's ClusterLoadAssignment for one client: endpoints grouped by locality, each
 * locality at its priority, weighted by its number of healthy endpoints (at least 1, as Envoy requires
 * a positive weight for a locality to count).
 */
final class LoadAssignments {
  /** Filter metadata namespace under which each endpoint says where it came from (for debugging). */
  static final String METADATA_NAMESPACE = "dev.vicinity";

  private LoadAssignments() {}

  private record Group(int rank, Locality locality) implements Comparable<Group> {
    @Override
    public int compareTo(Group other) {
      int byRank = Integer.compare(rank, other.rank);
      return byRank != 0 ? byRank : locality.compareTo(other.locality);
    }
  }

  static ClusterLoadAssignment build(Destination destination, ClientProfile client) {
    boolean failover = destination.outlierDetection().isPresent();
    Map<Group, List<Endpoint>> groups = new TreeMap<>();
    for (Endpoint endpoint : destination.endpoints()) {
      // Istio and Gloo Mesh honour locality failover only with outlier detection: without it an
      // ejected-by-nobody priority 0 would never hand traffic on, so everything shares priority 0.
      int rank = failover ? LocalityPriorities.proximity(client.locality(), endpoint.locality()) : 0;
      groups.computeIfAbsent(new Group(rank, endpoint.locality()), g -> new ArrayList<>()).add(endpoint);
    }
    Map<Integer, Integer> priorities =
        LocalityPriorities.withoutGaps(groups.keySet().stream().map(Group::rank).toList());
    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder().setClusterName(destination.clusterName());
    groups.forEach((group, endpoints) -> {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
          .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
              .setRegion(group.locality().region())
              .setZone(group.locality().zone())
              .setSubZone(group.locality().subZone()))
          .setPriority(priorities.get(group.rank()))
          .setLoadBalancingWeight(UInt32Value.of(
              (int) Math.max(1, endpoints.stream().filter(e -> e.conditions().healthy()).count())));
      endpoints.forEach(endpoint -> locality.addLbEndpoints(lbEndpoint(endpoint)));
      assignment.addEndpoints(locality);
    });
    return assignment.build();
  }

  private static LbEndpoint lbEndpoint(Endpoint endpoint) {
    return LbEndpoint.newBuilder()
        .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
            .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                .setAddress(endpoint.address())
                .setPortValue(endpoint.port()))))
        .setHealthStatus(healthStatus(endpoint))
        .setMetadata(Metadata.newBuilder().putFilterMetadata(METADATA_NAMESPACE, Struct.newBuilder()
            .putFields("cluster", text(endpoint.cluster().value()))
            .putFields("service", text(endpoint.service().toString()))
            .putFields("node", text(endpoint.nodeName()))
            .build()))
        .build();
  }

  /** EndpointSlice conditions as Envoy health: ready is HEALTHY, terminating but serving is DRAINING. */
  static HealthStatus healthStatus(Endpoint endpoint) {
    if (endpoint.conditions().healthy()) {
      return HealthStatus.HEALTHY;
    }
    return endpoint.conditions().draining() ? HealthStatus.DRAINING : HealthStatus.UNHEALTHY;
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
