package dev.vicinity.api.config;

import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.Locality;
import java.util.List;

/**
 * One Kubernetes cluster Vicinity serves. Its world is read from {@code clusters/<name>/*.yaml} in the
 * configuration directory. {@code locality} is the last-resort locality of endpoints whose node carries
 * no topology labels. {@code eastWestGateways} are where clients on other networks reach this cluster.
 */
public record ClusterConfig(String name, String network, LocalityMatch locality, List<Gateway> eastWestGateways) {
  public ClusterConfig {
    network = network == null ? "" : network;
    eastWestGateways = eastWestGateways == null ? List.of() : List.copyOf(eastWestGateways);
  }

  /** A cluster without east-west gateways. */
  public ClusterConfig(String name, String network, LocalityMatch locality) {
    this(name, network, locality, List.of());
  }

  public ClusterId id() {
    return ClusterId.of(name);
  }

  public Locality defaultLocality() {
    return locality == null ? Locality.UNKNOWN : new Locality(locality.region(), locality.zone(), locality.subZone());
  }
}
