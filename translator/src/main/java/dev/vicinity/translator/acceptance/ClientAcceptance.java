package dev.vicinity.translator.acceptance;

import com.google.protobuf.Message;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Would this kind of client accept the resource: Envoy's own validation rules for every client (gRPC's xDS
 * clients take Envoy's protos and NACK much of what Envoy NACKs), plus the stricter checks a gRPC client
 * makes of a ClusterLoadAssignment.
 */
public final class ClientAcceptance {
  private ClientAcceptance() {}

  /** Every reason the client would refuse the resource; empty when it would accept it. */
  public static List<Violation> check(Message resource, ClientKind kind) {
    return check(resource, kind, PassedParts.none());
  }

  /**
   * As {@link #check(Message, ClientKind)}, skipping Envoy's rules for the parts {@code passed} already
   * holds (and remembering those that pass): a caller that checks many resources sharing parts, such as
   * every node group's load assignments, walks each part once.
   */
  public static List<Violation> check(Message resource, ClientKind kind, PassedParts passed) {
    List<Violation> violations = new ArrayList<>(EnvoyRules.check(resource, passed));
    if (kind == ClientKind.GRPC && resource instanceof ClusterLoadAssignment assignment) {
      violations.addAll(GrpcLoadAssignmentRules.check(assignment));
    }
    return List.copyOf(violations);
  }

  /** Every reason the client would refuse any of one node group's resources. */
  public static List<Violation> check(XdsResources resources, ClientKind kind) {
    return Stream.of(resources.clusters(), resources.endpoints(), resources.listeners(), resources.routes())
        .flatMap(List::stream)
        .flatMap(resource -> check(resource, kind).stream())
        .toList();
  }
}
