package dev.vicinity.translator.envoy;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.locality.RankedLocality;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Each address once per ClusterLoadAssignment, for gRPC clients. gRPC rejects the whole assignment when
 * an address appears twice (gRFC A27; C-core's {@code xds_endpoint_parser}), and Istio's multi-network
 * shape, which Envoy takes, repeats a network's east-west gateway in every remote locality it stands
 * for. Here the gateway stays where it first appears, at the best priority (then the first locality of
 * that priority), carrying the weight of every locality it stood for; those localities are named in its
 * metadata. A gRPC client on another network therefore cannot fail over between remote localities behind
 * one gateway: the gateway's own network does that. Any other address met twice (a pod behind two
 * selected services) is kept at its first place only.
 */
public final class UniqueAddresses {
  /** Filter metadata field of a gateway endpoint that stands for several localities. */
  public static final String MERGED_LOCALITIES = "localities";

  private UniqueAddresses() {}

  /**
   * Where an address was first met: its group and its index in that group's endpoints. Keyed by host, so
   * that no key is built per endpoint; the other ports met at the same host follow in {@code next}.
   */
  private record Place(int port, RankedLocality group, int index, Place next) {
    Place at(int wanted) {
      for (Place place = this; place != null; place = place.next) {
        if (place.port == wanted) {
          return place;
        }
      }
      return null;
    }
  }

  /** A gateway kept at its first place, and the localities it stands for there. */
  private record StoodFor(Place place, List<Locality> localities) {}

  /** The groups with each address once, and their locality weights. */
  record Merged(Map<RankedLocality, LoadAssignments.Reachable> groups, Map<RankedLocality, Integer> weights) {}

  /**
   * A locality weight moves with the endpoints that leave it: a group that gives up a gateway standing for
   * {@code w} of its {@code h} healthy endpoints gives up {@code w/h} of its weight to the group that keeps
   * the gateway (with weights by healthy endpoints, exactly {@code w}; with {@code distribute}, that part of
   * its share). A repeated plain endpoint's part is dropped: the group that keeps it already counts it.
   *
   * @param groups in priority order (rank, then locality), as the assignment lists them
   * @param weights each group's locality weight
   */
  static Merged of(Map<RankedLocality, LoadAssignments.Reachable> groups, Map<RankedLocality, Integer> weights) {
    Map<String, Place> first = new HashMap<>();
    Map<RankedLocality, List<LbEndpoint>> kept = new LinkedHashMap<>();
    Map<RankedLocality, Double> shares = new HashMap<>();
    Map<String, StoodFor> stoodFor = new LinkedHashMap<>();
    groups.forEach((group, reachable) -> {
      List<LbEndpoint> endpoints = new ArrayList<>(reachable.lbEndpoints().size());
      kept.put(group, endpoints);
      shares.merge(group, (double) weights.get(group), Double::sum);
      double perHealthy = reachable.healthy() == 0 ? 0 : (double) weights.get(group) / reachable.healthy();
      for (LbEndpoint endpoint : reachable.lbEndpoints()) {
        SocketAddress socket = endpoint.getEndpoint().getAddress().getSocketAddress();
        Place atHost = first.get(socket.getAddress());
        Place place = atHost == null ? null : atHost.at(socket.getPortValue());
        if (place == null) {
          Place here = new Place(socket.getPortValue(), group, endpoints.size(), atHost);
          first.put(socket.getAddress(), here);
          endpoints.add(endpoint);
          if (isGateway(endpoint)) {
            stoodFor.put(address(endpoint), new StoodFor(here, new ArrayList<>(List.of(group.locality()))));
          }
        } else if (isGateway(endpoint)) {
          int weight = endpoint.getLoadBalancingWeight().getValue();
          List<LbEndpoint> home = kept.get(place.group());
          LbEndpoint winner = home.get(place.index());
          home.set(place.index(), winner.toBuilder()
              .setLoadBalancingWeight(UInt32Value.of(winner.getLoadBalancingWeight().getValue() + weight)).build());
          shares.merge(group, -perHealthy * weight, Double::sum);
          shares.merge(place.group(), perHealthy * weight, Double::sum);
          List<Locality> localities = stoodFor.get(address(endpoint)).localities();
          if (!localities.contains(group.locality())) {
            localities.add(group.locality());
          }
        } else if (endpoint.getHealthStatus() == HealthStatus.HEALTHY) {
          shares.merge(group, -perHealthy, Double::sum);
        }
      }
    });
    // Only a kept gateway can stand for other localities: name them on it where it is kept.
    stoodFor.values().forEach(gateway -> {
      List<LbEndpoint> home = kept.get(gateway.place().group());
      home.set(gateway.place().index(), namingLocalities(home.get(gateway.place().index()), gateway.localities()));
    });
    Map<RankedLocality, LoadAssignments.Reachable> unique = new LinkedHashMap<>();
    Map<RankedLocality, Integer> uniqueWeights = new LinkedHashMap<>();
    kept.forEach((group, endpoints) -> {
      if (!endpoints.isEmpty()) {
        unique.put(group, new LoadAssignments.Reachable(Collections.unmodifiableList(endpoints), groups.get(group).healthy()));
        uniqueWeights.put(group, Math.max(1, (int) Math.round(shares.get(group))));
      }
    });
    return new Merged(unique, uniqueWeights);
  }

  /** A gateway that stands for more than one locality says which, for operators and {@code explain}. */
  private static LbEndpoint namingLocalities(LbEndpoint endpoint, List<Locality> localities) {
    if (localities == null || localities.size() < 2) {
      return endpoint;
    }
    LbEndpoint.Builder named = endpoint.toBuilder();
    Struct ours = named.getMetadata().getFilterMetadataOrDefault(LoadAssignments.METADATA_NAMESPACE, Struct.getDefaultInstance());
    named.getMetadataBuilder().putFilterMetadata(LoadAssignments.METADATA_NAMESPACE, ours.toBuilder()
        .putFields(MERGED_LOCALITIES, Value.newBuilder()
            .setStringValue(localities.stream().map(Locality::toString).collect(Collectors.joining(", "))).build())
        .build());
    return named.build();
  }

  public static boolean isGateway(LbEndpoint endpoint) {
    return endpoint.getMetadata().getFilterMetadataOrDefault(LoadAssignments.METADATA_NAMESPACE, Struct.getDefaultInstance())
        .containsFields("gateway");
  }

  private static String address(LbEndpoint endpoint) {
    SocketAddress socket = endpoint.getEndpoint().getAddress().getSocketAddress();
    return socket.getAddress() + ":" + socket.getPortValue();
  }
}
