package dev.vicinity.server;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;

/**
 * Packs each resource into an {@code Any} once, however many streams it is sent on. java-control-plane
 * packs (serializes) every resource again for every response, so a change pushed to the thousands of
 * proxies of a node group serialized the same load assignment thousands of times. Resources are the
 * snapshot's own immutable instances, shared by every proxy of a group, so they are keyed by identity.
 * Both sides are held weakly: a packed resource lasts while a push still uses it, and at rest the cache
 * holds nothing (a large load assignment packed for a push is not kept after the push, nor after its
 * snapshot is gone).
 */
final class PackedResources implements ProtoResourcesSerializer {
  private final Cache<Message, Any> packed = CacheBuilder.newBuilder().weakKeys().weakValues().build();

  @Override
  public Any serialize(Message resource, ApiVersion apiVersion) {
    Any any = packed.getIfPresent(resource);
    if (any == null) {
      // Two streams racing here both pack; the results are equal, so either may stay.
      any = Any.pack(resource);
      packed.put(resource, any);
    }
    return any;
  }

  /** Entries held (some may be for resources already collected), for tests. */
  long size() {
    packed.cleanUp();
    return packed.size();
  }
}
