package dev.vicinity.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.acceptance.Violation;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The harnesses measure only worlds whose resources the client would accept: a measurement of resources
 * Envoy would NACK measures nothing real. Stops the harness with every violation named.
 */
final class AcceptanceCheck {
  private static final Map<String, Class<? extends Message>> TYPES = Map.of(
      Any.pack(Cluster.getDefaultInstance()).getTypeUrl(), Cluster.class,
      Any.pack(ClusterLoadAssignment.getDefaultInstance()).getTypeUrl(), ClusterLoadAssignment.class,
      Any.pack(Listener.getDefaultInstance()).getTypeUrl(), Listener.class,
      Any.pack(RouteConfiguration.getDefaultInstance()).getTypeUrl(), RouteConfiguration.class);

  private AcceptanceCheck() {}

  /** Throws when the client would refuse any of one node group's translated resources. */
  static void require(String what, XdsResources resources, ClientKind kind) {
    fail(what, ClientAcceptance.check(resources, kind));
  }

  /** Throws when the client would refuse any resource of the response (resources of other types are not checked). */
  static void require(String what, DiscoveryResponse response, ClientKind kind) {
    List<Violation> violations = new ArrayList<>();
    for (Any resource : response.getResourcesList()) {
      Class<? extends Message> type = TYPES.get(resource.getTypeUrl());
      if (type != null) {
        try {
          violations.addAll(ClientAcceptance.check(resource.unpack(type), kind));
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException(what + ": a " + type.getSimpleName() + " in the response does not parse", e);
        }
      }
    }
    fail(what, violations);
  }

  private static void fail(String what, List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw new IllegalStateException(what + ": the client would refuse " + violations.size() + " resource field(s): "
          + String.join("; ", violations.stream().limit(20).map(Violation::toString).toList()));
    }
  }
}
