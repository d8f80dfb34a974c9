package dev.vicinity.inventory.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesObjectRulesTest {
  private static EndpointSlice slice(String addressType, int port, String... addresses) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withName("reviews-abc").withNamespace("bookinfo")
        .withLabels(Map.of("kubernetes.io/service-name", "reviews")).endMetadata()
        .withAddressType(addressType)
        .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses(addresses).withNodeName("node-1").endEndpoint()
        .build();
  }

  private static Service service(String name, int port, IntOrString targetPort) {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace("bookinfo").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(port).withTargetPort(targetPort).withProtocol("TCP")
        .endPort().endSpec()
        .build();
  }

  private static List<String> violations(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return KubernetesObjectRules.check(object).stream().map(Violation::toString).toList();
  }

  @Test
  void theIssuesHostileEndpointSliceBreaksARuleForEachBadAddressAndPort() {
    assertThat(violations(slice("IPv4", -5, "not-an-ip", "999.1.1.1"))).containsExactly(
        "endpoints[0].addresses[0]: 'not-an-ip' is not a valid IPv4 address (addressType IPv4):"
            + " expected four numbers 0-255 without leading zeros, such as 10.0.0.1",
        "endpoints[0].addresses[1]: '999.1.1.1' is not a valid IPv4 address (addressType IPv4):"
            + " expected four numbers 0-255 without leading zeros, such as 10.0.0.1",
        "ports[0].port: -5 is not a port number: expected 1-65535");
  }

  @Test
  void aValidSliceBreaksNoRuleLoopbackAddressesIncluded() {
    assertThat(violations(slice("IPv4", 9080, "10.0.0.1", "127.0.0.11", "0.0.0.0", "255.255.255.255"))).isEmpty();
    assertThat(violations(slice("IPv6", 9080, "fd00::1", "::1", "2001:db8:0:0:0:0:2:1", "::ffff:0:10.0.0.1")))
        .isEmpty();
    assertThat(violations(slice("FQDN", 9080, "reviews.example.com", "reviews.example.com."))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"010.0.0.1", "10.0.0.01", "10.0.0", "10.0.0.1.2", "10.0.0.256", "1.2.3.-4", " 10.0.0.1",
      "fd00::1", "::ffff:10.0.0.1", "localhost", ""})
  void anIpv4SliceRefusesAnythingButAStrictDottedQuad(String address) {
    assertThat(violations(slice("IPv4", 9080, address))).singleElement().asString()
        .startsWith("endpoints[0].addresses[0]: '" + address + "' is not a valid IPv4 address (addressType IPv4)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "fe80::1%eth0", "1::2::3", "fd00::12345", "[fd00::1]", "::ffff:10.0.0.1",
      "fd00::g", "reviews.example.com"})
  void anIpv6SliceRefusesWhatRfc4291DoesNotWriteAndIpv4MappedAddresses(String address) {
    assertThat(violations(slice("IPv6", 9080, address))).singleElement().asString()
        .startsWith("endpoints[0].addresses[0]: '" + address + "' is not a valid IPv6 address (addressType IPv6)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reviews", "Reviews.example.com", "reviews_v1.example.com", "-reviews.example.com", "10.0.0.1:80"})
  void anFqdnSliceRefusesWhatIsNotADnsSubdomainOfTwoLabels(String address) {
    assertThat(violations(slice("FQDN", 9080, address))).singleElement().asString()
        .startsWith("endpoints[0].addresses[0]: '" + address + "' is not a valid fully qualified domain name")
        .endsWith("(addressType FQDN)");
  }

  @Test
  void anUnknownOrMissingAddressTypeIsRefused() {
    assertThat(violations(slice("IP", 9080, "10.0.0.1")))
        .containsExactly("addressType: 'IP' is not supported; expected one of FQDN, IPv4, IPv6");
    assertThat(violations(slice(null, 9080, "10.0.0.1"))).containsExactly("addressType: required: one of FQDN, IPv4, IPv6");
  }

  @Test
  void sliceEndpointsNeedAnAddressAndValidNodeAndHostNames() {
    EndpointSlice slice = new EndpointSliceBuilder(slice("IPv4", 9080, "10.0.0.1"))
        .addNewEndpoint().withNodeName("Node_1").withHostname("a.b").endEndpoint()
        .build();

    assertThat(violations(slice)).containsExactly(
        "endpoints[1].addresses: required: at least one address",
        "endpoints[1].nodeName: 'Node_1' is not a valid DNS-1123 subdomain: expected at most 253 lower case letters,"
            + " digits, '-' and '.', starting and ending with a letter or digit",
        "endpoints[1].hostname: 'a.b' is not a valid DNS-1123 label: expected at most 63 lower case letters,"
            + " digits and '-', starting and ending with a letter or digit");
  }

  @Test
  void slicePortsNeedValidUniqueNamesKnownProtocolsAndNumbersClientsCanDial() {
    EndpointSlice slice = new EndpointSliceBuilder(slice("IPv4", 65536, "10.0.0.1"))
        .addNewPort().withName("http").withPort(0).withProtocol("HTTP").endPort()
        .addNewPort().withName("Grpc").endPort() // no number: "all ports", which Kubernetes allows
        .addNewPort().withName("web").withPort(80).withAppProtocol("kubernetes.io/h2c").endPort()
        .build();

    assertThat(violations(slice)).containsExactly(
        "ports[0].port: 65536 is not a port number: expected 1-65535",
        "ports[1].name: 'http' is the name of another port too",
        "ports[1].port: 0 is not a port number: expected 1-65535",
        "ports[1].protocol: 'HTTP' is not supported; expected one of SCTP, TCP, UDP",
        "ports[2].name: 'Grpc' is not a valid DNS-1123 label: expected at most 63 lower case letters, digits and '-',"
            + " starting and ending with a letter or digit");
  }

  @Test
  void servicePortsAndTargetPortsMustBePortNumbersOrPortNames() {
    assertThat(violations(service("reviews", -80, new IntOrString(70000)))).containsExactly(
        "spec.ports[0].port: -80 is not a port number: expected 1-65535",
        "spec.ports[0].targetPort: 70000 is not a port number: expected 1-65535");
    assertThat(violations(service("reviews", 9080, new IntOrString("http-web")))).isEmpty();
    assertThat(violations(service("reviews", 9080, new IntOrString(0)))).as("0: the same as port").isEmpty();
    assertThat(violations(service("reviews", 9080, new IntOrString("9080")))).singleElement().asString()
        .startsWith("spec.ports[0].targetPort: '9080' is not a valid port name (IANA_SVC_NAME)");
    assertThat(violations(service("reviews", 9080, new IntOrString("a-very-long-port-name")))).hasSize(1);
  }

  @Test
  void aServiceWithSeveralPortsNamesEachOfThem() {
    Service service = new ServiceBuilder(service("reviews", 9080, null))
        .editSpec().addNewPort().withPort(9443).withProtocol("TCP").endPort().endSpec()
        .build();

    assertThat(violations(service)).containsExactly("spec.ports[1].name: required when a Service has more than one port");
  }

  @Test
  void namesFollowTheRulesOfTheirKind() {
    assertThat(violations(service("9reviews", 9080, null))).singleElement().asString()
        .startsWith("metadata.name: '9reviews' is not a valid DNS-1035 label");
    Node node = new NodeBuilder().withNewMetadata().withName("ip-10-0-0-1.ec2.internal")
        .withLabels(Map.of("topology.kubernetes.io/zone", "us-east-1a")).endMetadata().build();
    assertThat(violations(node)).isEmpty();
    Node badNode = new NodeBuilder().withNewMetadata().withName("Node 1")
        .withLabels(Map.of("topology.kubernetes.io/zone", "us east")).endMetadata().build();
    assertThat(violations(badNode)).containsExactly(
        "metadata.name: 'Node 1' is not a valid DNS-1123 subdomain: expected at most 253 lower case letters,"
            + " digits, '-' and '.', starting and ending with a letter or digit",
        "metadata.labels.topology.kubernetes.io/zone: 'us east' is not a valid label value: expected at most 63"
            + " letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
    EndpointSlice inBadNamespace = new EndpointSliceBuilder(slice("IPv4", 9080, "10.0.0.1"))
        .editMetadata().withNamespace("Book_Info").endMetadata().build();
    assertThat(violations(inBadNamespace)).singleElement().asString()
        .startsWith("metadata.namespace: 'Book_Info' is not a valid DNS-1123 label");
  }

  @Test
  void aMissingNameIsRequired() {
    assertThat(violations(new NodeBuilder().withNewMetadata().endMetadata().build()))
        .containsExactly("metadata.name: required");
  }
}
