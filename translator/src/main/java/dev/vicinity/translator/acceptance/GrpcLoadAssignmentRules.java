package dev.vicinity.translator.acceptance;

import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a proxyless gRPC client checks in a ClusterLoadAssignment before it takes it (gRFC A27, C-core's
 * {@code xds_endpoint_parser}, grpc-java's and grpc-js's EDS parsers); one broken rule and the client
 * NACKs the whole resource. Envoy is more lenient (it takes a repeated address, for instance), so these
 * rules are for gRPC clients only.
 */
public final class GrpcLoadAssignmentRules {
  private GrpcLoadAssignmentRules() {}

  private record HostPort(String host, int port) {}

  private static String endpointAt(String locality, int index) {
    return locality + ".lb_endpoints[" + index + "]";
  }

  /** Every rule the assignment breaks; empty when gRPC would take it. */
  public static List<Violation> check(ClusterLoadAssignment assignment) {
    String resource = "ClusterLoadAssignment " + assignment.getClusterName();
    List<Violation> violations = new ArrayList<>();
    Set<HostPort> addresses = new HashSet<>();
    Set<String> localitiesByPriority = new HashSet<>();
    TreeSet<Integer> priorities = new TreeSet<>();
    for (int l = 0; l < assignment.getEndpointsCount(); l++) {
      LocalityLbEndpoints locality = assignment.getEndpoints(l);
      String at = "endpoints[" + l + "]";
      if (locality.getLoadBalancingWeight().getValue() == 0) {
        violations.add(new Violation(resource, at + ".load_balancing_weight", "grpc.locality_weight",
            "missing or 0; every locality needs a positive weight"));
      }
      String where = locality.getLocality().getRegion() + "/" + locality.getLocality().getZone() + "/"
          + locality.getLocality().getSubZone();
      if (!localitiesByPriority.add(locality.getPriority() + " " + where)) {
        violations.add(new Violation(resource, at + ".locality", "grpc.unique_locality",
            where + " appears twice at priority " + locality.getPriority()));
      }
      if (locality.getLbEndpointsCount() == 0) {
        violations.add(new Violation(resource, at + ".lb_endpoints", "grpc.locality_endpoints", "empty"));
      } else {
        priorities.add(locality.getPriority());
      }
      for (int e = 0; e < locality.getLbEndpointsCount(); e++) {
        LbEndpoint endpoint = locality.getLbEndpoints(e);
        SocketAddress socket = endpoint.getEndpoint().getAddress().getSocketAddress();
        // A key rather than "address:port" text: every endpoint is looked at, few are reported.
        if (!addresses.add(new HostPort(socket.getAddress(), socket.getPortValue()))) {
          violations.add(new Violation(resource, endpointAt(at, e), "grpc.unique_address",
              "duplicate endpoint address " + socket.getAddress() + ":" + socket.getPortValue()));
        }
        if (endpoint.hasLoadBalancingWeight() && endpoint.getLoadBalancingWeight().getValue() == 0) {
          violations.add(new Violation(resource, endpointAt(at, e) + ".load_balancing_weight", "grpc.endpoint_weight",
              "0; an endpoint weight must be positive"));
        }
      }
    }
    int expected = 0;
    for (int priority : priorities) {
      if (priority != expected) {
        violations.add(new Violation(resource, "endpoints", "grpc.contiguous_priorities",
            "priority " + expected + " has no endpoints while priority " + priority + " has"));
        break;
      }
      expected++;
    }
    return violations;
  }
}
