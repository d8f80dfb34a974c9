package dev.vicinity.api.config;

import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.Locality;

/**
 * One Kubernetes cluster Vicinity serves. Its world is read from {@code clusters/<name>/*.yaml} in the
 * configuration directory. {@code locality} is the last-resort locality of endpoints whose node carries
 * no topology labels.
 */
public record ClusterConfig(String name, String network, LocalityMatch locality) {
  public ClusterConfig {
    network = network == null ? "" : network;
  }

  public ClusterId id() {
    return ClusterId.of(name);
  }

  public Locality defaultLocality() {
    return locality == null ? Locality.UNKNOWN : new Locality(locality.region(), locality.zone(), locality.subZone());
  }
}
