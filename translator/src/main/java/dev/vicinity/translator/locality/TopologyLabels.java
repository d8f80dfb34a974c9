package dev.vicinity.translator.locality;

import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.ClientProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The labels Istio adds to every proxy and endpoint so that {@code failoverPriority} can name them:
 * cluster, network, region, zone, subzone (and, for endpoints, the node's hostname).
 */
public final class TopologyLabels {
  public static final String CLUSTER = "topology.istio.io/cluster";
  public static final String NETWORK = "topology.istio.io/network";
  public static final String REGION = "topology.kubernetes.io/region";
  public static final String ZONE = "topology.kubernetes.io/zone";
  public static final String SUBZONE = "topology.istio.io/subzone";
  public static final String HOSTNAME = "kubernetes.io/hostname";

  private TopologyLabels() {}

  /** The client's own labels, with the topology labels it is known by added (its own values win). */
  public static Map<String, String> of(ClientProfile client) {
    Map<String, String> labels = new HashMap<>();
    putIfKnown(labels, CLUSTER, client.cluster());
    putIfKnown(labels, NETWORK, client.network());
    putLocality(labels, client.locality());
    labels.putAll(client.labels());
    return labels;
  }

  static Map<String, String> of(Endpoint endpoint) {
    Map<String, String> labels = new HashMap<>();
    for (String label : List.of(CLUSTER, NETWORK, REGION, ZONE, SUBZONE, HOSTNAME)) {
      String value = ofEndpoint(label).apply(endpoint);
      if (value != null) {
        labels.put(label, value);
      }
    }
    return labels;
  }

  /**
   * How to read one label of an endpoint without building its map ({@link #of(Endpoint)}): the value,
   * or null where the endpoint has no such label (unknown, or not a topology label at all).
   */
  static Function<Endpoint, String> ofEndpoint(String label) {
    Function<Endpoint, String> value = switch (label) {
      case CLUSTER -> endpoint -> endpoint.cluster().value();
      case NETWORK -> Endpoint::network;
      case REGION -> endpoint -> endpoint.locality().region();
      case ZONE -> endpoint -> endpoint.locality().zone();
      case SUBZONE -> endpoint -> endpoint.locality().subZone();
      case HOSTNAME -> Endpoint::nodeName;
      default -> endpoint -> "";
    };
    return endpoint -> {
      String known = value.apply(endpoint);
      return known.isEmpty() ? null : known;
    };
  }

  private static void putLocality(Map<String, String> labels, Locality locality) {
    putIfKnown(labels, REGION, locality.region());
    putIfKnown(labels, ZONE, locality.zone());
    putIfKnown(labels, SUBZONE, locality.subZone());
  }

  private static void putIfKnown(Map<String, String> labels, String key, String value) {
    if (!value.isEmpty()) {
      labels.put(key, value);
    }
  }
}
