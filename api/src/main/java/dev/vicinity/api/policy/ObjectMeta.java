package dev.vicinity.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The parts of Kubernetes {@code metadata} Vicinity uses. Other metadata fields (uid, managedFields,
 * annotations...) are accepted and ignored, so {@code kubectl get -o yaml} output reads unchanged.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectMeta(String name, String namespace, Long generation, Map<String, String> labels) {
  public static final String DEFAULT_NAMESPACE = "default";

  public ObjectMeta {
    name = Nulls.text(name);
    namespace = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    generation = generation == null ? 0L : generation;
    labels = Nulls.map(labels);
  }

  public ObjectRef ref() {
    return new ObjectRef(name, namespace);
  }
}
