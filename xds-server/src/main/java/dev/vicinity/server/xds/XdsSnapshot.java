package dev.vicinity.server.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node group's resources, immutable: per type, each resource at its content version, and the type's
 * version, the sum of a hash of each resource's name and version (so it does not depend on which process
 * made it, and replacing a few resources updates it without going over the others).
 * Resources come through {@link SharedResources}, so groups share equal versions.
 */
public final class XdsSnapshot {
  private final Map<XdsType, OrderedResources> resources;
  /** Per type, the sum of its resources' name-and-version hashes, wrapping around. */
  private final Map<XdsType, Long> sums;
  private final Map<XdsType, String> versions;
  /** For a patch: the load assignment version it was made from, and the names it replaced. */
  private final Patch patch;

  /** What a patch changed: the replaced load assignments of the snapshot at {@code baseVersion}. */
  private record Patch(String baseVersion, Set<String> replaced) {
    static final Patch NONE = new Patch("", Set.of());
  }

  private XdsSnapshot(Map<XdsType, OrderedResources> resources) {
    this(resources, sumsOf(resources), Patch.NONE);
  }

  private XdsSnapshot(Map<XdsType, OrderedResources> resources, Map<XdsType, Long> sums, Patch patch) {
    this.resources = resources;
    this.sums = sums;
    this.patch = patch;
    this.versions = new EnumMap<>(XdsType.class);
    sums.forEach((type, sum) -> versions.put(type, String.format("%016x", sum)));
  }

  private static Map<XdsType, Long> sumsOf(Map<XdsType, OrderedResources> resources) {
    Map<XdsType, Long> sums = new EnumMap<>(XdsType.class);
    resources.forEach((type, typed) -> {
      long sum = 0;
      for (VersionedResource resource : typed.values()) {
        sum += resource.nameAndVersionHash();
      }
      sums.put(type, sum);
    });
    return sums;
  }

  /** {@code byType} holds each type's resources, in the order they are sent; types left out are empty. */
  public static XdsSnapshot of(Map<XdsType, List<? extends Message>> byType, SharedResources shared) {
    Map<XdsType, OrderedResources> resources = new EnumMap<>(XdsType.class);
    for (XdsType type : XdsType.values()) {
      List<VersionedResource> typed = new ArrayList<>();
      for (Message message : byType.getOrDefault(type, List.of())) {
        typed.add(shared.share(type, message));
      }
      resources.put(type, OrderedResources.of(typed));
    }
    return new XdsSnapshot(resources);
  }

  /**
   * This snapshot with some load assignments replaced, for an endpoint-only change: every other resource
   * is shared as it is, and only the replacements are serialized. Each must name a load assignment this
   * snapshot has, so the snapshot stays consistent.
   */
  public XdsSnapshot withLoadAssignments(List<ClusterLoadAssignment> replacements, SharedResources shared) {
    Map<XdsType, OrderedResources> patched = new EnumMap<>(resources);
    OrderedResources endpoints = resources.get(XdsType.ENDPOINT);
    long sum = sums.get(XdsType.ENDPOINT);
    Map<String, VersionedResource> replacing = new LinkedHashMap<>();
    for (ClusterLoadAssignment replacement : replacements) {
      String name = replacement.getClusterName();
      VersionedResource replaced = replacing.containsKey(name) ? replacing.get(name) : endpoints.get(name);
      if (replaced == null) {
        throw new IllegalArgumentException("no load assignment " + name + " to replace");
      }
      VersionedResource resource = shared.share(XdsType.ENDPOINT, replacement);
      replacing.put(name, resource);
      sum += resource.nameAndVersionHash() - replaced.nameAndVersionHash();
    }
    patched.put(XdsType.ENDPOINT, endpoints.replacing(replacing.values()));
    Map<XdsType, Long> patchedSums = new EnumMap<>(sums);
    patchedSums.put(XdsType.ENDPOINT, sum);
    return new XdsSnapshot(patched, patchedSums, new Patch(version(XdsType.ENDPOINT), Set.copyOf(replacing.keySet())));
  }

  /**
   * The names of the resources of {@code type} that may differ from those of the snapshot whose version
   * of it was {@code baseVersion}, when this snapshot is a patch of that one; empty when it is not, and
   * every resource must be compared.
   */
  public Optional<Set<String>> changedSince(XdsType type, String baseVersion) {
    if (type != XdsType.ENDPOINT || patch == Patch.NONE || !patch.baseVersion().equals(baseVersion)) {
      return Optional.empty();
    }
    return Optional.of(patch.replaced());
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
