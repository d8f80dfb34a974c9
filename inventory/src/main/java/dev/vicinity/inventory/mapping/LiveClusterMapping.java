package dev.vicinity.inventory.mapping;

import com.google.common.collect.ImmutableList;
import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.NormalizedEndpoints;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A live cluster's world, kept up to date one object at a time as informers report them: a changed
 * EndpointSlice costs that slice and its service's endpoints, a changed Node the slices on it, whatever the
 * cluster holds. The world equals {@link KubernetesWorldMapper#map} of the same objects; what did not change
 * keeps its instances (the world itself while nothing changed), so that what is built from it can tell what
 * changed by identity. Told of objects on any thread's behalf, but used by one thread at a time.
 */
public final class LiveClusterMapping {
  /** A mapped slice: its instance, the service its endpoints belong to (null: none), and the nodes they name. */
  private record MappedSlice(EndpointSlice slice, ServiceKey service, List<Endpoint> endpoints, Set<String> nodes) {}

  private final ClusterConfig cluster;
  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Locality> localities = new HashMap<>();
  private final Map<String, Service> services = new HashMap<>();
  private final TreeMap<ServiceKey, DiscoveredService> discovered = new TreeMap<>();
  private final Map<String, MappedSlice> slices = new HashMap<>();
  private final Map<ServiceKey, Set<String>> slicesOfService = new HashMap<>();
  private final Map<String, Set<String>> slicesOnNode = new HashMap<>();
  /** Each service's endpoints, in the world's order; services without endpoints have none here. */
  private final TreeMap<ServiceKey, NormalizedEndpoints> endpoints = new TreeMap<>();
  private final TreeMap<String, KubernetesWorldMapper.Rejected> rejected = new TreeMap<>();

  /** Slices to map again (their node's locality changed), and services whose endpoints to join again. */
  private final Set<String> slicesToMap = new LinkedHashSet<>();
  private final Set<ServiceKey> servicesToJoin = new HashSet<>();
  private boolean servicesChanged;
  private ImmutableList<DiscoveredService> sortedServices = ImmutableList.of();
  private NormalizedEndpoints clusterEndpoints = NormalizedEndpoints.of(List.of());
  private ClusterWorld world;

  public LiveClusterMapping(ClusterConfig cluster) {
    this.cluster = cluster;
  }

  /** A node added or changed ({@code now}), or gone (null). */
  public void node(String name, Node now) {
    if (now != null && nodes.get(name) == now) {
      return; // a resync: nothing new
    }
    Node valid = accepted("Node " + name, now);
    if (valid == null) {
      nodes.remove(name);
    } else {
      nodes.put(name, valid);
    }
    Optional<Locality> locality = valid == null ? Optional.empty() : KubernetesWorldMapper.nodeLocality(valid);
    Locality before = locality.isPresent() ? localities.put(name, locality.get()) : localities.remove(name);
    if (!Objects.equals(before, locality.orElse(null))) {
      slicesToMap.addAll(slicesOnNode.getOrDefault(name, Set.of()));
    }
  }

  /** A Service added or changed ({@code now}), or gone (null); {@code key} is its namespace/name. */
  public void service(String key, Service now) {
    if (now != null && services.get(key) == now) {
      return;
    }
    Service valid = accepted("Service " + key, now);
    Service before = valid == null ? services.remove(key) : services.put(key, valid);
    DiscoveredService mapped = valid == null ? null : KubernetesWorldMapper.service(cluster, valid);
    if (mapped == null && before != null) {
      discovered.remove(KubernetesWorldMapper.service(cluster, before).key());
      servicesChanged = true;
    } else if (mapped != null && !mapped.equals(discovered.get(mapped.key()))) {
      // One key per namespace/name: an equal service keeps the instance what is built from it already knows.
      discovered.put(mapped.key(), mapped);
      servicesChanged = true;
    }
  }

  /** An EndpointSlice added or changed ({@code now}), or gone (null); {@code key} is its namespace/name. */
  public void slice(String key, EndpointSlice now) {
    MappedSlice known = slices.get(key);
    if (now != null && known != null && known.slice() == now) {
      return;
    }
    EndpointSlice valid = accepted("EndpointSlice " + key, now);
    if (valid == null) {
      forget(key);
    } else {
      map(key, valid);
    }
  }

  /** The objects left out because the API server would refuse them. */
  public List<KubernetesWorldMapper.Rejected> rejected() {
    return List.copyOf(rejected.values());
  }

  /** The synced world of what the cluster holds now: the previous instance if nothing in it changed. */
  public ClusterWorld world() {
    for (String key : List.copyOf(slicesToMap)) {
      MappedSlice known = slices.get(key);
      if (known != null) {
        map(key, known.slice());
      }
    }
    slicesToMap.clear();
    boolean endpointsChanged = !servicesToJoin.isEmpty();
    for (ServiceKey service : servicesToJoin) {
      List<List<Endpoint>> parts = new ArrayList<>();
      for (String slice : slicesOfService.getOrDefault(service, Set.of())) {
        parts.add(slices.get(slice).endpoints());
      }
      NormalizedEndpoints joined = NormalizedEndpoints.ofParts(parts);
      if (joined.isEmpty()) {
        endpoints.remove(service);
      } else {
        endpoints.put(service, joined);
      }
    }
    servicesToJoin.clear();
    if (endpointsChanged) {
      // In key order, the services' endpoints follow one another: joining them checks the seams only.
      clusterEndpoints = NormalizedEndpoints.joined(List.copyOf(endpoints.values()));
    }
    if (servicesChanged) {
      sortedServices = ImmutableList.copyOf(discovered.values());
      servicesChanged = false;
    }
    if (world == null || world.services() != sortedServices || world.endpoints() != clusterEndpoints.list()) {
      world = new ClusterWorld(cluster.id(), cluster.network(), SyncState.SYNCED, sortedServices, clusterEndpoints);
    }
    return world;
  }

  /** The object if the API server would take it; otherwise null, and it is recorded as rejected. */
  private <T extends HasMetadata> T accepted(String object, T now) {
    if (now == null) {
      rejected.remove(object);
      return null;
    }
    List<Violation> violations = KubernetesObjectRules.check(now);
    if (violations.isEmpty()) {
      rejected.remove(object);
      return now;
    }
    rejected.put(object, new KubernetesWorldMapper.Rejected(object, violations));
    return null;
  }

  private void map(String key, EndpointSlice slice) {
    MappedSlice before = slices.get(key);
    List<Endpoint> mapped = KubernetesWorldMapper.endpoints(cluster, slice, localities);
    ServiceKey service = mapped.isEmpty() ? null : mapped.get(0).service();
    if (before != null && before.endpoints().equals(mapped) && Objects.equals(before.service(), service)) {
      // Equal endpoints (a slice read again, a node's unrelated change): the instances already served stay.
      slices.put(key, new MappedSlice(slice, service, before.endpoints(), before.nodes()));
      return;
    }
    forget(key);
    // The nodes whose locality the endpoints took: a change to another node cannot change them.
    Set<String> named = new HashSet<>();
    for (Endpoint endpoint : mapped) {
      if (!endpoint.nodeName().isEmpty()) {
        named.add(endpoint.nodeName());
      }
    }
    slices.put(key, new MappedSlice(slice, service, List.copyOf(mapped), Set.copyOf(named)));
    named.forEach(node -> slicesOnNode.computeIfAbsent(node, n -> new HashSet<>()).add(key));
    if (service != null) {
      slicesOfService.computeIfAbsent(service, s -> new HashSet<>()).add(key);
      servicesToJoin.add(service);
    }
  }

  private void forget(String key) {
    MappedSlice gone = slices.remove(key);
    if (gone == null) {
      return;
    }
    for (String node : gone.nodes()) {
      removeFrom(slicesOnNode, node, key);
    }
    if (gone.service() != null) {
      removeFrom(slicesOfService, gone.service(), key);
      servicesToJoin.add(gone.service());
    }
  }

  private static <K> void removeFrom(Map<K, Set<String>> index, K at, String key) {
    Set<String> keys = index.get(at);
    if (keys != null && keys.remove(key) && keys.isEmpty()) {
      index.remove(at);
    }
  }
}
