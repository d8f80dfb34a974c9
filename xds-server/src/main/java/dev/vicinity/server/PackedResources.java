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
 * snapshot's own immutable instances, shared by every proxy of a group: keyed by identity and held
 * weakly, an entry lives exactly as long as a snapshot holds its resource.
 */
final class PackedResources implements ProtoResourcesSerializer {
  private final Cache<Message, Any> packed = CacheBuilder.newBuilder().weakKeys().build();

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
