package dev.vicinity.api.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Gloo Mesh's {@code networking.enterprise.mesh.gloo.solo.io/v1beta1 VirtualDestination}: a global
 * hostname backed by services selected across clusters.
 */
public record VirtualDestination(ObjectMeta metadata, Spec spec) implements Policy {
  @Override
  public PolicyKind kind() {
    return PolicyKind.VIRTUAL_DESTINATION;
  }

  /** The spec, field for field as Gloo Mesh defines it. */
  public record Spec(
      String hostname,
      Port port,
      Localized localized,
      @JsonProperty("static") StaticFailover staticFailover,
      ObjectRef virtualMesh,
      MeshList meshList) {}

  /** The port clients call, and the port on the backing services it forwards to. */
  public record Port(Integer number, String protocol, Integer targetNumber, String targetName) {
    public Port {
      protocol = Nulls.text(protocol);
      targetName = Nulls.text(targetName);
    }

    /** The backing services' port number when no target is named: the same number. */
    public int backendNumber() {
      return targetNumber != null ? targetNumber : number;
    }
  }

  /** Failover by proximity: priorities from the client's locality, outlier detection required. */
  public record Localized(
      OutlierDetection outlierDetection,
      List<DestinationSelector> destinationSelectors,
      List<FailoverDirective> failoverDirectives) {
    public Localized {
      destinationSelectors = Nulls.list(destinationSelectors);
      failoverDirectives = Nulls.list(failoverDirectives);
    }
  }

  /** From a locality, prefer these localities next, in order. */
  public record FailoverDirective(LocalityMatch from, List<LocalityMatch> to) {
    public FailoverDirective {
      to = Nulls.list(to);
    }
  }

  /** Failover in a fixed order: the first destination, then the second... */
  public record StaticFailover(List<BackingDestination> destinations) {
    public StaticFailover {
      destinations = Nulls.list(destinations);
    }
  }

  /** One destination of a static failover list. */
  public record BackingDestination(ClusterObjectRef kubeService) {}

  /** The meshes the hostname is visible to, when not a whole VirtualMesh. */
  public record MeshList(List<ObjectRef> meshes) {
    public MeshList {
      meshes = Nulls.list(meshes);
    }
  }
}
