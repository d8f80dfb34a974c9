package dev.vicinity.deploy;

import static dev.vicinity.deploy.HelmChartDefaultsTest.config;
import static dev.vicinity.deploy.HelmChartDefaultsTest.port;
import static dev.vicinity.deploy.HelmChartDefaultsTest.vicinityContainer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.policy.PolicyReader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart with every option on (src/test/resources/everything-on.yaml): TLS, HPA, ServiceMonitor, NetworkPolicy, a remote cluster. */
class HelmChartOptionsTest {
  private static Manifests rendered;
  private static Deployment deployment;
  private static Container container;

  @BeforeAll
  static void render() {
    rendered = HelmChart.render(HelmChart.testValues("everything-on.yaml"));
    deployment = rendered.only(Deployment.class);
    container = vicinityContainer(deployment);
  }

  private static Volume volumeMountedAt(String directory) {
    VolumeMount mount = container.getVolumeMounts().stream()
        .filter(m -> directory.equals(m.getMountPath()))
        .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + directory + ": " + container.getVolumeMounts()));
    assertThat(mount.getReadOnly()).as("%s read-only", directory).isTrue();
    return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
  }

  /** The value following a flag in the container's arguments. */
  private static String argument(String flag) {
    List<String> args = container.getArgs();
    int at = args.indexOf(flag);
    assertThat(at).as("%s in %s", flag, args).isNotNegative().isLessThan(args.size() - 1);
    return args.get(at + 1);
  }

  @Test
  void tlsFilesComeFromTheSecretAndArePassedToServe() {
    Volume tls = volumeMountedAt("/etc/vicinity-tls");
    assertThat(tls.getSecret().getSecretName()).isEqualTo("vicinity-xds-tls");
    assertThat(argument("--tls-cert")).isEqualTo("/etc/vicinity-tls/tls.crt");
    assertThat(argument("--tls-key")).isEqualTo("/etc/vicinity-tls/tls.key");
    assertThat(argument("--tls-client-ca")).isEqualTo("/etc/vicinity-tls/ca.crt");
  }

  @Test
  void withoutClientVerificationNoClientCaIsPassed() {
    Deployment serverOnly = Manifests.parse(HelmChart.template(Map.of("tls.verifyClients", false),
        HelmChart.testValues("everything-on.yaml"))).only(Deployment.class);
    assertThat(vicinityContainer(serverOnly).getArgs()).contains("--tls-cert", "--tls-key").doesNotContain("--tls-client-ca");
  }

  @Test
  void theHpaScalesTheDeploymentWhichThenLeavesReplicasToIt() {
    HorizontalPodAutoscaler hpa = rendered.only(HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(9);
    assertThat(deployment.getSpec().getReplicas()).as("replicas, which would fight the HPA").isNull();
    assertThat(rendered.only(PodDisruptionBudget.class)).isNotNull();
  }

  @Test
  void theServiceMonitorScrapesMetricsOnEachPodsDebugPort() {
    List<GenericKubernetesResource> monitors = rendered.ofKind("ServiceMonitor").stream().map(GenericKubernetesResource.class::cast).toList();
    assertThat(monitors).singleElement().satisfies(monitor -> {
      assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
      assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
      Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
      assertThat(rendered.only(Service.class).getMetadata().getLabels()).containsAllEntriesOf(selector);
      List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
      assertThat(endpoints).singleElement().satisfies(endpoint -> {
        assertThat(endpoint).containsEntry("path", "/metrics");
        ServicePort scraped = rendered.only(Service.class).getSpec().getPorts().stream()
            .filter(p -> p.getName().equals(endpoint.get("port"))).findFirst().orElseThrow();
        assertThat(port(container, scraped.getTargetPort()).getContainerPort()).isEqualTo(19090);
      });
    });
  }

  @Test
  void theRemoteClustersKubeconfigIsMountedWhereVicinityYamlSaysItIs() {
    VicinityConfig config = config(rendered);
    ClusterConfig remote = config.clusters().stream().filter(c -> c.name().equals("remote-cluster")).findFirst().orElseThrow();
    assertThat(remote.live()).isTrue();
    assertThat(remote.context()).isEqualTo("remote-admin");
    assertThat(remote.namespaces()).containsExactly("bookinfo");
    Path kubeconfig = Path.of(remote.kubeconfig());
    assertThat(kubeconfig.isAbsolute()).as("%s is absolute (Vicinity resolves it from its working directory)", kubeconfig).isTrue();
    Volume secret = volumeMountedAt(kubeconfig.getParent().toString());
    assertThat(secret.getSecret().getSecretName()).isEqualTo("remote-cluster-kubeconfig");
    assertThat(secret.getSecret().getItems()).singleElement().satisfies(item -> {
      assertThat(item.getKey()).isEqualTo("config");
      assertThat(item.getPath()).isEqualTo(kubeconfig.getFileName().toString());
    });
  }

  @Test
  void serverSettingsReachTheFileThePortsAndTheGracePeriod() {
    VicinityConfig config = config(rendered);
    assertThat(config.server().coalesceWindow()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.server().maxConnectionAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(container.getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo("xds");
      assertThat(p.getContainerPort()).isEqualTo(18443);
    });
    assertThat(port(container, container.getReadinessProbe().getHttpGet().getPort()).getContainerPort()).isEqualTo(19090);
    assertThat(port(container, rendered.only(Service.class).getSpec().getPorts().get(0).getTargetPort()).getContainerPort())
        .isEqualTo(18443);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds())).isGreaterThan(Duration.ofSeconds(90));
  }

  @Test
  void theNetworkPolicyOpensXdsToAllAndTheDebugPortToPrometheusOnly() {
    NetworkPolicy policy = rendered.only(NetworkPolicy.class);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    // Every rule names its ports (a rule without ports would open all of them).
    assertThat(rules).allSatisfy(rule -> assertThat(rule.getPorts()).isNotEmpty());
    List<NetworkPolicyIngressRule> debug = rules.stream()
        .filter(rule -> rule.getPorts().stream().anyMatch(p -> port(container, p.getPort()).getContainerPort() == 19090))
        .toList();
    assertThat(debug).singleElement().satisfies(rule -> assertThat(rule.getFrom()).singleElement()
        .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
            .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"))));
    assertThat(rules).anySatisfy(rule -> {
      assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(port(container, p.getPort()).getContainerPort()).isEqualTo(18443));
      assertThat(rule.getFrom()).isEmpty();
    });
  }

  @Test
  void policyFilesAreMountedUnderPoliciesAndRead() {
    ConfigMap configMap = rendered.only(ConfigMap.class);
    String policy = configMap.getData().get("reviews-failover.yaml");
    PolicyReader.Result read = PolicyReader.read("reviews-failover.yaml", policy);
    assertThat(read.errors()).isEmpty();
    assertThat(read.policies()).hasSize(1);
    Volume config = volumeMountedAt("/etc/vicinity");
    assertThat(config.getConfigMap().getItems()).anySatisfy(item -> {
      assertThat(item.getKey()).isEqualTo("reviews-failover.yaml");
      assertThat(item.getPath()).isEqualTo("policies/reviews-failover.yaml");
    });
  }
}
