package dev.vicinity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values the chart refuses, with a message saying which value and what was expected; and what values leave out. */
class HelmChartValuesErrorsTest {
  private static Manifests render(Map<String, Object> sets) {
    return Manifests.parse(HelmChart.template(sets));
  }

  @Test
  void aGracePeriodNoLongerThanTheDrainIsRefused() {
    assertThatThrownBy(() -> render(Map.of("terminationGracePeriodSeconds", 5)))
        .hasMessageContaining("terminationGracePeriodSeconds: 5 is not longer than config.server.drainPeriod (5s)");
  }

  @Test
  void theGracePeriodFollowsALongerDrain() {
    Deployment deployment = render(Map.of("config.server.drainPeriod", "1m30s")).only(Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(105L);
    Deployment subSecond = render(Map.of("config.server.drainPeriod", "1500ms")).only(Deployment.class);
    assertThat(subSecond.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(17L);
  }

  @Test
  void aDrainPeriodThatIsNoDurationIsRefused() {
    assertThatThrownBy(() -> render(Map.of("config.server.drainPeriod", "five seconds")))
        .hasMessageContaining("config.server.drainPeriod: 'five seconds' is not a duration: expected e.g. 5s, 1m30s or 500ms");
  }

  @Test
  void tlsWithoutASecretIsRefused() {
    assertThatThrownBy(() -> render(Map.of("tls.enabled", true)))
        .hasMessageContaining("tls.secretName: required with tls.enabled");
  }

  @Test
  void aPolicyFileNameThatIsNoFileNameIsRefused() {
    assertThatThrownBy(() -> render(Map.of("policies.vicinity\\.yaml", "kind: DestinationRule")))
        .hasMessageContaining("policies: 'vicinity.yaml' is not a policy file name");
  }

  @Test
  void tmpWithoutASizeLimitIsStillAnEmptyDir() {
    Deployment deployment = render(Map.of("tmpVolume.sizeLimit", "")).only(Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(volume -> {
          assertThat(volume.getName()).isEqualTo("tmp");
          assertThat(volume.getEmptyDir()).isNotNull();
        });
  }

  @Test
  void oneReplicaGetsNoDisruptionBudgetThatWouldBlockNodeDrains() {
    Manifests single = render(Map.of("replicaCount", 1));
    assertThat(single.ofKind("PodDisruptionBudget")).isEmpty();
  }

  @Test
  void remoteClustersOnlyNeedNoRbacInTheClusterVicinityRunsIn() {
    Manifests remoteOnly = render(Map.of(
        "config.clusters[0].name", "remote-cluster",
        "config.clusters[0].inCluster", false,
        "config.clusters[0].kubeconfigSecret.name", "remote-cluster-kubeconfig"));
    assertThat(remoteOnly.all(ClusterRole.class)).isEmpty();
    assertThat(remoteOnly.all(Role.class)).as("the Lease is in the remote policySource cluster").isEmpty();
    assertThat(remoteOnly.ofKind("ClusterRoleBinding")).isEmpty();
  }

  @Test
  void aClusterWithoutPolicySourceGetsNoPolicyRules() {
    // --set on a list element replaces the whole list: the cluster is given in full.
    Manifests discoveryOnly = render(Map.of(
        "config.clusters[0].name", "cluster1",
        "config.clusters[0].inCluster", true,
        "config.clusters[0].policySource", false));
    assertThat(discoveryOnly.all(ClusterRole.class)).map(r -> r.getMetadata().getName()).isEqualTo(List.of("vicinity-discovery"));
    assertThat(discoveryOnly.all(Role.class)).isEmpty();
  }
}
