package dev.vicinity.translator;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.vicinity.api.config.Gateway;
import dev.vicinity.api.config.MeshTopology;
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
 * as Envoy requires a positive weight for a locality to count) or by Istio's {@code distribute}. A gRPC
 * client gets each address once ({@link UniqueAddresses}).
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
    return build(destination, client, MeshTopology.NONE, Map.of());
  }

  /** @param prebuilt LbEndpoints already built for these endpoints (the catalog's), reused as they are */
  static ClusterLoadAssignment build(
      Destination destination, ClientProfile client, MeshTopology meshes, Map<Endpoint, LbEndpoint> prebuilt) {
    LoadBalancing lb = destination.loadBalancing();
    Map<String, String> clientLabels = TopologyLabels.of(client);
    Map<Group, List<Endpoint>> groups = new TreeMap<>();
    for (Endpoint endpoint : destination.endpoints()) {
      groups.computeIfAbsent(new Group(rank(destination, client, clientLabels, endpoint).value(), endpoint.locality()), g -> new ArrayList<>())
          .add(endpoint);
    }
    Map<Group, Reachable> views = new LinkedHashMap<>();
    groups.forEach((group, endpoints) -> {
      Reachable view = reachable(endpoints, client, meshes, prebuilt);
      if (!view.lbEndpoints().isEmpty()) {
        views.put(group, view);
      }
    });
    Map<Group, Integer> distributed = new LinkedHashMap<>();
    views.forEach((group, view) -> distributed.put(group, Math.max(1, view.healthy())));
    if (lb.locality().isEnabled()) {
      Distribution.apply(lb.locality().distribute(), client.locality(), distributed);
    }
    views.keySet().retainAll(distributed.keySet()); // distribute may leave localities out
    UniqueAddresses.Merged localities = client.kind() == ClientKind.GRPC
        ? UniqueAddresses.of(views, distributed)
        : new UniqueAddresses.Merged(views, distributed);
    Map<Group, Reachable> reachable = localities.groups();
    Map<Group, Integer> weights = localities.weights();
    Map<Integer, Integer> priorities =
        LocalityPriorities.withoutGaps(weights.keySet().stream().map(Group::rank).toList());
    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder().setClusterName(destination.clusterName());
    weights.forEach((group, weight) -> assignment.addEndpoints(LocalityLbEndpoints.newBuilder()
        .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
            .setRegion(group.locality().region())
            .setZone(group.locality().zone())
            .setSubZone(group.locality().subZone()))
        .setPriority(priorities.get(group.rank()))
        .setLoadBalancingWeight(UInt32Value.of(weight))
        .addAllLbEndpoints(reachable.get(group).lbEndpoints())));
    return assignment.build();
  }

  /**
   * The endpoints of a group as this client reaches them, and how many healthy endpoints they stand for
   * (a gateway stands for those behind it).
   */
  record Reachable(List<LbEndpoint> lbEndpoints, int healthy) {}

  /**
   * Endpoints on the client's network (or where either network is unknown) as they are; endpoints on
   * another network through that network's east-west gateways, as Istio does: one endpoint per gateway
   * carrying the number of healthy endpoints behind it as its weight, in the same locality and priority.
   * A network without gateways cannot be reached from here, so its endpoints are left out.
   */
  private static Reachable reachable(
      List<Endpoint> endpoints, ClientProfile client, MeshTopology meshes, Map<Endpoint, LbEndpoint> prebuilt) {
    List<LbEndpoint> out = new ArrayList<>();
    int healthy = 0;
    Map<String, Integer> healthyByRemoteNetwork = new TreeMap<>();
    for (Endpoint endpoint : endpoints) {
      boolean local = client.network().isEmpty() || endpoint.network().isEmpty() || endpoint.network().equals(client.network());
      if (local) {
        LbEndpoint built = prebuilt.get(endpoint);
        out.add(built != null ? built : lbEndpoint(endpoint));
        healthy += endpoint.conditions().healthy() ? 1 : 0;
      } else if (endpoint.conditions().healthy()) {
        healthyByRemoteNetwork.merge(endpoint.network(), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> network : healthyByRemoteNetwork.entrySet()) {
      List<Gateway> gateways = meshes.gatewaysOf(network.getKey());
      for (Gateway gateway : gateways) {
        out.add(gatewayEndpoint(gateway, network.getKey(), network.getValue()));
      }
      healthy += gateways.isEmpty() ? 0 : network.getValue();
    }
    return new Reachable(out, healthy);
  }

  private static LbEndpoint gatewayEndpoint(Gateway gateway, String network, int weight) {
    return LbEndpoint.newBuilder()
        .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
            .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                .setAddress(gateway.address())
                .setPortValue(gateway.port()))))
        .setHealthStatus(HealthStatus.HEALTHY)
        .setLoadBalancingWeight(UInt32Value.of(weight))
        .setMetadata(Metadata.newBuilder().putFilterMetadata(METADATA_NAMESPACE, Struct.newBuilder()
            .putFields("network", text(network))
            .putFields("gateway", text("east-west"))
            .build()))
        .build();
  }

  /** An endpoint's raw priority rank for a client, and the rule that gave it, in words. */
  record Rank(int value, String reason) {}

  /**
   * An endpoint's raw priority rank for this client. Without failover (no outlier detection, locality
   * load balancing disabled, or weights by {@code distribute}) everything shares rank 0: nothing would
   * ever eject the closest endpoints and hand traffic on.
   */
  static Rank rank(Destination destination, ClientProfile client, Map<String, String> clientLabels, Endpoint endpoint) {
    if (!destination.fixedRanks().isEmpty()) {
      // A static VirtualDestination: the order of its list, whoever asks.
      int position = destination.fixedRanks().getOrDefault(Destination.backendKey(endpoint), destination.fixedRanks().size());
      return new Rank(position, "static failover: destination " + (position + 1) + " of the list");
    }
    LoadBalancing lb = destination.loadBalancing();
    DestinationRule.LocalityLbSetting locality = lb.locality();
    if (lb.outlierDetection().isEmpty()) {
      return new Rank(0, "no outlier detection, so no failover: one priority");
    }
    if (!locality.isEnabled()) {
      return new Rank(0, "locality load balancing disabled: one priority");
    }
    if (!locality.distribute().isEmpty()) {
      return new Rank(0, "distribute sets weights, not priorities: one priority");
    }
    if (locality.failoverPriority().isEmpty() || (clientLabels.isEmpty() && !locality.failover().isEmpty())) {
      // Istio: a proxy without labels gets no label ranks; only explicit failover still orders regions.
      return proximity(client, endpoint, lb);
    }
    if (clientLabels.isEmpty()) {
      return new Rank(0, "failoverPriority, but the client has no labels: one priority");
    }
    int labelRank = LocalityPriorities.labelRank(locality.failoverPriority(), clientLabels, TopologyLabels.of(endpoint));
    int matched = locality.failoverPriority().size() - labelRank;
    String labels = "failoverPriority: matches the client on " + matched + " of " + locality.failoverPriority().size()
        + " labels " + locality.failoverPriority();
    if (locality.failover().isEmpty()) {
      return new Rank(labelRank, labels);
    }
    Rank proximity = proximity(client, endpoint, lb);
    return new Rank(LocalityPriorities.combined(labelRank, proximity.value()), labels + "; then " + proximity.reason());
  }

  private static Rank proximity(ClientProfile client, Endpoint endpoint, LoadBalancing lb) {
    int rank = lb.failoverDirectives().isEmpty()
        ? LocalityPriorities.proximity(client.locality(), endpoint.locality(), lb.locality().failover())
        : LocalityPriorities.proximity(client.locality(), endpoint.locality(), lb.failoverDirectives());
    return new Rank(rank, LocalityPriorities.describe(rank, client.locality(), !lb.failoverDirectives().isEmpty()));
  }

  static LbEndpoint lbEndpoint(Endpoint endpoint) {
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
