package dev.vicinity.server.xds;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
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
   * The version of a message instance already shared: the translator hands every group the same Cluster
   * instances, so a group's Clusters need no serializing again. Keys are weak and compare by identity; the
   * value is weak too, since it holds its key (an entry goes when no snapshot holds the version).
   */
  private final Cache<Message, VersionedResource> byInstance = CacheBuilder.newBuilder().weakKeys().weakValues().build();

  /**
   * The resource at its content version, as already held if any group holds it. A message instance is
   * serialized once, and a load assignment's endpoints once for every group that shares them
   * ({@link LoadAssignmentBytes}).
   */
  public VersionedResource share(XdsType type, Message message) {
    VersionedResource known = byInstance.getIfPresent(message);
    if (known != null && known.type() == type) {
      return known;
    }
    byte[] bytes = message instanceof ClusterLoadAssignment assignment
        ? loadAssignmentBytes.of(assignment)
        : Versions.deterministicBytes(message);
    VersionedResource shared = versions.intern(VersionedResource.of(type, message, bytes));
    byInstance.put(message, shared);
    return shared;
  }
}
