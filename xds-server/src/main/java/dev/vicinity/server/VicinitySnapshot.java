package dev.vicinity.server;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.CacheStatusInfo;
import io.envoyproxy.controlplane.cache.DeltaCacheStatusInfo;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.SimpleCache;
import io.envoyproxy.controlplane.cache.Snapshot;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
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

    /**
     * java-control-plane answers open delta watches with the difference between the previous snapshot
     * and this one. A group's first snapshot has no previous one, and its watches opened before it
     * existed (the first proxy of a group, on a server just started): those are answered from what each
     * client holds instead, or a reconnecting proxy would never be told which of its resources are gone.
     */
    @Override
    protected void respondWithSpecificOrder(T group, VicinitySnapshot previousSnapshot, VicinitySnapshot snapshot,
        Map<ResourceType, CacheStatusInfo<T>> statusMap, Map<ResourceType, DeltaCacheStatusInfo<T>> deltaStatusMap) {
      if (previousSnapshot != null) {
        super.respondWithSpecificOrder(group, previousSnapshot, snapshot, statusMap, deltaStatusMap);
        return;
      }
      super.respondWithSpecificOrder(group, null, snapshot, statusMap, Map.of());
      for (ResourceType type : Resources.RESOURCE_TYPES_IN_ORDER) {
        DeltaCacheStatusInfo<T> status = deltaStatusMap.get(type);
        if (status != null) {
          status.watchesRemoveIf((id, watch) -> respondFromWhatTheClientHolds(watch, snapshot, type));
        }
      }
    }

    /** Sends what the watch's client lacks and names what it holds that is gone; true if the watch is done. */
    private static boolean respondFromWhatTheClientHolds(DeltaWatch watch, VicinitySnapshot snapshot, ResourceType type) {
      String version = snapshot.version(type);
      if (watch.version().equals(version)) {
        return false;
      }
      Map<String, VersionedResource<?>> resources = snapshot.versionedResources(type);
      Map<String, VersionedResource<?>> lacking = new LinkedHashMap<>();
      resources.forEach((name, resource) -> {
        String held = watch.trackedResources().get(name);
        boolean wanted = held == null
            ? watch.isWildcard() || watch.pendingResources().contains(name)
            : !held.equals(resource.version());
        if (wanted) {
          lacking.put(name, resource);
        }
      });
      List<String> gone = watch.trackedResources().keySet().stream().filter(name -> !resources.containsKey(name)).sorted()
          .toList();
      if (lacking.isEmpty() && gone.isEmpty()) {
        return false;
      }
      try {
        watch.respond(DeltaResponse.create(watch.request(), lacking, gone, version));
      } catch (WatchCancelledException e) {
        // The stream has ended; the watch goes with it.
      }
      return true;
    }
  }
}
