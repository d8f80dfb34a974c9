package dev.vicinity.server.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The resource types served, in the order a change is sent: a Cluster before its ClusterLoadAssignment,
 * a Listener before its RouteConfiguration (Envoy's make-before-break order for ADS).
 */
public enum XdsType {
  CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", "cds", Completeness.FULL_STATE,
      message -> ((Cluster) message).getName()),
  ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "eds", Completeness.PER_RESOURCE,
      message -> ((ClusterLoadAssignment) message).getClusterName()),
  LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", "lds", Completeness.FULL_STATE,
      message -> ((Listener) message).getName()),
  ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "rds", Completeness.PER_RESOURCE,
      message -> ((RouteConfiguration) message).getName()),
  SECRET("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "sds", Completeness.PER_RESOURCE,
      message -> ((Secret) message).getName());

  /**
   * What a state-of-the-world response must hold. For Listeners and Clusters a response is the full set:
   * a resource left out is deleted by the client. For the others each resource is applied on its own, so
   * a response may carry only the ones that changed (the xDS protocol allows it; Envoy, gRPC and Istio rely on it).
   */
  public enum Completeness {
    FULL_STATE,
    PER_RESOURCE
  }

  /** Every type URL served, as an error message lists them. */
  public static final String SERVED = String.join(", ", new TreeSet<>(Arrays.stream(values()).map(XdsType::typeUrl).toList()));

  private final String typeUrl;
  private final String shortName;
  private final Completeness completeness;
  private final Function<Message, String> naming;

  XdsType(String typeUrl, String shortName, Completeness completeness, Function<Message, String> naming) {
    this.typeUrl = typeUrl;
    this.shortName = shortName;
    this.completeness = completeness;
    this.naming = naming;
  }

  public String typeUrl() {
    return typeUrl;
  }

  /** cds, eds, lds, rds, sds: as metrics and {@code /debug/proxies} name the type. */
  public String shortName() {
    return shortName;
  }

  public Completeness completeness() {
    return completeness;
  }

  /** The resource's name, as xDS subscriptions name it. */
  public String nameOf(Message resource) {
    return naming.apply(resource);
  }

  public static Optional<XdsType> ofTypeUrl(String typeUrl) {
    for (XdsType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  public static List<XdsType> inOrder() {
    return List.of(values());
  }
}
