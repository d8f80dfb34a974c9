package dev.vicinity.api.policy;

/** A reference to a namespaced object in one cluster: {@code {name, namespace, clusterName}}. */
public record ClusterObjectRef(String name, String namespace, String clusterName) {
  public ClusterObjectRef {
    name = Nulls.text(name);
    namespace = Nulls.text(namespace);
    clusterName = Nulls.text(clusterName);
  }

  @Override
  public String toString() {
    return clusterName + "/" + namespace + "/" + name;
  }
}
