package dev.vicinity.api.config;

import dev.vicinity.api.policy.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which clusters each Gloo Mesh mesh and virtual mesh covers, and each network's east-west gateways.
 * With no meshes configured, visibility is not restricted: every VirtualDestination is visible to every
 * client.
 */
public record MeshTopology(List<MeshConfig> meshes, List<VirtualMeshConfig> virtualMeshes, Map<String, List<Gateway>> gateways) {
  public static final MeshTopology NONE = new MeshTopology(List.of(), List.of(), Map.of());

  public MeshTopology {
    meshes = List.copyOf(meshes);
    virtualMeshes = List.copyOf(virtualMeshes);
    gateways = Map.copyOf(gateways);
  }

  /** Meshes without east-west gateways. */
  public MeshTopology(List<MeshConfig> meshes, List<VirtualMeshConfig> virtualMeshes) {
    this(meshes, virtualMeshes, Map.of());
  }

  /** The east-west gateways of a network (none: its endpoints cannot be reached from other networks). */
  public List<Gateway> gatewaysOf(String network) {
    return gateways.getOrDefault(network, List.of());
  }

  public boolean restrictsVisibility() {
    return !meshes.isEmpty() || !virtualMeshes.isEmpty();
  }

  /** The clusters of the meshes of a virtual mesh, if that virtual mesh exists. */
  public Optional<Set<String>> clustersOfVirtualMesh(ObjectRef ref) {
    return virtualMeshes.stream()
        .filter(v -> v.name().equals(ref.name()) && v.namespace().equals(ref.namespace()))
        .findFirst()
        .map(v -> clustersOf(v.meshes()));
  }

  /** The clusters of the listed meshes; meshes that do not exist contribute nothing. */
  public Set<String> clustersOf(List<ObjectRef> refs) {
    Set<String> clusters = new TreeSet<>();
    for (ObjectRef ref : refs) {
      meshes.stream()
          .filter(m -> m.name().equals(ref.name()) && m.namespace().equals(ref.namespace()))
          .forEach(m -> clusters.add(m.cluster()));
    }
    return clusters;
  }

  public boolean meshExists(ObjectRef ref) {
    return meshes.stream().anyMatch(m -> m.name().equals(ref.name()) && m.namespace().equals(ref.namespace()));
  }
}
