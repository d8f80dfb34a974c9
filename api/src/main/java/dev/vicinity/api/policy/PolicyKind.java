package dev.vicinity.api.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The policy kinds and the API versions each is accepted under. */
public enum PolicyKind {
  VIRTUAL_DESTINATION("VirtualDestination", "networking.enterprise.mesh.gloo.solo.io", List.of("v1beta1")),
  TRAFFIC_POLICY("TrafficPolicy", "networking.mesh.gloo.solo.io", List.of("v1")),
  DESTINATION_RULE("DestinationRule", "networking.istio.io", List.of("v1", "v1beta1", "v1alpha3"));

  private final String kind;
  private final String group;
  private final List<String> versions;

  PolicyKind(String kind, String group, List<String> versions) {
    this.kind = kind;
    this.group = group;
    this.versions = versions;
  }

  public String kindName() {
    return kind;
  }

  public String group() {
    return group;
  }

  public List<String> apiVersions() {
    return versions.stream().map(v -> group + "/" + v).toList();
  }

  public static Optional<PolicyKind> forKind(String kind) {
    return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
  }
}
