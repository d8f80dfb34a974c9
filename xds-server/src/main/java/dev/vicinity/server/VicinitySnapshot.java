package dev.vicinity.server;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.SimpleCache;
import io.envoyproxy.controlplane.cache.Snapshot;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A node group's resources, each versioned by a hash of its deterministic serialization, and each type
 * by a hash of its resources' names and versions. java-control-plane's own snapshot versions resources
 * by {@code hashCode()}, which differs between JVMs: a proxy reconnecting to a restarted server or to
 * another replica would be sent everything again in delta xDS. With content versions it is sent nothing
 * it already has, in state-of-the-world and delta alike.
 */
final class VicinitySnapshot extends Snapshot {
  private final Map<ResourceType, Map<String, VersionedResource<?>>> versioned = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, Map<String, Message>> resources = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, String> versions = new EnumMap<>(ResourceType.class);

  /** {@code byType} holds each type's resources; types left out are empty. */
  VicinitySnapshot(Map<ResourceType, List<? extends Message>> byType) {
    for (ResourceType type : ResourceType.values()) {
      Map<String, VersionedResource<?>> typed = new LinkedHashMap<>();
      Map<String, Message> plain = new LinkedHashMap<>();
      Map<String, String> sortedVersions = new TreeMap<>();
      for (Message resource : byType.getOrDefault(type, List.of())) {
        String name = Resources.getResourceName(resource);
        String version = Versions.of(List.of(resource));
        typed.put(name, VersionedResource.create(resource, version));
        plain.put(name, resource);
        sortedVersions.put(name, version);
      }
      versioned.put(type, Collections.unmodifiableMap(typed));
      resources.put(type, Collections.unmodifiableMap(plain));
      versions.put(type, typeVersion(sortedVersions));
    }
  }

  private static String typeVersion(Map<String, String> versionsByName) {
    Hasher hasher = Hashing.sha256().newHasher();
    versionsByName.forEach((name, version) -> hasher.putString(name, StandardCharsets.UTF_8).putByte((byte) 0)
        .putString(version, StandardCharsets.UTF_8).putByte((byte) 0));
    return hasher.hash().toString().substring(0, 16);
  }

  /** The type's version; it does not depend on the names asked for, as every proxy of a group shares it. */
  @Override
  public String version(ResourceType type, List<String> resourceNames) {
    return versions.get(type);
  }

  String version(ResourceType type) {
    return versions.get(type);
  }

  @Override
  public Map<String, ? extends Message> resources(ResourceType type) {
    return resources.get(type);
  }

  @Override
  public Map<String, VersionedResource<? extends Message>> versionedResources(ResourceType type) {
    return versioned.get(type);
  }

  /**
   * java-control-plane's snapshot cache, holding Vicinity's snapshots. A delta watch starts from what the
   * stream's client holds and wants as {@link DeltaClientState} tells (java-control-plane's own account
   * ignores {@code initial_resource_versions} and loops on NACKs), so a proxy is sent only what it lacks
   * and told what it holds that is gone.
   */
  static final class Cache<T> extends SimpleCache<T, VicinitySnapshot> {
    Cache(NodeGroup<T> groups) {
      super(groups);
    }

    @Override
    public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion, Map<String, String> resourceVersions,
        Set<String> pendingResources, boolean isWildcard, Consumer<DeltaResponse> responseConsumer, boolean hasClusterChanged) {
      DeltaClientState client = DeltaClientState.CURRENT.get();
      if (client == null) { // not through XdsStreamInterceptor
        return super.createDeltaWatch(request, requesterVersion, resourceVersions, pendingResources, isWildcard,
            responseConsumer, hasClusterChanged);
      }
      return super.createDeltaWatch(request, requesterVersion, client.held(request.getTypeUrl()),
          client.wanted(request.getTypeUrl()), isWildcard, responseConsumer, hasClusterChanged);
    }
  }
}
