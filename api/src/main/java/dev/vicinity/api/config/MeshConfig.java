package dev.vicinity.api.config;

/**
 * A Gloo Mesh {@code Mesh}: one service mesh control plane, in one cluster. VirtualDestinations name
 * meshes (through a VirtualMesh or a mesh list) to say which clients see them.
 */
public record MeshConfig(String name, String namespace, String cluster) {
  public MeshConfig {
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
    cluster = cluster == null ? "" : cluster;
  }
}
