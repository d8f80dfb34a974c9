package dev.vicinity.server.xds;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node group's resources, immutable: per type, each resource at its content version, and the type's
 * version, a hash of its resources' names and versions (so it does not depend on which process made it).
 * Resources come through {@link SharedResources}, so groups share equal versions.
 */
public final class XdsSnapshot {
  private final Map<XdsType, Map<String, VersionedResource>> resources;
  private final Map<XdsType, String> versions;

  private XdsSnapshot(Map<XdsType, Map<String, VersionedResource>> resources) {
    this(resources, Map.of());
  }

  /** {@code knownVersions}: the versions of types whose resources are those of another snapshot. */
  private XdsSnapshot(Map<XdsType, Map<String, VersionedResource>> resources, Map<XdsType, String> knownVersions) {
    this.resources = resources;
    this.versions = new EnumMap<>(XdsType.class);
    versions.putAll(knownVersions);
    resources.forEach((type, typed) -> versions.computeIfAbsent(type, t -> typeVersion(typed)));
  }

  /** {@code byType} holds each type's resources, in the order they are sent; types left out are empty. */
  public static XdsSnapshot of(Map<XdsType, List<? extends Message>> byType, SharedResources shared) {
    Map<XdsType, Map<String, VersionedResource>> resources = new EnumMap<>(XdsType.class);
    for (XdsType type : XdsType.values()) {
      Map<String, VersionedResource> typed = new LinkedHashMap<>();
      for (Message message : byType.getOrDefault(type, List.of())) {
        VersionedResource resource = shared.share(type, message);
        typed.put(resource.name(), resource);
      }
      resources.put(type, Collections.unmodifiableMap(typed));
    }
    return new XdsSnapshot(resources);
  }

  /**
   * This snapshot with some load assignments replaced, for an endpoint-only change: every other resource
   * is shared as it is, and only the replacements are serialized. Each must name a load assignment this
   * snapshot has, so the snapshot stays consistent.
   */
  public XdsSnapshot withLoadAssignments(List<ClusterLoadAssignment> replacements, SharedResources shared) {
    Map<XdsType, Map<String, VersionedResource>> patched = new EnumMap<>(resources);
    Map<String, VersionedResource> endpoints = new LinkedHashMap<>(resources.get(XdsType.ENDPOINT));
    for (ClusterLoadAssignment replacement : replacements) {
      String name = replacement.getClusterName();
      if (!endpoints.containsKey(name)) {
        throw new IllegalArgumentException("no load assignment " + name + " to replace");
      }
      endpoints.put(name, shared.share(XdsType.ENDPOINT, replacement));
    }
    patched.put(XdsType.ENDPOINT, Collections.unmodifiableMap(endpoints));
    Map<XdsType, String> kept = new EnumMap<>(versions);
    kept.remove(XdsType.ENDPOINT);
    return new XdsSnapshot(patched, kept);
  }

  private static String typeVersion(Map<String, VersionedResource> typed) {
    Hasher hasher = Hashing.sha256().newHasher();
    new TreeMap<>(typed).forEach((name, resource) -> hasher.putString(name, StandardCharsets.UTF_8).putByte((byte) 0)
        .putString(resource.version(), StandardCharsets.UTF_8).putByte((byte) 0));
    return hasher.hash().toString().substring(0, 16);
  }

  /** The type's version; every proxy of the group shares it, whatever names it subscribes to. */
  public String version(XdsType type) {
    return versions.get(type);
  }

  /** Name to resource, in the order they are sent. */
  public Map<String, VersionedResource> resources(XdsType type) {
    return resources.get(type);
  }

  /** Name to the resource itself. */
  public Map<String, Message> messages(XdsType type) {
    Map<String, Message> messages = new LinkedHashMap<>();
    resources.get(type).forEach((name, resource) -> messages.put(name, resource.message()));
    return messages;
  }

  /** Type to version, for each type whose version differs in {@code next}. */
  public Map<XdsType, String> changedVersions(XdsSnapshot next) {
    Map<XdsType, String> changed = new EnumMap<>(XdsType.class);
    for (XdsType type : XdsType.values()) {
      if (!versions.get(type).equals(next.versions.get(type))) {
        changed.put(type, next.versions.get(type));
      }
    }
    return changed;
  }
}
