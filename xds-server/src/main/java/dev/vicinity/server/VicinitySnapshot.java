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
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
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
      for (Message resource : byType.getOrDefault(type, List.of())) {
        typed.put(Resources.getResourceName(resource), VersionedResource.create(resource, Versions.of(List.of(resource))));
      }
      put(type, typed);
    }
  }

  private VicinitySnapshot() {}

  private void put(ResourceType type, Map<String, VersionedResource<?>> typed) {
    Map<String, Message> plain = new LinkedHashMap<>();
    Map<String, String> sortedVersions = new TreeMap<>();
    typed.forEach((name, resource) -> {
      plain.put(name, resource.resource());
      sortedVersions.put(name, resource.version());
    });
    versioned.put(type, Collections.unmodifiableMap(typed));
    resources.put(type, Collections.unmodifiableMap(plain));
    versions.put(type, typeVersion(sortedVersions));
  }

  /**
   * This snapshot with some load assignments replaced, for an endpoint-only change: every other resource
   * is shared as it is, with its version, and only the replaced assignments are hashed. Each replacement
   * must name a load assignment this snapshot has, so the snapshot stays consistent.
   */
  VicinitySnapshot withLoadAssignments(List<ClusterLoadAssignment> replacements) {
    VicinitySnapshot patched = new VicinitySnapshot();
    for (ResourceType type : ResourceType.values()) {
      if (type != ResourceType.ENDPOINT) {
        patched.versioned.put(type, versioned.get(type));
        patched.resources.put(type, resources.get(type));
        patched.versions.put(type, versions.get(type));
      }
    }
    Map<String, VersionedResource<?>> endpoints = new LinkedHashMap<>(versioned.get(ResourceType.ENDPOINT));
    for (ClusterLoadAssignment replacement : replacements) {
      String name = replacement.getClusterName();
      if (!endpoints.containsKey(name)) {
        throw new IllegalArgumentException("no load assignment " + name + " to replace");
      }
      endpoints.put(name, VersionedResource.create(replacement, Versions.of(List.of(replacement))));
    }
    patched.put(ResourceType.ENDPOINT, endpoints);
    return patched;
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
   * java-control-plane's snapshot cache, holding Vicinity's snapshots. It also honours a delta stream's
   * {@code initial_resource_versions}, which java-control-plane's stream observer only logs: on a
   * stream's first request for a type, the versions the proxy says it holds are what the watch starts
   * from, so resources it has are not sent again and those that are gone are named as removed.
   */
  static final class Cache<T> extends SimpleCache<T, VicinitySnapshot> {
    Cache(NodeGroup<T> groups) {
      super(groups);
    }

    @Override
    public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion, Map<String, String> resourceVersions,
        Set<String> pendingResources, boolean isWildcard, Consumer<DeltaResponse> responseConsumer, boolean hasClusterChanged) {
      Map<String, String> initial = request.v3Request().getInitialResourceVersionsMap();
      boolean firstOnStream = request.getResponseNonce().isEmpty() && resourceVersions.isEmpty();
      Map<String, String> held = firstOnStream && !initial.isEmpty() ? initial : resourceVersions;
      return super.createDeltaWatch(request, requesterVersion, held, pendingResources, isWildcard, responseConsumer,
          hasClusterChanged);
    }
  }
}
