package dev.vicinity.server.xds;

import com.google.protobuf.Value;
import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads who a client is from its xDS {@code Node}, the way Istio's clients say it: locality from
 * {@code node.locality}, Kubernetes cluster from {@code metadata.CLUSTER_ID}, network from
 * {@code metadata.NETWORK}, workload labels from {@code metadata.LABELS}, namespace from
 * {@code metadata.NAMESPACE}. Proxyless gRPC is recognised by
 * its user agent or its client features.
 */
public final class ClientProfiles {
  private ClientProfiles() {}

  public static final String CLUSTER_ID = "CLUSTER_ID";
  public static final String NETWORK = "NETWORK";
  public static final String LABELS = "LABELS";
  public static final String NAMESPACE = "NAMESPACE";
  /** Sent by every gRPC xDS client, never by Envoy. */
  static final String GRPC_CLIENT_FEATURE = "envoy.lb.does_not_support_overprovisioning";

  public static ClientProfile of(Node node) {
    return new ClientProfile(
        kind(node),
        metadataText(node, CLUSTER_ID),
        new Locality(node.getLocality().getRegion(), node.getLocality().getZone(), node.getLocality().getSubZone()),
        metadataText(node, NETWORK),
        labels(node),
        metadataText(node, NAMESPACE));
  }

  /** Istio's {@code metadata.LABELS}: the workload's labels, which {@code failoverPriority} may name. */
  static Map<String, String> labels(Node node) {
    Value labels = node.getMetadata().getFieldsOrDefault(LABELS, Value.getDefaultInstance());
    Map<String, String> out = new TreeMap<>();
    if (labels.hasStructValue()) {
      labels.getStructValue().getFieldsMap().forEach((key, value) -> {
        if (value.hasStringValue()) {
          out.put(key, value.getStringValue());
        }
      });
    }
    return out;
  }

  static ClientKind kind(Node node) {
    boolean grpcAgent = node.getUserAgentName().toLowerCase(Locale.ROOT).contains("grpc");
    return grpcAgent || node.getClientFeaturesList().contains(GRPC_CLIENT_FEATURE) ? ClientKind.GRPC : ClientKind.ENVOY;
  }

  private static String metadataText(Node node, String field) {
    Value value = node.getMetadata().getFieldsOrDefault(field, Value.getDefaultInstance());
    return value.hasStringValue() ? value.getStringValue() : "";
  }
}
