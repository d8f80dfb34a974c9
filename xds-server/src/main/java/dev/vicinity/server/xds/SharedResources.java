package dev.vicinity.server.xds;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import com.google.protobuf.Message;

/**
 * Makes equal resource versions one object across snapshots and node groups: a Cluster is usually the
 * same for every group, and a load assignment for every group of a locality, so each version is held
 * (message and bytes) once however many groups and streams hold it. Held weakly: a version goes with its
 * last snapshot.
 */
public final class SharedResources {
  private final Interner<VersionedResource> versions = Interners.newWeakInterner();

  /** The resource at its content version, as already held if any group holds it. */
  public VersionedResource share(XdsType type, Message message) {
    return versions.intern(VersionedResource.of(type, message));
  }
}
