package dev.vicinity.api.config;

import dev.vicinity.api.policy.ObjectRef;
import java.util.List;

/** A Gloo Mesh {@code VirtualMesh}: meshes grouped so that VirtualDestinations are visible to all of them. */
public record VirtualMeshConfig(String name, String namespace, List<ObjectRef> meshes) {
  public VirtualMeshConfig {
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
    meshes = meshes == null ? List.of() : List.copyOf(meshes);
  }
}
