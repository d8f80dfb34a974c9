package dev.vicinity.discovery;

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
        org.assertj.core.groups.Tuple.tuple(16, "items[3]"));
    assertThat(result.errors().get(1).message())
        .isEqualTo("'discovery.k8s.io/v1beta1' is not supported for this kind; expected discovery.k8s.io/v1");
    assertThat(result.errors().get(2).message()).startsWith("not a valid Service: ");
  }

  @Test
  void aDocumentWithoutKindIsAnError() {
    ClusterFileReader.Result result = ClusterFileReader.read("x.yaml", "apiVersion: v1\nmetadata:\n  name: x\n");

    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("x.yaml:1: kind: required: Node, Service or EndpointSlice");
  }
}
