package dev.vicinity.translator;

import com.google.common.collect.ImmutableList;
import dev.vicinity.api.policy.ObjectRef;
import java.util.List;

/**
 * A TrafficPolicy's shift as it applies to one service host and port, for clients in one cluster: the
 * Kubernetes cluster of the service it selected (Gloo Mesh writes the shift into that cluster's mesh).
 */
public record TrafficShiftRule(
    ObjectRef policy, String clientCluster, String host, int port, List<WeightedCluster> targets) {
  public TrafficShiftRule {
    targets = ImmutableList.copyOf(targets);
  }

  /** An Envoy cluster and its share of the traffic. */
  public record WeightedCluster(String clusterName, int weight) {}
}
