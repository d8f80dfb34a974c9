package dev.vicinity.api.policy;

import java.util.List;

/**
 * Gloo Mesh's {@code networking.mesh.gloo.solo.io/v1 TrafficPolicy}. Vicinity implements its traffic
 * shift: requests for the selected services go to the listed destinations by weight.
 */
public record TrafficPolicy(ObjectMeta metadata, Spec spec) implements Policy {
  @Override
  public PolicyKind kind() {
    return PolicyKind.TRAFFIC_POLICY;
  }

  /** The spec, field for field as Gloo Mesh defines it. */
  public record Spec(List<DestinationSelector> destinationSelector, Policy policy) {
    public Spec {
      destinationSelector = Nulls.list(destinationSelector);
    }
  }

  /** The policies to apply; Vicinity knows the traffic shift. */
  public record Policy(TrafficShift trafficShift) {}

  /** Where the selected services' traffic goes instead. */
  public record TrafficShift(List<WeightedDestination> destinations) {
    public TrafficShift {
      destinations = Nulls.list(destinations);
    }
  }

  /** One destination and its share; exactly one of the two targets is set. */
  public record WeightedDestination(
      ObjectRef virtualDestination, KubeServiceDestination kubeService, Integer weight) {
    /** Gloo Mesh's default weight when only one destination is listed. */
    public int weightOrDefault() {
      return weight == null ? 1 : weight;
    }
  }

  /** A Kubernetes service as a traffic shift target; {@code port} defaults to the requested port. */
  public record KubeServiceDestination(String name, String namespace, String clusterName, Integer port) {
    public KubeServiceDestination {
      name = Nulls.text(name);
      namespace = Nulls.text(namespace);
      clusterName = Nulls.text(clusterName);
    }
  }
}
