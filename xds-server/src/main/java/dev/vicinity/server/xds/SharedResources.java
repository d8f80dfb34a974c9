package dev.vicinity.server.xds;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;

/**
 * Makes equal resource versions one object across snapshots and node groups: a Cluster is usually the
 * same for every group, and a load assignment for every group of a locality, so each version is held
 * (message and bytes) once however many groups and streams hold it. Held weakly: a version goes with its
 * last snapshot. Holds memos of serialized parts, so one instance serves a server; it is thread-safe.
 */
public final class SharedResources {
  private final Interner<VersionedResource> versions = Interners.newWeakInterner();
  private final LoadAssignmentBytes loadAssignmentBytes = new LoadAssignmentBytes();

  /**
   * The resource at its content version, as already held if any group holds it. A load assignment's
   * endpoints are serialized once for every group that shares them ({@link LoadAssignmentBytes}).
   */
  public VersionedResource share(XdsType type, Message message) {
    byte[] bytes = message instanceof ClusterLoadAssignment assignment
        ? loadAssignmentBytes.of(assignment)
        : Versions.deterministicBytes(message);
    return versions.intern(VersionedResource.of(type, message, bytes));
  }
}
