package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.envoy.config.core.v3.Node;
import org.junit.jupiter.api.Test;

class ClientProfilesTest {
  private static Node.Builder istioNode() {
    return Node.newBuilder()
        .setId("sidecar~10.0.0.1~productpage-v1.bookinfo~bookinfo.svc.cluster.local")
        .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
            .setRegion("us-east-1").setZone("us-east-1a").setSubZone("rack-1"))
        .setMetadata(Struct.newBuilder()
            .putFields("CLUSTER_ID", Value.newBuilder().setStringValue("mgmt-cluster").build())
            .putFields("NETWORK", Value.newBuilder().setStringValue("network1").build()));
  }

  @Test
  void envoySidecarIsReadFromLocalityAndIstioMetadata() {
    ClientProfile profile = ClientProfiles.of(istioNode().setUserAgentName("envoy").build());

    assertThat(profile).isEqualTo(new ClientProfile(
        ClientKind.ENVOY, "mgmt-cluster", new Locality("us-east-1", "us-east-1a", "rack-1"), "network1"));
  }

  @Test
  void workloadLabelsAreReadFromIstioLabelsMetadata() {
    Struct labels = Struct.newBuilder()
        .putFields("app", Value.newBuilder().setStringValue("productpage").build())
        .putFields("version", Value.newBuilder().setStringValue("v1").build())
        .build();
    Node node = istioNode().setMetadata(istioNode().getMetadata().toBuilder()
        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build())).build();

    assertThat(ClientProfiles.of(node).labels()).isEqualTo(java.util.Map.of("app", "productpage", "version", "v1"));
  }

  @Test
  void namespaceIsReadFromIstioMetadata() {
    Node node = istioNode().setMetadata(istioNode().getMetadata().toBuilder()
        .putFields("NAMESPACE", Value.newBuilder().setStringValue("bookinfo").build())).build();

    assertThat(ClientProfiles.of(node).namespace()).isEqualTo("bookinfo");
  }

  @Test
  void grpcClientIsRecognisedByItsUserAgent() {
    assertThat(ClientProfiles.of(istioNode().setUserAgentName("gRPC Java").build()).kind()).isEqualTo(ClientKind.GRPC);
  }

  @Test
  void grpcClientIsRecognisedByItsClientFeatures() {
    Node node = istioNode().addClientFeatures(ClientProfiles.GRPC_CLIENT_FEATURE).build();

    assertThat(ClientProfiles.of(node).kind()).isEqualTo(ClientKind.GRPC);
  }

  @Test
  void missingLocalityAndMetadataMeanUnknown() {
    ClientProfile profile = ClientProfiles.of(Node.newBuilder().setId("bare").build());

    assertThat(profile.locality().isUnknown()).isTrue();
    assertThat(profile.cluster()).isEmpty();
    assertThat(profile.network()).isEmpty();
    assertThat(profile.kind()).isEqualTo(ClientKind.ENVOY);
  }

  @Test
  void proxiesThatDifferOnlyByIdShareAGroup() {
    assertThat(ClientProfiles.of(istioNode().setId("a").build())).isEqualTo(ClientProfiles.of(istioNode().setId("b").build()));
  }
}
