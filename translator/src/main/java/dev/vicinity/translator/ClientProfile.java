package dev.vicinity.translator;

import com.google.common.collect.ImmutableSortedMap;
import dev.vicinity.api.world.Locality;
import java.util.Map;
import java.util.Objects;

/**
 * Who is asking, as far as translation cares: client kind, Kubernetes cluster (empty when the client
 * did not say), locality ({@link Locality#UNKNOWN} when it did not say), network, the workload labels
 * Istio's {@code failoverPriority} compares, and its namespace (short service names resolve in it). Clients with equal profiles get identical resources,
 * so a profile is also the key of a node group.
 */
public record ClientProfile(
    ClientKind kind, String cluster, Locality locality, String network, Map<String, String> labels, String namespace)
    implements Comparable<ClientProfile> {
  public ClientProfile {
    namespace = Objects.requireNonNullElse(namespace, "");
    Objects.requireNonNull(kind, "kind");
    cluster = Objects.requireNonNullElse(cluster, "");
    locality = Objects.requireNonNullElse(locality, Locality.UNKNOWN);
    network = Objects.requireNonNullElse(network, "");
    labels = labels == null ? Map.of() : ImmutableSortedMap.copyOf(labels);
  }

  /** A client whose namespace is not known (no short service names). */
  public ClientProfile(ClientKind kind, String cluster, Locality locality, String network, Map<String, String> labels) {
    this(kind, cluster, locality, network, labels, "");
  }

  /** A client without workload labels. */
  public ClientProfile(ClientKind kind, String cluster, Locality locality, String network) {
    this(kind, cluster, locality, network, Map.of());
  }

  @Override
  public int compareTo(ClientProfile other) {
    return toString().compareTo(other.toString());
  }

  /** {@code grpc/mgmt-cluster/us-east-1/us-east-1a}: readable, unique and stable, used in debug output. */
  @Override
  public String toString() {
    String where = locality.isUnknown() ? "unknown-locality" : locality.toString();
    return kind.name().toLowerCase(java.util.Locale.ROOT)
        + "/" + (cluster.isEmpty() ? "unknown-cluster" : cluster)
        + "/" + where
        + (network.isEmpty() ? "" : "@" + network)
        + (namespace.isEmpty() ? "" : " ns=" + namespace)
        + (labels.isEmpty() ? "" : labels.toString());
  }
}
