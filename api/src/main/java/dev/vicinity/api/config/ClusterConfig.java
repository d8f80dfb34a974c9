package dev.vicinity.api.config;

import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.Locality;
import java.util.List;

/**
 * One Kubernetes cluster Vicinity serves. A live cluster names its API server ({@code kubeconfig} and
 * {@code context}, or {@code inCluster: true}) and may limit the {@code namespaces} watched; any other
 * cluster's world is read from {@code clusters/<name>/*.yaml} in the configuration directory. A live
 * cluster with {@code policySource: true} also holds policies as custom resources.
 * {@code locality} is the last-resort locality of endpoints whose node carries no topology labels.
 * {@code eastWestGateways} are where clients on other networks reach this cluster.
 */
public record ClusterConfig(
    String name,
    String network,
    LocalityMatch locality,
    List<Gateway> eastWestGateways,
    String kubeconfig,
    String context,
    Boolean inCluster,
    List<String> namespaces,
    Boolean policySource) {
  public ClusterConfig {
    network = network == null ? "" : network;
    eastWestGateways = eastWestGateways == null ? List.of() : List.copyOf(eastWestGateways);
    kubeconfig = kubeconfig == null ? "" : kubeconfig;
    context = context == null ? "" : context;
    inCluster = inCluster != null && inCluster;
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    policySource = policySource != null && policySource;
  }

  /** A cluster without policy custom resources. */
  public ClusterConfig(String name, String network, LocalityMatch locality, List<Gateway> eastWestGateways,
      String kubeconfig, String context, Boolean inCluster, List<String> namespaces) {
    this(name, network, locality, eastWestGateways, kubeconfig, context, inCluster, namespaces, null);
  }

  /** A file cluster with east-west gateways. */
  public ClusterConfig(String name, String network, LocalityMatch locality, List<Gateway> eastWestGateways) {
    this(name, network, locality, eastWestGateways, null, null, null, null);
  }

  /** A file cluster without east-west gateways. */
  public ClusterConfig(String name, String network, LocalityMatch locality) {
    this(name, network, locality, List.of());
  }

  /** Whether its world comes from an API server rather than from files. */
  public boolean live() {
    return inCluster || !kubeconfig.isEmpty();
  }

  public ClusterId id() {
    return ClusterId.of(name);
  }

  public Locality defaultLocality() {
    return locality == null ? Locality.UNKNOWN : new Locality(locality.region(), locality.zone(), locality.subZone());
  }
}
