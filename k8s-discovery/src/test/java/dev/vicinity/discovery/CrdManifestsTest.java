package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.policy.PolicyKind;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs of {@code deploy/crds/} serve what Vicinity watches, with a structural schema and a status
 * subresource, and {@code deploy/kubernetes/rbac.yaml} grants what it does with them.
 */
class CrdManifestsTest {
  private static final Path CRDS = Path.of("..", "deploy", "crds");
  private static final Path RBAC = Path.of("..", "deploy", "kubernetes", "rbac.yaml");

  private static List<CustomResourceDefinition> crds() throws IOException {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path file : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          crds.add(new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
        }
      }
    }
    return crds;
  }

  @Test
  void everyWatchedKindHasACrdServingTheWatchedVersion() throws IOException {
    List<CustomResourceDefinition> crds = crds();
    assertThat(crds).hasSize(PolicyKind.values().length);
    for (PolicyKind kind : PolicyKind.values()) {
      ResourceDefinitionContext watched = PolicyResourceSource.WATCHED.get(kind);
      CustomResourceDefinition crd = crds.stream()
          .filter(c -> c.getSpec().getNames().getKind().equals(kind.kindName()))
          .findFirst().orElseThrow(() -> new AssertionError("no CRD for " + kind.kindName()));
      assertThat(crd.getMetadata().getName()).isEqualTo(watched.getPlural() + "." + watched.getGroup());
      assertThat(crd.getSpec().getGroup()).isEqualTo(watched.getGroup());
      assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(watched.getPlural());
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getVersions()).filteredOn(CustomResourceDefinitionVersion::getStorage).hasSize(1);
      assertThat(crd.getSpec().getVersions())
          .filteredOn(v -> v.getName().equals(watched.getVersion()) && v.getServed())
          .hasSize(1);
    }
  }

  @Test
  void theRbacManifestLetsVicinityReadEveryPolicyKindAndUpdateItsStatus() throws IOException {
    KubernetesSerialization serialization = new KubernetesSerialization();
    ClusterRole role = Stream.of(Files.readString(RBAC).split("\n---\n"))
        .map(document -> serialization.unmarshal(document))
        .filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
        .filter(r -> r.getMetadata().getName().equals("vicinity-policies"))
        .findFirst().orElseThrow();
    for (ResourceDefinitionContext watched : PolicyResourceSource.WATCHED.values()) {
      assertThat(verbs(role, watched.getGroup(), watched.getPlural())).contains("get", "list", "watch");
      assertThat(verbs(role, watched.getGroup(), watched.getPlural() + "/status")).contains("update");
    }
  }

  private static List<String> verbs(ClusterRole role, String group, String resource) {
    return role.getRules().stream()
        .filter(rule -> rule.getApiGroups().contains(group) && rule.getResources().contains(resource))
        .flatMap(rule -> rule.getVerbs().stream())
        .toList();
  }

  @Test
  void everyVersionIsStructuralWithAStatusSubresourceForWhatVicinityWrites() throws IOException {
    for (CustomResourceDefinition crd : crds()) {
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        String where = crd.getMetadata().getName() + " " + version.getName();
        assertThat(version.getSubresources().getStatus()).as(where).isNotNull();
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        assertThat(root.getType()).as(where).isEqualTo("object");
        JSONSchemaProps spec = root.getProperties().get("spec");
        assertThat(spec.getType()).as(where).isEqualTo("object");
        assertThat(spec.getXKubernetesPreserveUnknownFields()).as(where).isTrue();
        JSONSchemaProps status = root.getProperties().get("status");
        assertThat(status.getType()).as(where).isEqualTo("object");
        assertThat(status.getProperties()).as(where)
            .containsKeys("observedGeneration", "state", "errors", "selectedDestinations", "appliedTo");
        assertThat(status.getProperties().get("state").getEnum()).as(where)
            .extracting(node -> node.asText()).containsExactlyInAnyOrder("PENDING", "ACCEPTED", "INVALID", "FAILED");
      }
    }
  }
}
