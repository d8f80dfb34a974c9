package dev.vicinity.translator;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.vicinity.api.policy.DestinationRule;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a destination's ClusterLoadAssignment for one client: endpoints grouped by locality and rank
 * (see {@link LocalityPriorities}), each group weighted by its number of healthy endpoints (at least 1,
 * as Envoy requires a positive weight for a locality to count) or by Istio's {@code distribute}.
 */
final class LoadAssignments {
  /** Filter metadata namespace under which each endpoint says where it came from (for debugging). */
  static final String METADATA_NAMESPACE = "dev.vicinity";

  private LoadAssignments() {}

  /** The endpoints of one locality at one rank become one LocalityLbEndpoints. */
  record Group(int rank, Locality locality) implements Comparable<Group> {
    @Override
    public int compareTo(Group other) {
      int byRank = Integer.compare(rank, other.rank);
      return byRank != 0 ? byRank : locality.compareTo(other.locality);
    }
  }

  static ClusterLoadAssignment build(Destination destination, ClientProfile client) {
    LoadBalancing lb = destination.loadBalancing();
    Map<String, String> clientLabels = TopologyLabels.of(client);
    Map<Group, List<Endpoint>> groups = new TreeMap<>();
    for (Endpoint endpoint : destination.endpoints()) {
      groups.computeIfAbsent(new Group(rank(destination, client, clientLabels, endpoint), endpoint.locality()), g -> new ArrayList<>())
          .add(endpoint);
    }
    Map<Group, Integer> weights = new LinkedHashMap<>();
    groups.forEach((group, endpoints) ->
        weights.put(group, (int) Math.max(1, endpoints.stream().filter(e -> e.conditions().healthy()).count())));
    if (lb.locality().isEnabled()) {
      Distribution.apply(lb.locality().distribute(), client.locality(), weights);
    }
    Map<Integer, Integer> priorities =
        LocalityPriorities.withoutGaps(weights.keySet().stream().map(Group::rank).toList());
    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder().setClusterName(destination.clusterName());
    weights.forEach((group, weight) -> {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
          .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
              .setRegion(group.locality().region())
              .setZone(group.locality().zone())
              .setSubZone(group.locality().subZone()))
          .setPriority(priorities.get(group.rank()))
          .setLoadBalancingWeight(UInt32Value.of(weight));
      groups.get(group).forEach(endpoint -> locality.addLbEndpoints(lbEndpoint(endpoint)));
      assignment.addEndpoints(locality);
    });
    return assignment.build();
  }

  /**
   * An endpoint's raw priority rank for this client. Without failover (no outlier detection, locality
   * load balancing disabled, or weights by {@code distribute}) everything shares rank 0: nothing would
   * ever eject the closest endpoints and hand traffic on.
   */
  private static int rank(
      Destination destination, ClientProfile client, Map<String, String> clientLabels, Endpoint endpoint) {
    if (!destination.fixedRanks().isEmpty()) {
      // A static VirtualDestination: the order of its list, whoever asks.
      return destination.fixedRanks().getOrDefault(Destination.backendKey(endpoint), destination.fixedRanks().size());
    }
    LoadBalancing lb = destination.loadBalancing();
    DestinationRule.LocalityLbSetting locality = lb.locality();
    if (!lb.failoverEnabled() || !locality.distribute().isEmpty()) {
      return 0;
    }
    if (locality.failoverPriority().isEmpty()) {
      return lb.failoverDirectives().isEmpty()
          ? LocalityPriorities.proximity(client.locality(), endpoint.locality(), locality.failover())
          : LocalityPriorities.proximity(client.locality(), endpoint.locality(), lb.failoverDirectives());
    }
    if (clientLabels.isEmpty()) {
      // Istio: a proxy without labels gets no label ranks; only explicit failover still orders regions.
      return locality.failover().isEmpty()
          ? 0
          : LocalityPriorities.proximity(client.locality(), endpoint.locality(), locality.failover());
    }
    int labelRank = LocalityPriorities.labelRank(locality.failoverPriority(), clientLabels, TopologyLabels.of(endpoint));
    return locality.failover().isEmpty()
        ? labelRank
        : LocalityPriorities.combined(labelRank, LocalityPriorities.proximity(client.locality(), endpoint.locality(), locality.failover()));
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
