package dev.vicinity.api.world;

import java.util.Objects;

/** A Kubernetes Service's identity within one cluster: namespace and name. */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {
  public ServiceKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** Namespace, then name. */
  @Override
  public int compareTo(ServiceKey other) {
    if (this == other) {
      return 0;
    }
    int order = namespace.compareTo(other.namespace);
    return order != 0 ? order : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
