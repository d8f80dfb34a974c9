package dev.vicinity.server.xds;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The deterministic serialization of load assignments ({@link Versions#deterministicBytes}, byte for
 * byte), with each LbEndpoint serialized once however many assignments hold it. The translator shares one
 * LbEndpoint instance per world endpoint between every node group's assignments, and most of an assignment's
 * bytes are its endpoints' (their metadata maps are sorted on every deterministic serialization), so a
 * new node group costs little more than the hash of its bytes.
 *
 * <p>It relies on the wire format: a message's serialization is its fields' in field-number order (as
 * protoc's generated code writes them), and a repeated message field is one tag, length and message per
 * element. So an assignment is its {@code cluster_name}, then each {@code endpoints} element, then its other
 * fields; and a LocalityLbEndpoints is its {@code locality}, then each {@code lb_endpoints} element (here from
 * the memo), then its other fields. An assignment with fields past {@code endpoints} is serialized whole.
 */
final class LoadAssignmentBytes {
  private static final int LOCALITY_LB_ENDPOINTS_FIELD = ClusterLoadAssignment.ENDPOINTS_FIELD_NUMBER;
  private static final int LB_ENDPOINTS_FIELD = LocalityLbEndpoints.LB_ENDPOINTS_FIELD_NUMBER;
  /**
   * The fields of LocalityLbEndpoints this class knows (locality, metadata, lb_endpoints, the two lb_config
   * members, weight, priority, proximity): a proto with more falls back to serializing the rest whole.
   */
  private static final int KNOWN_FIELDS = 8;

  /** By instance (weak keys compare by identity): an LbEndpoint's bytes go with the last assignment holding it. */
  private final Cache<LbEndpoint, byte[]> lbEndpoints = CacheBuilder.newBuilder().weakKeys().build();

  byte[] of(ClusterLoadAssignment assignment) {
    if (assignment.hasPolicy() || assignment.getNamedEndpointsCount() > 0
        || !assignment.getUnknownFields().asMap().isEmpty()) {
      return Versions.deterministicBytes(assignment);
    }
    byte[] bytes = new byte[assignment.getSerializedSize()];
    CodedOutputStream output = CodedOutputStream.newInstance(bytes);
    output.useDeterministicSerialization();
    try {
      if (!assignment.getClusterName().isEmpty()) {
        output.writeString(ClusterLoadAssignment.CLUSTER_NAME_FIELD_NUMBER, assignment.getClusterName());
      }
      for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
        output.writeTag(LOCALITY_LB_ENDPOINTS_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        output.writeUInt32NoTag(locality.getSerializedSize());
        write(locality, output);
      }
      output.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("serializing to memory cannot fail", e);
    }
    return bytes;
  }

  private void write(LocalityLbEndpoints locality, CodedOutputStream output) throws IOException {
    if (locality.hasLocality()) {
      output.writeMessage(LocalityLbEndpoints.LOCALITY_FIELD_NUMBER, locality.getLocality());
    }
    for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
      byte[] bytes = lbEndpoints.getIfPresent(endpoint); // a read without the lock computeIfAbsent takes
      if (bytes == null) {
        bytes = Versions.deterministicBytes(endpoint);
        lbEndpoints.put(endpoint, bytes);
      }
      output.writeTag(LB_ENDPOINTS_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      output.writeUInt32NoTag(bytes.length);
      output.writeRawBytes(bytes);
    }
    if (onlyWeightAndPriorityLeft(locality)) {
      // What the translator sets after the endpoints, in field-number order.
      if (locality.hasLoadBalancingWeight()) {
        output.writeMessage(LocalityLbEndpoints.LOAD_BALANCING_WEIGHT_FIELD_NUMBER, locality.getLoadBalancingWeight());
      }
      if (locality.getPriority() != 0) {
        output.writeUInt32(LocalityLbEndpoints.PRIORITY_FIELD_NUMBER, locality.getPriority());
      }
    } else {
      // Every other field comes after these two: written as the rest of the message.
      locality.toBuilder().clearLocality().clearLbEndpoints().build().writeTo(output);
    }
  }

  private static boolean onlyWeightAndPriorityLeft(LocalityLbEndpoints locality) {
    return !locality.hasMetadata() && !locality.hasProximity()
        && locality.getLbConfigCase() == LocalityLbEndpoints.LbConfigCase.LBCONFIG_NOT_SET
        && locality.getUnknownFields().asMap().isEmpty()
        && LocalityLbEndpoints.getDescriptor().getFields().size() == KNOWN_FIELDS;
  }
}
