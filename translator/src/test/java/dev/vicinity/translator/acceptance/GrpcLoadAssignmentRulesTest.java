package dev.vicinity.translator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import org.junit.jupiter.api.Test;

/** Each rule a gRPC client holds a load assignment to, broken on its own. */
class GrpcLoadAssignmentRulesTest {
  private static LbEndpoint endpoint(String address) {
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
            .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(8080))))
        .build();
  }

  private static LocalityLbEndpoints.Builder locality(String zone, int priority, String... addresses) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
        .setLocality(Locality.newBuilder().setRegion("r").setZone(zone))
        .setPriority(priority)
        .setLoadBalancingWeight(UInt32Value.of(1));
    for (String address : addresses) {
      locality.addLbEndpoints(endpoint(address));
    }
    return locality;
  }

  private static ClusterLoadAssignment assignment(LocalityLbEndpoints.Builder... localities) {
    ClusterLoadAssignment.Builder assignment = ClusterLoadAssignment.newBuilder().setClusterName("c");
    for (LocalityLbEndpoints.Builder locality : localities) {
      assignment.addEndpoints(locality);
    }
    return assignment.build();
  }

  private static Violation violation(String field, String rule, String message) {
    return new Violation("ClusterLoadAssignment c", field, rule, message);
  }

  @Test
  void anAssignmentWithDistinctAddressesLocalitiesAndContiguousPrioritiesIsTaken() {
    assertThat(GrpcLoadAssignmentRules.check(assignment(
        locality("a", 0, "10.0.0.1", "10.0.0.2"), locality("b", 0, "10.0.0.3"), locality("a", 1, "10.0.0.4")))).isEmpty();
  }

  @Test
  void anAddressTwiceInOneAssignmentIsRefusedAsCCoreRefusesIt() {
    assertThat(GrpcLoadAssignmentRules.check(assignment(locality("a", 0, "10.0.0.1"), locality("b", 1, "10.0.0.1"))))
        .containsExactly(violation("endpoints[1].lb_endpoints[0]", "grpc.unique_address", "duplicate endpoint address 10.0.0.1:8080"));
  }

  @Test
  void aLocalityTwiceAtOnePriorityIsRefused() {
    assertThat(GrpcLoadAssignmentRules.check(assignment(locality("a", 0, "10.0.0.1"), locality("a", 0, "10.0.0.2"))))
        .containsExactly(violation("endpoints[1].locality", "grpc.unique_locality", "r/a/ appears twice at priority 0"));
  }

  @Test
  void aLocalityWithoutWeightIsRefused() {
    assertThat(GrpcLoadAssignmentRules.check(assignment(locality("a", 0, "10.0.0.1").clearLoadBalancingWeight())))
        .containsExactly(violation("endpoints[0].load_balancing_weight", "grpc.locality_weight", "missing or 0; every locality needs a positive weight"));
  }

  @Test
  void anEndpointWeightOfZeroIsRefused() {
    LocalityLbEndpoints.Builder locality = locality("a", 0);
    locality.addLbEndpoints(endpoint("10.0.0.1").toBuilder().setLoadBalancingWeight(UInt32Value.of(0)));

    assertThat(GrpcLoadAssignmentRules.check(assignment(locality)))
        .containsExactly(violation("endpoints[0].lb_endpoints[0].load_balancing_weight", "grpc.endpoint_weight", "0; an endpoint weight must be positive"));
  }

  @Test
  void aGapBetweenPrioritiesIsRefused() {
    assertThat(GrpcLoadAssignmentRules.check(assignment(locality("a", 0, "10.0.0.1"), locality("b", 2, "10.0.0.2"))))
        .containsExactly(violation("endpoints", "grpc.contiguous_priorities", "priority 1 has no endpoints while priority 2 has"));
  }

  @Test
  void anEmptyLocalityIsRefused() {
    assertThat(GrpcLoadAssignmentRules.check(assignment(locality("a", 0, "10.0.0.1"), locality("b", 0))))
        .containsExactly(violation("endpoints[1].lb_endpoints", "grpc.locality_endpoints", "empty"));
  }
}
