package dev.vicinity.api.policy;

import java.util.Comparator;

/** A reference to a namespaced object: {@code {name, namespace}}. */
public record ObjectRef(String name, String namespace) implements Comparable<ObjectRef> {
  private static final Comparator<ObjectRef> ORDER =
      Comparator.comparing(ObjectRef::namespace).thenComparing(ObjectRef::name);

  public ObjectRef {
    name = Nulls.text(name);
    namespace = Nulls.text(namespace);
  }

  @Override
  public int compareTo(ObjectRef other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
