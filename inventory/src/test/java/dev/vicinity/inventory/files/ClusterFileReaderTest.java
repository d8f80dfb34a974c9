package dev.vicinity.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.yaml.ConfigError;
import org.junit.jupiter.api.Test;

class ClusterFileReaderTest {
  @Test
  void listDumpsAndPlainDocumentsAreReadAndOtherKindsPassedOver() {
    String yaml = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Node
          metadata:
            name: n1
        - apiVersion: v1
          kind: Pod
          metadata:
            name: reviews-v1-abc
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          ports:
          - name: http
            port: 9080
            targetPort: 9080
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        addressType: IPv4
        metadata:
          name: reviews-abc
          namespace: bookinfo
        endpoints:
        - addresses: [10.0.0.1]
        """;

    ClusterFileReader.Result result = ClusterFileReader.read("dump.yaml", yaml);

    assertThat(result.errors()).isEmpty();
    assertThat(result.objects().nodes()).extracting(n -> n.getMetadata().getName()).containsExactly("n1");
    assertThat(result.objects().services()).extracting(s -> s.getSpec().getPorts().get(0).getTargetPort().getIntVal())
        .containsExactly(9080);
    assertThat(result.objects().endpointSlices()).hasSize(1);
  }

  @Test
  void aBadObjectIsReportedAtItsLineAndTheOthersStillCount() {
    String yaml = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Node
          metadata:
            name: n1
        - apiVersion: v1
          kind: Node
          metadata:
            labels: {a: b}
        - apiVersion: discovery.k8s.io/v1beta1
          kind: EndpointSlice
          metadata:
            name: old
        - kind: Service
          apiVersion: v1
          metadata:
            name: reviews
          spec:
            ports: "not a list"
        """;

    ClusterFileReader.Result result = ClusterFileReader.read("dump.yaml", yaml);

    assertThat(result.objects().nodes()).extracting(n -> n.getMetadata().getName()).containsExactly("n1");
    assertThat(result.errors()).extracting(ConfigError::line, ConfigError::fieldPath).containsExactly(
        org.assertj.core.groups.Tuple.tuple(10, "items[1].metadata.name"),
        org.assertj.core.groups.Tuple.tuple(12, "items[2].apiVersion"),
        org.assertj.core.groups.Tuple.tuple(21, "items[3].spec.ports"));
    assertThat(result.errors().get(1).message())
        .isEqualTo("'discovery.k8s.io/v1beta1' is not supported for this kind; expected discovery.k8s.io/v1");
    assertThat(result.errors().get(2).message()).isEqualTo("expected a list, got a string");
  }

  @Test
  void anObjectTheApiServerWouldRefuseIsLeftOutWholeWithAnErrorForEachBrokenRuleAtItsLine() {
    String yaml = """
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          ports:
          - name: http
            port: -80
            protocol: TCP
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: reviews-abc
          namespace: bookinfo
          labels:
            kubernetes.io/service-name: reviews
        addressType: IPv4
        endpoints:
        - addresses:
          - not-an-ip
          nodeName: node-1
        - addresses:
          - 999.1.1.1
        ports:
        - name: http
          port: -5
          protocol: TCP
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: ratings-abc
          namespace: bookinfo
        addressType: IPv4
        endpoints:
        - addresses: [10.0.0.7]
        ports:
        - {name: http, port: 9080, protocol: TCP}
        """;

    ClusterFileReader.Result result = ClusterFileReader.read("clusters/mgmt-cluster/reviews.yaml", yaml);

    assertThat(result.objects().services()).isEmpty();
    assertThat(result.objects().endpointSlices()).extracting(s -> s.getMetadata().getName()).containsExactly("ratings-abc");
    assertThat(result.errors()).extracting(ConfigError::toString).containsExactly(
        "clusters/mgmt-cluster/reviews.yaml:9: spec.ports[0].port: -80 is not a port number: expected 1-65535",
        "clusters/mgmt-cluster/reviews.yaml:22: endpoints[0].addresses[0]: 'not-an-ip' is not a valid IPv4 address"
            + " (addressType IPv4): expected four numbers 0-255 without leading zeros, such as 10.0.0.1",
        "clusters/mgmt-cluster/reviews.yaml:25: endpoints[1].addresses[0]: '999.1.1.1' is not a valid IPv4 address"
            + " (addressType IPv4): expected four numbers 0-255 without leading zeros, such as 10.0.0.1",
        "clusters/mgmt-cluster/reviews.yaml:28: ports[0].port: -5 is not a port number: expected 1-65535");
  }

  @Test
  void aValueOfTheWrongTypeIsReportedAtItsFieldWithoutJavaTypeNames() {
    String yaml = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: reviews-abc
          addressType: IPv4
          ports:
          - name: http
            port: http
        """;

    ClusterFileReader.Result result = ClusterFileReader.read("dump.yaml", yaml);

    assertThat(result.objects().endpointSlices()).isEmpty();
    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("dump.yaml:11: items[0].ports[0].port: expected a whole number, got 'http'");
  }

  @Test
  void aDocumentWithoutKindIsAnError() {
    ClusterFileReader.Result result = ClusterFileReader.read("x.yaml", "apiVersion: v1\nmetadata:\n  name: x\n");

    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("x.yaml:1: kind: required: Node, Service or EndpointSlice");
  }

  @Test
  void aScalarWhereKubernetesExpectsAnObjectSaysSoWithoutJavaTypeNames() {
    ClusterFileReader.Result result = ClusterFileReader.read("x.yaml", "apiVersion: v1\nkind: Node\nmetadata: n1\n");

    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("x.yaml:3: metadata: expected an object (field: value), got a string");
  }
}
