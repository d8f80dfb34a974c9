package dev.vicinity.api.config;

import java.util.List;

/**
 * The whole of {@code vicinity.yaml}: server settings, the clusters to serve, and optionally the
 * meshes and virtual meshes that scope VirtualDestination visibility (none: visible to every client).
 */
public record VicinityConfig(
    ServerSettings server, List<ClusterConfig> clusters, List<MeshConfig> meshes, List<VirtualMeshConfig> virtualMeshes) {
  public VicinityConfig {
    server = server == null ? ServerSettings.DEFAULTS : server;
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
    meshes = meshes == null ? List.of() : List.copyOf(meshes);
    virtualMeshes = virtualMeshes == null ? List.of() : List.copyOf(virtualMeshes);
  }

  /** The clusters and meshes, as the translator needs them. */
  public MeshTopology meshTopology() {
    return new MeshTopology(meshes, virtualMeshes);
  }
}
