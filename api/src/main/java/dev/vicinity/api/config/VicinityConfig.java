package dev.vicinity.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole of {@code vicinity.yaml}: server settings, the clusters to serve, optionally the meshes and
 * virtual meshes that scope VirtualDestination visibility (none: visible to every client), and the Lease
 * that elects the replica writing policy status.
 */
public record VicinityConfig(
    ServerSettings server,
    List<ClusterConfig> clusters,
    List<MeshConfig> meshes,
    List<VirtualMeshConfig> virtualMeshes,
    LeaderElectionSettings leaderElection) {
  public VicinityConfig {
    server = server == null ? ServerSettings.DEFAULTS : server;
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
    meshes = meshes == null ? List.of() : List.copyOf(meshes);
    virtualMeshes = virtualMeshes == null ? List.of() : List.copyOf(virtualMeshes);
    leaderElection = leaderElection == null ? LeaderElectionSettings.DEFAULTS : leaderElection;
  }

  /** With the default leader election. */
  public VicinityConfig(ServerSettings server, List<ClusterConfig> clusters, List<MeshConfig> meshes,
      List<VirtualMeshConfig> virtualMeshes) {
    this(server, clusters, meshes, virtualMeshes, null);
  }

  /** The cluster whose API server holds the leader Lease (the first policy source), if any: else nobody writes status. */
  public Optional<ClusterConfig> statusCluster() {
    return clusters.stream().filter(ClusterConfig::policySource).filter(ClusterConfig::live).findFirst();
  }

  /** The clusters and meshes, as the translator needs them. */
  public MeshTopology meshTopology() {
    Map<String, List<Gateway>> gateways = new TreeMap<>();
    for (ClusterConfig cluster : clusters) {
      if (!cluster.eastWestGateways().isEmpty()) {
        gateways.computeIfAbsent(cluster.network(), n -> new ArrayList<>()).addAll(cluster.eastWestGateways());
      }
    }
    return new MeshTopology(meshes, virtualMeshes, gateways);
  }
}
