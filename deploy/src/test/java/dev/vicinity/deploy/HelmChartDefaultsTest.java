package dev.vicinity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.ServerSettings;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.yaml.Durations;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart with its default values: {@code helm lint} and what {@code helm template} renders. */
class HelmChartDefaultsTest {
  private static Manifests rendered;

  @BeforeAll
  static void render() {
    rendered = HelmChart.render();
  }

  static Container vicinityContainer(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("vicinity")).findFirst().orElseThrow();
  }

  /** A container port by its name or number, as a probe or a Service's targetPort names it. */
  static ContainerPort port(Container container, IntOrString reference) {
    return container.getPorts().stream()
        .filter(p -> reference.getStrVal() != null ? reference.getStrVal().equals(p.getName()) : reference.getIntVal().equals(p.getContainerPort()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port " + reference + " in " + container.getPorts()));
  }

  static VicinityConfig config(Manifests manifests) {
    ConfigReader.Result read = VicinityYaml.of(manifests.only(ConfigMap.class)).read();
    assertThat(read.errors()).as("vicinity.yaml as Vicinity reads it").isEmpty();
    return read.config().orElseThrow();
  }

  @Test
  void rendersTheControlPlaneItsRbacAndNothingOptional() {
    assertThat(rendered.objects()).map(Manifests::describe).containsExactlyInAnyOrder(
        "ServiceAccount vicinity",
        "ClusterRole vicinity-discovery", "ClusterRoleBinding vicinity-discovery",
        "ClusterRole vicinity-policies", "ClusterRoleBinding vicinity-policies",
        "Role vicinity-leader-election", "RoleBinding vicinity-leader-election",
        "ConfigMap vicinity", "Service vicinity", "Deployment vicinity", "PodDisruptionBudget vicinity");
    assertThat(rendered.objects()).filteredOn(o -> !o.getKind().startsWith("Cluster"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(Manifests.describe(o)).isEqualTo(HelmChart.NAMESPACE));
  }

  @Test
  void theImageIsTheOneThisBuildTags() throws IOException {
    String version = System.getProperty("vicinity.version");
    JsonNode chartFile = new YAMLMapper().readTree(HelmChart.chart().resolve("Chart.yaml").toFile());
    assertThat(chartFile.path("appVersion").asText()).as("Chart.yaml appVersion").isEqualTo(version);
    assertThat(vicinityContainer(rendered.only(Deployment.class)).getImage()).isEqualTo("ghcr.io/vicinity-dev/vicinity:" + version);
  }

  @Test
  void twoReplicasSpreadOverZonesAndNodes() {
    Deployment deployment = rendered.only(Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    List<TopologySpreadConstraint> spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
    assertThat(spread).map(TopologySpreadConstraint::getTopologyKey)
        .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(spread).allSatisfy(constraint -> {
      assertThat(constraint.getMaxSkew()).isEqualTo(1);
      assertThat(podLabels).containsAllEntriesOf(constraint.getLabelSelector().getMatchLabels());
    });
  }

  @Test
  void aDisruptionBudgetKeepsAReplicaServing() {
    PodDisruptionBudget budget = rendered.only(PodDisruptionBudget.class);
    Deployment deployment = rendered.only(Deployment.class);
    assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void probesReadinessAndLivenessOnTheDebugPort() {
    Container container = vicinityContainer(rendered.only(Deployment.class));
    int debugPort = config(rendered).server().debugPort();
    Probe readiness = container.getReadinessProbe();
    Probe liveness = container.getLivenessProbe();
    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(port(container, readiness.getHttpGet().getPort()).getContainerPort()).isEqualTo(debugPort);
    assertThat(port(container, liveness.getHttpGet().getPort()).getContainerPort()).isEqualTo(debugPort);
    // The debug endpoint binds loopback by default: the kubelet could not reach it.
    assertThat(String.join(" ", container.getArgs())).startsWith("serve --config /etc/vicinity").contains("--debug-address 0.0.0.0");
  }

  @Test
  void theContainerPortsAreTheConfiguredOnes() {
    Container container = vicinityContainer(rendered.only(Deployment.class));
    ServerSettings server = config(rendered).server();
    assertThat(server.xdsPort()).isEqualTo(ServerSettings.DEFAULT_XDS_PORT);
    assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactlyInAnyOrder(
            tuple("xds", server.xdsPort()),
            tuple("debug", server.debugPort()));
  }

  @Test
  void theServiceExposesXdsAndTheMetricsPortAndAnnotatesIt() {
    Service service = rendered.only(Service.class);
    Container container = vicinityContainer(rendered.only(Deployment.class));
    ServerSettings server = config(rendered).server();
    assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName)
        .containsExactly("grpc-xds", "http-metrics");
    ServicePort xds = service.getSpec().getPorts().get(0);
    assertThat(xds.getPort()).isEqualTo(18000);
    assertThat(xds.getAppProtocol()).isEqualTo("grpc");
    assertThat(port(container, xds.getTargetPort()).getContainerPort()).isEqualTo(server.xdsPort());
    // The debug port: its /debug pages answer loopback clients only (DebugServerTest), never a Service's.
    ServicePort metrics = service.getSpec().getPorts().get(1);
    assertThat(port(container, metrics.getTargetPort()).getContainerPort()).isEqualTo(server.debugPort());
    assertThat(metrics.getPort()).isEqualTo(server.debugPort());
    assertThat(service.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", String.valueOf(server.debugPort()))
        .containsEntry("prometheus.io/path", "/metrics");
    assertThat(service.getSpec().getSelector()).isEqualTo(rendered.only(Deployment.class).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void runsAsNonRootOnAReadOnlyRootWithoutCapabilities() {
    PodSpec pod = rendered.only(Deployment.class).getSpec().getTemplate().getSpec();
    Container container = vicinityContainer(rendered.only(Deployment.class));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    // The root is read-only; the JVM and gRPC's native transport write to /tmp.
    VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
    assertThat(volume.getEmptyDir()).isNotNull();
  }

  @Test
  void terminationGraceOutlastsTheDrainPeriod() {
    PodSpec pod = rendered.only(Deployment.class).getSpec().getTemplate().getSpec();
    Duration drain = config(rendered).server().drainPeriod();
    assertThat(drain).isEqualTo(ServerSettings.DEFAULT_DRAIN_PERIOD);
    assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds())).isGreaterThan(drain);
  }

  @Test
  void theConfigMapHoldsAVicinityYamlTheServerAccepts() {
    VicinityConfig config = config(rendered);
    assertThat(config.clusters()).singleElement().satisfies(cluster -> {
      assertThat(cluster.inCluster()).isTrue();
      assertThat(cluster.policySource()).isTrue();
    });
    Container container = vicinityContainer(rendered.only(Deployment.class));
    VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/etc/vicinity")).findFirst().orElseThrow();
    Volume volume = rendered.only(Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    assertThat(volume.getConfigMap().getName()).isEqualTo(rendered.only(ConfigMap.class).getMetadata().getName());
    assertThat(volume.getConfigMap().getItems()).anySatisfy(item -> {
      assertThat(item.getKey()).isEqualTo("vicinity.yaml");
      assertThat(item.getPath()).isEqualTo("vicinity.yaml");
    });
  }

  @Test
  void leaderElectionUsesALeaseInTheReleaseNamespaceAndThePodsIdentity() {
    JsonNode election = VicinityYaml.of(rendered.only(ConfigMap.class)).tree().path(VicinityYaml.LEADER_ELECTION);
    assertThat(election.path("namespace").asText()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(election.path("name").asText()).isEqualTo("vicinity-leader");
    Duration lease = Durations.parse(election.path("leaseDuration").asText());
    Duration renew = Durations.parse(election.path("renewDeadline").asText());
    Duration retry = Durations.parse(election.path("retryPeriod").asText());
    assertThat(List.of(lease, renew, retry)).containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    List<EnvVar> env = vicinityContainer(rendered.only(Deployment.class)).getEnv();
    assertThat(env).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("POD_NAME");
      assertThat(v.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    });
    assertThat(env).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("POD_NAMESPACE");
      assertThat(v.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    });
  }

  @Test
  void clusterRolesGrantExactlyWhatDiscoveryWatchesAndStatusWrites() {
    assertThat(RbacGrants.of(rulesBoundTo(serviceAccount(rendered), rendered)))
        .containsExactlyInAnyOrderElementsOf(RbacGrants.discoveryAndStatus());
  }

  @Test
  void theLeaseRoleIsTheOnlyRoleAndStaysInTheReleaseNamespace() {
    Role role = rendered.only(Role.class);
    RoleBinding binding = rendered.only(RoleBinding.class);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(RbacGrants.of(role.getRules())).containsExactlyInAnyOrderElementsOf(RbacGrants.leases());
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> isTheServiceAccount(subject, serviceAccount(rendered)));
  }

  @Test
  void theChartsAndTheKustomizeBasesCrdsAreDeploysCrds() throws IOException {
    Path crds = HelmChart.deployDirectory().resolve("crds");
    for (Path copy : List.of(HelmChart.chart().resolve("crds"), HelmChart.deployDirectory().resolve("kubernetes").resolve("crds"))) {
      assertThat(fileNames(copy)).as("%s", copy).isEqualTo(fileNames(crds)).isNotEmpty();
      for (String name : fileNames(crds)) {
        assertThat(Files.readString(copy.resolve(name))).as("%s, a copy of crds/%s", copy.resolve(name), name)
            .isEqualTo(Files.readString(crds.resolve(name)));
      }
    }
  }

  static ServiceAccount serviceAccount(Manifests manifests) {
    ServiceAccount account = manifests.only(ServiceAccount.class);
    Deployment deployment = manifests.only(Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(account.getMetadata().getName());
    return account;
  }

  static void isTheServiceAccount(Subject subject, ServiceAccount account) {
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
    assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
  }

  /** The rules of every ClusterRole bound to the account; every binding must bind it alone. */
  static List<PolicyRule> rulesBoundTo(ServiceAccount account, Manifests manifests) {
    return manifests.all(ClusterRoleBinding.class).stream()
        .peek(binding -> assertThat(binding.getSubjects()).singleElement().satisfies(s -> isTheServiceAccount(s, account)))
        .peek(binding -> assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole"))
        .flatMap(binding -> manifests.one(ClusterRole.class, binding.getRoleRef().getName()).getRules().stream())
        .toList();
  }

  private static List<String> fileNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
