package dev.vicinity.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.yaml.ConfigError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

  private static ConfigReader.Result read(String yaml) {
    return ConfigReader.read("vicinity.yaml", yaml);
  }

  private static ConfigError error(int line, String fieldPath, String message) {
    return new ConfigError("vicinity.yaml", line, fieldPath, message);
  }

  private static void assertOnlyErrors(ConfigReader.Result result, ConfigError... errors) {
    assertThat(result.config()).isEmpty();
    assertThat(result.errors()).containsExactlyInAnyOrder(errors);
  }

  @Test
  void readsEverySetting() {
    String yaml = """
        server:
          xdsPort: 18001
          debugPort: 19001
          debugAddress: 0.0.0.0
          coalesceWindow: 50ms
        clusters:
        - name: mgmt-cluster
          network: net-1
          locality:
            region: us-east1
            zone: us-east1-b
            subZone: rack-1
        - name: remote-cluster
        """;

    ConfigReader.Result result = read(yaml);

    assertThat(result.errors()).isEmpty();
    assertThat(result.config()).hasValueSatisfying(config -> {
      assertThat(config.server()).isEqualTo(new ServerSettings(18001, 19001, "0.0.0.0", Duration.ofMillis(50), null));
      assertThat(config.clusters()).containsExactly(
          new ClusterConfig("mgmt-cluster", "net-1", new LocalityMatch("us-east1", "us-east1-b", "rack-1")),
          new ClusterConfig("remote-cluster", "", null));
      ClusterConfig mgmt = config.clusters().get(0);
      assertThat(mgmt.id()).isEqualTo(ClusterId.of("mgmt-cluster"));
      assertThat(mgmt.defaultLocality()).isEqualTo(new Locality("us-east1", "us-east1-b", "rack-1"));
      assertThat(config.clusters().get(1).defaultLocality()).isEqualTo(Locality.UNKNOWN);
    });
  }

  @Test
  void absentServerSettingsTakeTheDefaults() {
    ConfigReader.Result result = read("clusters:\n- name: mgmt-cluster\n");

    assertThat(result.errors()).isEmpty();
    assertThat(result.config()).hasValueSatisfying(config -> {
      ServerSettings server = config.server();
      assertThat(server).isEqualTo(ServerSettings.DEFAULTS);
      assertThat(server.xdsPort()).isEqualTo(18000);
      assertThat(server.debugPort()).isEqualTo(19000);
      assertThat(server.debugAddress()).isEqualTo("127.0.0.1");
      assertThat(server.coalesceWindow()).isEqualTo(Duration.ofMillis(20));
    });
  }

  @Test
  void partialServerSettingsKeepTheOtherDefaults() {
    ConfigReader.Result result = read("server:\n  xdsPort: 0\nclusters:\n- name: a\n");

    assertThat(result.errors()).isEmpty();
    assertThat(result.config().orElseThrow().server())
        .isEqualTo(new ServerSettings(0, 19000, "127.0.0.1", Duration.ofMillis(20), null));
  }

  @Test
  void readsAdmissionKeepaliveAndDrainSettings() {
    String yaml = """
        server:
          maxConcurrentStreamStarts: 8
          streamStartTimeout: 2s
          keepAliveTime: 1m
          keepAliveTimeout: 5s
          maxConnectionAge: 1h
          maxConnectionAgeGrace: 30s
          drainPeriod: 1m30s
        clusters:
        - name: a
        """;

    ServerSettings server = read(yaml).config().orElseThrow().server();

    assertThat(server.maxConcurrentStreamStarts()).isEqualTo(8);
    assertThat(server.streamStartTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(server.keepAliveTime()).isEqualTo(Duration.ofMinutes(1));
    assertThat(server.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(server.maxConnectionAge()).isEqualTo(Duration.ofHours(1));
    assertThat(server.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(server.drainPeriod()).isEqualTo(Duration.ofSeconds(90));
    assertThat(server.xdsPort()).isEqualTo(18000);
  }

  @Test
  void admissionKeepaliveAndDrainDefaultToIstioLikeValues() {
    ServerSettings server = read("clusters:\n- name: a\n").config().orElseThrow().server();

    assertThat(server.maxConcurrentStreamStarts()).isEqualTo(64);
    assertThat(server.streamStartTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(server.keepAliveTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(server.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(server.maxConnectionAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(server.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(server.drainPeriod()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void zeroMaxConnectionAgeAndDrainPeriodAreAccepted() {
    ConfigReader.Result result = read("server:\n  maxConnectionAge: 0\n  drainPeriod: 0s\nclusters:\n- name: a\n");

    assertThat(result.errors()).isEmpty();
    assertThat(result.config().orElseThrow().server().maxConnectionAge()).isZero();
    assertThat(result.config().orElseThrow().server().drainPeriod()).isZero();
  }

  @Test
  void admissionAndKeepaliveValuesOutOfRangeAreAllReported() {
    String yaml = """
        server:
          maxConcurrentStreamStarts: 0
          streamStartTimeout: 0s
          keepAliveTime: 500ms
          keepAliveTimeout: 0
          maxConnectionAge: 100ms
        clusters:
        - name: a
        """;

    assertOnlyErrors(read(yaml),
        error(2, "server.maxConcurrentStreamStarts",
            "0 is too small: expected at least 1 (streams beyond the limit wait their turn, they are not refused)"),
        error(3, "server.streamStartTimeout", "0s is too short: expected a positive duration, e.g. 5s"),
        error(4, "server.keepAliveTime", "500ms is too short: expected at least 1s, e.g. 30s"),
        error(5, "server.keepAliveTimeout", "0s is too short: expected a positive duration, e.g. 10s"),
        error(6, "server.maxConnectionAge", "100ms is too short: expected at least 1s, e.g. 30m, or 0 for never"));
  }

  @Test
  void readsTheXdsAddressAndTheNodeGroupBound() {
    ServerSettings server = read("server:\n  xdsAddress: 10.0.0.5\n  maxNodeGroups: 50\nclusters:\n- name: a\n")
        .config().orElseThrow().server();

    assertThat(server.xdsAddress()).isEqualTo("10.0.0.5");
    assertThat(server.maxNodeGroups()).isEqualTo(50);
  }

  @Test
  void theXdsPortListensEverywhereAndAThousandNodeGroupsMayHaveProxiesByDefault() {
    ServerSettings server = read("clusters:\n- name: a\n").config().orElseThrow().server();

    assertThat(server.xdsAddress()).isEqualTo("0.0.0.0");
    assertThat(server.maxNodeGroups()).isEqualTo(1000);
  }

  @Test
  void aNodeGroupBoundBelowOneIsReported() {
    assertOnlyErrors(read("server:\n  maxNodeGroups: 0\nclusters:\n- name: a\n"), error(2, "server.maxNodeGroups",
        "0 is too small: expected at least 1 (streams of a node group beyond the limit are refused)"));
  }

  @Test
  void malformedDrainPeriodIsReported() {
    assertOnlyErrors(read("server:\n  drainPeriod: soon\nclusters:\n- name: a\n"), error(2, "server.drainPeriod",
        "expected a duration such as 5s, 1m30s or 100ms, got 'soon'"));
  }

  @Test
  void atLeastOneClusterIsRequired() {
    String yaml = """
        server:
          xdsPort: 18000
        clusters: []
        """;

    assertOnlyErrors(read(yaml),
        error(3, "clusters", "at least one cluster is required: {name, network, locality}"));
  }

  @Test
  void missingClustersAreReportedAtTheDocument() {
    assertOnlyErrors(read("server:\n  xdsPort: 18000\n"),
        error(1, "clusters", "at least one cluster is required: {name, network, locality}"));
  }

  @Test
  void clusterNameMustBeADnsLabel() {
    String yaml = """
        clusters:
        - name: mgmt-cluster
        - name: Remote_Cluster
        - name: -edge
        """;

    assertOnlyErrors(read(yaml),
        error(3, "clusters[1].name", "'Remote_Cluster' is not a DNS label (lower case letters, digits, '-')"),
        error(4, "clusters[2].name", "'-edge' is not a DNS label (lower case letters, digits, '-')"));
  }

  @Test
  void clusterNameIsRequired() {
    String yaml = """
        clusters:
        - name: mgmt-cluster
        - network: net-2
          locality:
            region: us-west1
        """;

    assertOnlyErrors(read(yaml),
        error(3, "clusters[1].name", "required: the Kubernetes cluster's name, e.g. mgmt-cluster"));
  }

  @Test
  void duplicateClusterIsReportedAtItsSecondEntry() {
    String yaml = """
        clusters:
        - name: mgmt-cluster
        - name: remote-cluster
          network: net-2
        - name: mgmt-cluster
        """;

    assertOnlyErrors(read(yaml), error(5, "clusters[2].name", "cluster 'mgmt-cluster' is listed twice"));
  }

  @Test
  void portsOutOfRangeAreAllReported() {
    String yaml = """
        server:
          xdsPort: 70000
          debugPort: -1
        clusters:
        - name: mgmt-cluster
        """;

    assertOnlyErrors(read(yaml),
        error(2, "server.xdsPort", "70000 is not a port: expected 0-65535 (0: any free port)"),
        error(3, "server.debugPort", "-1 is not a port: expected 0-65535 (0: any free port)"));
  }

  @Test
  void portsAtTheEdgesOfTheRangeAreAccepted() {
    ConfigReader.Result result = read("server:\n  xdsPort: 0\n  debugPort: 65535\nclusters:\n- name: a\n");

    assertThat(result.errors()).isEmpty();
    assertThat(result.config()).isPresent();
  }

  @Test
  void unknownServerFieldIsReportedWithTheExpectedFields() {
    String yaml = """
        server:
          xdsPort: 18000
          xdsport: 18001
        clusters:
        - name: mgmt-cluster
        """;

    assertOnlyErrors(read(yaml), error(3, "server.xdsport",
        "unknown field 'xdsport'; expected one of: clusterSyncTimeout, coalesceWindow, debugAddress, debugPort, drainPeriod, "
            + "envoyListenerAddress, keepAliveTime, keepAliveTimeout, maxConcurrentStreamStarts, maxConnectionAge, "
            + "maxConnectionAgeGrace, maxNodeGroups, streamStartTimeout, xdsAddress, xdsPort"));
  }

  @Test
  void unknownLocalityFieldIsReportedWithTheExpectedFields() {
    String yaml = """
        clusters:
        - name: mgmt-cluster
          locality:
            region: us-east1
            subzone: rack-1
        """;

    assertOnlyErrors(read(yaml), error(5, "clusters[0].locality.subzone",
        "unknown field 'subzone'; expected one of: region, subZone, zone"));
  }

  @Test
  void unknownTopLevelFieldIsReported() {
    assertOnlyErrors(read("clusters:\n- name: a\nservers: all\n"), error(3, "servers",
        "unknown field 'servers'; expected one of: clusters, leaderElection, meshes, server, virtualMeshes"));
  }

  @Test
  void malformedCoalesceWindowIsReported() {
    String yaml = """
        server:
          coalesceWindow: 20 millis
        clusters:
        - name: mgmt-cluster
        """;

    assertOnlyErrors(read(yaml), error(2, "server.coalesceWindow",
        "expected a duration such as 5s, 1m30s or 100ms, got '20 millis'"));
  }

  @Test
  void portGivenAsTextIsATypeError() {
    ConfigReader.Result result = read("server:\n  debugPort: \"19000\"\nclusters:\n- name: a\n");

    assertThat(result.config()).isEmpty();
    assertThat(result.errors()).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.fieldPath()).isEqualTo("server.debugPort");
    });
  }

  @Test
  void moreThanOneDocumentIsAnError() {
    assertOnlyErrors(read("clusters:\n- name: a\n---\nclusters:\n- name: b\n"),
        error(1, "", "expected exactly one YAML document, found 2"));
  }

  @Test
  void emptyFileIsAnError() {
    assertOnlyErrors(read(""), error(1, "", "expected exactly one YAML document, found 0"));
  }

  @Test
  void syntaxErrorIsTheOnlyError() {
    ConfigReader.Result result = read("clusters:\n- name: a\n  network: b: c\n");

    assertThat(result.config()).isEmpty();
    assertThat(result.errors()).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.message()).startsWith("not valid YAML: mapping values are not allowed here");
    });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml = """
        server:
          xdsPort: 99999
        clusters:
        - name: a
        - name: A
        - name: a
        """;

    assertOnlyErrors(read(yaml),
        error(2, "server.xdsPort", "99999 is not a port: expected 0-65535 (0: any free port)"),
        error(5, "clusters[1].name", "'A' is not a DNS label (lower case letters, digits, '-')"),
        error(6, "clusters[2].name", "cluster 'a' is listed twice"));
  }

  @Test
  void nullClusterEntryIsReportedAtTheEntry() {
    assertOnlyErrors(read("clusters:\n- name: a\n- ~\n"),
        error(3, "clusters[1]", "empty list entry: expected a value"));
  }

  @Test
  void trailingDocumentSeparatorIsAccepted() {
    ConfigReader.Result result = read("clusters:\n- name: a\n---\n");

    assertThat(result.errors()).isEmpty();
    assertThat(result.config()).isPresent();
  }

  @Test
  void resultErrorsAreImmutable() {
    assertThat(read("clusters: []\n").errors()).hasSize(1).isUnmodifiable();
  }

  @Test
  void meshesAndVirtualMeshesAreReadAndChecked() {
    String yaml = """
        clusters:
        - name: mgmt-cluster
        meshes:
        - name: istiod-mgmt
          namespace: gloo-mesh
          cluster: mgmt-cluster
        - name: istiod-other
          namespace: gloo-mesh
          cluster: elsewhere
        virtualMeshes:
        - name: virtual-mesh
          namespace: gloo-mesh
          meshes:
          - name: istiod-mgmt
            namespace: gloo-mesh
          - name: istiod-missing
            namespace: gloo-mesh
        """;

    assertOnlyErrors(read(yaml),
        error(9, "meshes[1].cluster", "'elsewhere' is not a cluster of this file; expected one of mgmt-cluster"),
        error(16, "virtualMeshes[0].meshes[1]", "no mesh gloo-mesh/istiod-missing under 'meshes'"));
  }

  @Test
  void meshTopologyGivesTheClustersOfAVirtualMesh() {
    String yaml = """
        clusters:
        - name: a
        - name: b
        meshes:
        - {name: m-a, namespace: gm, cluster: a}
        - {name: m-b, namespace: gm, cluster: b}
        virtualMeshes:
        - name: vm
          namespace: gm
          meshes: [{name: m-a, namespace: gm}]
        """;

    var topology = read(yaml).config().orElseThrow().meshTopology();

    assertThat(topology.restrictsVisibility()).isTrue();
    assertThat(topology.clustersOfVirtualMesh(new dev.vicinity.api.policy.ObjectRef("vm", "gm"))).contains(java.util.Set.of("a"));
    assertThat(topology.clustersOfVirtualMesh(new dev.vicinity.api.policy.ObjectRef("other", "gm"))).isEmpty();
  }

  @Test
  void eastWestGatewaysBelongToTheClusterNetwork() {
    String yaml = """
        clusters:
        - name: west
          network: network2
          eastWestGateways:
          - address: 192.0.2.10
          - address: 192.0.2.11
            port: 15444
        - name: east
          eastWestGateways:
          - port: 70000
        """;

    ConfigReader.Result result = read(yaml);

    assertThat(result.errors()).extracting(ConfigError::toString).containsExactlyInAnyOrder(
        "vicinity.yaml:10: clusters[1].eastWestGateways[0].address: required: the gateway's IP address or host name",
        "vicinity.yaml:10: clusters[1].eastWestGateways[0].port: 70000 is not a port number: expected 1-65535",
        "vicinity.yaml:8: clusters[1].network: required with eastWestGateways: the network those gateways lead into");
    String valid = yaml.substring(0, yaml.indexOf("- name: east"));
    var topology = read(valid).config().orElseThrow().meshTopology();
    assertThat(topology.gatewaysOf("network2")).containsExactly(new Gateway("192.0.2.10", 15443), new Gateway("192.0.2.11", 15444));
    assertThat(topology.gatewaysOf("network1")).isEmpty();
  }

  @Test
  void readsTheLeaderElectionSection() {
    String yaml = """
        leaderElection:
          namespace: mesh-control
          name: vicinity-status.leader
          leaseDuration: 2s
          renewDeadline: 1500ms
          retryPeriod: 300ms
        clusters:
        - name: a
        """;

    ConfigReader.Result result = read(yaml);

    assertThat(result.errors()).isEmpty();
    assertThat(result.config().orElseThrow().leaderElection()).isEqualTo(new LeaderElectionSettings("mesh-control",
        "vicinity-status.leader", Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(300)));
  }

  @Test
  void leaderElectionDefaultsToKubernetesControllersValuesAndThePodsNamespace() {
    LeaderElectionSettings election = read("clusters:\n- name: a\n").config().orElseThrow().leaderElection();

    assertThat(election).isEqualTo(LeaderElectionSettings.DEFAULTS);
    assertThat(election.namespace()).as("empty: the pod's own namespace, resolved at start-up").isEmpty();
    assertThat(election.name()).isEqualTo("vicinity-leader");
    assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(election.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(election.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void badLeaseNamesAreReported() {
    String yaml = """
        leaderElection:
          namespace: Vicinity_System
          name: Leader!
        clusters:
        - name: a
        """;

    assertOnlyErrors(read(yaml),
        error(2, "leaderElection.namespace", "'Vicinity_System' is not a Kubernetes namespace name: expected a DNS label"
            + " (lower case letters, digits, '-'; at most 63)"),
        error(3, "leaderElection.name", "'Leader!' is not a Lease name: expected lower case letters, digits, '-' and '.'"
            + " (at most 253), e.g. vicinity-leader"));
  }

  @Test
  void leaseDurationIsWholeSecondsAndTheOthersPositive() {
    String yaml = """
        leaderElection:
          leaseDuration: 1500ms
          renewDeadline: 0
          retryPeriod: 0
        clusters:
        - name: a
        """;

    assertOnlyErrors(read(yaml),
        error(2, "leaderElection.leaseDuration",
            "1500ms is not a lease duration: expected whole seconds, at least 1s, e.g. 15s (a Lease holds whole seconds)"),
        error(3, "leaderElection.renewDeadline", "0s is too short: expected a positive duration, e.g. 10s"),
        error(4, "leaderElection.retryPeriod", "0s is too short: expected a positive duration, e.g. 2s"));
  }

  @Test
  void renewDeadlineMustBeShorterThanTheLeaseAndFitARetry() {
    String yaml = """
        leaderElection:
          leaseDuration: 10s
          renewDeadline: 10s
          retryPeriod: 5s
        clusters:
        - name: a
        """;

    assertOnlyErrors(read(yaml),
        error(3, "leaderElection.renewDeadline", "10s is too long: expected less than leaseDuration (10s), so that a leader"
            + " stops writing before another may take the Lease"),
        error(4, "leaderElection.retryPeriod", "5s is too long: expected less than renewDeadline (10s) / 2.2, as a renewal"
            + " is retried up to 2.2 retry periods after the last"));
  }

  @Test
  void aRetryPeriodJustWithinTheRenewDeadlineIsAccepted() {
    ConfigReader.Result result = read("leaderElection:\n  renewDeadline: 2201ms\n  retryPeriod: 1s\nclusters:\n- name: a\n");

    assertThat(result.errors()).isEmpty();
    assertThat(read("leaderElection:\n  renewDeadline: 2200ms\n  retryPeriod: 1s\nclusters:\n- name: a\n").errors())
        .singleElement().satisfies(e -> assertThat(e.fieldPath()).isEqualTo("leaderElection.retryPeriod"));
  }

  @Test
  void malformedLeaderElectionDurationAndUnknownFieldAreBothReported() {
    String yaml = """
        leaderElection:
          leaseDuration: fifteen
          lease: vicinity
        clusters:
        - name: a
        """;

    assertOnlyErrors(read(yaml),
        error(2, "leaderElection.leaseDuration", "expected a duration such as 5s, 1m30s or 100ms, got 'fifteen'"),
        error(3, "leaderElection.lease",
            "unknown field 'lease'; expected one of: leaseDuration, name, namespace, renewDeadline, retryPeriod"));
  }

  @Test
  void theStatusClusterIsTheFirstLivePolicySource() {
    String yaml = """
        clusters:
        - name: files
        - name: east
          kubeconfig: /k
        - name: west
          kubeconfig: /k
          policySource: true
        - name: north
          kubeconfig: /k
          policySource: true
        """;

    assertThat(read(yaml).config().orElseThrow().statusCluster().map(ClusterConfig::name)).contains("west");
    assertThat(read("clusters:\n- name: files\n").config().orElseThrow().statusCluster())
        .as("a file-only deployment elects nobody").isEmpty();
  }
}
