package dev.vicinity.translator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.UInt32Value;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One "would the client take it" check per client kind: Envoy's rules for both, gRPC's load-assignment rules for gRPC. */
class ClientAcceptanceTest {
  private static LbEndpoint endpoint(String address) {
    return LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(9080)))).build();
  }

  /** An address twice: Envoy takes it, a gRPC client refuses it. */
  private static final ClusterLoadAssignment REPEATED_ADDRESS = ClusterLoadAssignment.newBuilder().setClusterName("reviews")
      .addEndpoints(LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(1))
          .addLbEndpoints(endpoint("10.0.0.1")).addLbEndpoints(endpoint("10.0.0.1")))
      .build();

  @Test
  void envoyTakesARepeatedAddressAndAGrpcClientRefusesIt() {
    assertThat(ClientAcceptance.check(REPEATED_ADDRESS, ClientKind.ENVOY)).isEmpty();
    assertThat(ClientAcceptance.check(REPEATED_ADDRESS, ClientKind.GRPC)).containsExactly(new Violation(
        "ClusterLoadAssignment reviews", "endpoints[0].lb_endpoints[1]", "grpc.unique_address",
        "duplicate endpoint address 10.0.0.1:9080"));
  }

  @Test
  void aGrpcClientIsHeldToEnvoysRulesAndToItsOwn() {
    ClusterLoadAssignment assignment = REPEATED_ADDRESS.toBuilder().setClusterName("").build();

    assertThat(ClientAcceptance.check(assignment, ClientKind.GRPC)).extracting(Violation::rule)
        .containsExactly("string.min_len", "grpc.unique_address");
  }

  @Test
  void everyResourceOfANodeGroupIsChecked() {
    XdsResources resources = new XdsResources(List.of(Cluster.newBuilder().setName("").build()), List.of(REPEATED_ADDRESS),
        List.of(), List.of());

    assertThat(ClientAcceptance.check(resources, ClientKind.GRPC)).extracting(Violation::resource, Violation::rule)
        .containsExactly(tuple("Cluster ", "string.min_len"),
            tuple("ClusterLoadAssignment reviews", "grpc.unique_address"));
  }
}
