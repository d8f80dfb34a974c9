package dev.vicinity.translator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import dev.vicinity.translator.ClientKind;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import org.junit.jupiter.api.Test;

/** A memo of LbEndpoints that passed: the verdicts stay those of a full check, with each part's own path. */
class PassedPartsTest {
  private static LbEndpoint endpoint(String address, int port) {
    return LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port)))).build();
  }

  private static final LbEndpoint GOOD = endpoint("10.0.0.1", 9080);
  /** A port above 65535 breaks Envoy's rule for port_value. */
  private static final LbEndpoint BROKEN = endpoint("10.0.0.2", 70000);

  private static ClusterLoadAssignment assignment(String name, int priority, LbEndpoint... endpoints) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
        .setLoadBalancingWeight(UInt32Value.of(1)).setPriority(priority);
    for (LbEndpoint endpoint : endpoints) {
      locality.addLbEndpoints(endpoint);
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(name)
        .addEndpoints(LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(1)).addLbEndpoints(GOOD))
        .addEndpoints(locality)
        .build();
  }

  @Test
  void assignmentsSharingEndpointsGetTheVerdictsOfAFullCheckWithTheirOwnPaths() {
    PassedParts passed = PassedParts.remembering();
    ClusterLoadAssignment first = assignment("a", 1, BROKEN, GOOD);
    ClusterLoadAssignment second = assignment("b", 0, GOOD, BROKEN);

    for (ClusterLoadAssignment assignment : new ClusterLoadAssignment[] {first, second, first}) {
      for (ClientKind kind : ClientKind.values()) {
        assertThat(ClientAcceptance.check(assignment, kind, passed)).isEqualTo(ClientAcceptance.check(assignment, kind));
      }
    }
    assertThat(ClientAcceptance.check(second, ClientKind.ENVOY, passed)).extracting(Violation::field)
        .containsExactly("endpoints[1].lb_endpoints[1].endpoint.address.socket_address.port_value");
  }

  @Test
  void onlyPassesAreRememberedAndOnlyThoseInstances() {
    PassedParts passed = PassedParts.remembering();

    EnvoyRules.check(assignment("a", 0, BROKEN), passed);

    assertThat(passed.passed(GOOD)).isTrue();
    assertThat(passed.passed(BROKEN)).isFalse();
    assertThat(passed.passed(endpoint("10.0.0.1", 9080))).as("an equal instance").isFalse();
    assertThat(PassedParts.none().passed(GOOD)).isFalse();
  }
}
