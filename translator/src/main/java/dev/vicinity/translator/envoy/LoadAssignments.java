package dev.vicinity.translator.envoy;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.vicinity.api.config.Gateway;
import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.LoadBalancing;
import dev.vicinity.translator.locality.Distribution;
import dev.vicinity.translator.locality.EndpointRanks;
import dev.vicinity.translator.locality.LocalityPriorities;
import dev.vicinity.translator.locality.RankedLocality;
import dev.vicinity.translator.locality.TopologyLabels;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
public final class LoadAssignments {
  /** Filter metadata namespace under which each endpoint says where it came from (for debugging). */
  public static final String METADATA_NAMESPACE = "dev.vicinity";

  private final ClientProfile client;
  private final Map<String, String> clientLabels;
  private final MeshTopology meshes;
  private final Map<Endpoint, LbEndpoint> prebuilt;
  /** Each locality's proto once for all of this client's assignments: they name the same few localities. */
  private final Map<Locality, io.envoyproxy.envoy.config.core.v3.Locality> localityProtos = new HashMap<>();

  private LoadAssignments(ClientProfile client, MeshTopology meshes, Map<Endpoint, LbEndpoint> prebuilt) {
    this.client = client;
    this.clientLabels = TopologyLabels.of(client);
    this.meshes = meshes;
    this.prebuilt = prebuilt;
  }

  /**
   * Builds the load assignments of one client's translation, sharing what they have in common. Holds a
   * memo: one per translation, not shared between threads.
   *
   * @param prebuilt LbEndpoints already built for these endpoints (the catalog's), reused as they are
   */
  public static LoadAssignments forClient(ClientProfile client, MeshTopology meshes, Map<Endpoint, LbEndpoint> prebuilt) {
    return new LoadAssignments(client, meshes, prebuilt);
  }

  static ClusterLoadAssignment build(Destination destination, ClientProfile client) {
    return build(destination, client, MeshTopology.NONE, Map.of());
  }

  /** @param prebuilt LbEndpoints already built for these endpoints (the catalog's), reused as they are */
  public static ClusterLoadAssignment build(
      Destination destination, ClientProfile client, MeshTopology meshes, Map<Endpoint, LbEndpoint> prebuilt) {
    return forClient(client, meshes, prebuilt).build(destination);
  }

  /** The destination's load assignment for this client. */
  public ClusterLoadAssignment build(Destination destination) {
    LoadBalancing lb = destination.loadBalancing();
    EndpointRanks ranks = EndpointRanks.of(destination, client, clientLabels);
    // Grouped in a hash map and the few groups sorted after: a sorted map would compare on every endpoint.
    Map<RankedLocality, List<Endpoint>> byGroup = new HashMap<>();
    for (Endpoint endpoint : destination.endpoints()) {
      byGroup.computeIfAbsent(new RankedLocality(ranks.rank(endpoint), endpoint.locality()), g -> new ArrayList<>()).add(endpoint);
    }
    List<RankedLocality> ordered = new ArrayList<>(byGroup.keySet());
    ordered.sort(null);
    Map<RankedLocality, Reachable> views = new LinkedHashMap<>();
    for (RankedLocality group : ordered) {
      Reachable view = reachable(byGroup.get(group));
      if (!view.lbEndpoints().isEmpty()) {
        views.put(group, view);
      }
    }
    Map<RankedLocality, Integer> distributed = new LinkedHashMap<>();
    views.forEach((group, view) -> distributed.put(group, Math.max(1, view.healthy())));
    if (lb.locality().isEnabled()) {
      Distribution.apply(lb.locality().distribute(), client.locality(), distributed);
    }
    views.keySet().retainAll(distributed.keySet()); // distribute may leave localities out
    UniqueAddresses.Merged localities = client.kind() == ClientKind.GRPC
        ? UniqueAddresses.of(views, distributed)
        : new UniqueAddresses.Merged(views, distributed);
    Map<RankedLocality, Reachable> reachable = localities.groups();
    Map<RankedLocality, Integer> weights = localities.weights();
    // The ranks in use, renumbered without gaps (LocalityPriorities.withoutGaps) by their position here.
    int[] ranksInUse = weights.keySet().stream().mapToInt(RankedLocality::rank).sorted().distinct().toArray();
    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder().setClusterName(destination.clusterName());
    weights.forEach((group, weight) -> assignment.addEndpoints(LocalityLbEndpoints.newBuilder()
        .setLocality(localityProtos.computeIfAbsent(group.locality(), LoadAssignments::localityProto))
        .setPriority(Arrays.binarySearch(ranksInUse, group.rank()))
        .setLoadBalancingWeight(UInt32Value.of(weight))
        .addAllLbEndpoints(reachable.get(group).lbEndpoints())
        .build()));
    return assignment.build();
  }

  private static io.envoyproxy.envoy.config.core.v3.Locality localityProto(Locality locality) {
    return io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
        .setRegion(locality.region())
        .setZone(locality.zone())
        .setSubZone(locality.subZone())
        .build();
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
  private Reachable reachable(List<Endpoint> endpoints) {
    List<LbEndpoint> out = new ArrayList<>(endpoints.size());
    int healthy = 0;
    Map<String, Integer> healthyByRemoteNetwork = null; // most clients reach every endpoint directly
    for (Endpoint endpoint : endpoints) {
      boolean local = client.network().isEmpty() || endpoint.network().isEmpty() || endpoint.network().equals(client.network());
      if (local) {
        LbEndpoint built = prebuilt.get(endpoint);
        out.add(built != null ? built : lbEndpoint(endpoint));
        healthy += endpoint.conditions().healthy() ? 1 : 0;
      } else if (endpoint.conditions().healthy()) {
        if (healthyByRemoteNetwork == null) {
          healthyByRemoteNetwork = new TreeMap<>();
        }
        healthyByRemoteNetwork.merge(endpoint.network(), 1, Integer::sum);
      }
    }
    if (healthyByRemoteNetwork != null) {
      for (Map.Entry<String, Integer> network : healthyByRemoteNetwork.entrySet()) {
        List<Gateway> gateways = meshes.gatewaysOf(network.getKey());
        for (Gateway gateway : gateways) {
          out.add(gatewayEndpoint(gateway, network.getKey(), network.getValue()));
        }
        healthy += gateways.isEmpty() ? 0 : network.getValue();
      }
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

  /** An endpoint's raw priority rank for this client ({@link EndpointRanks}), with its reason, for explanations. */
  public static EndpointRanks.Rank rank(Destination destination, ClientProfile client, Map<String, String> clientLabels, Endpoint endpoint) {
    return EndpointRanks.of(destination, client, clientLabels).explained(endpoint);
  }

  public static LbEndpoint lbEndpoint(Endpoint endpoint) {
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
