package dev.vicinity.inventory.mapping;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.NormalizedEndpoints;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * What each Kubernetes object was checked and mapped to, by object identity, and what the last look built
 * from them, for a file cluster's objects. The file inventory keeps an unchanged object's instance (a file
 * read again keeps the instances of its unchanged documents), so with a memo a look at a cluster's objects
 * checks and maps only those that changed since the last look: one edited EndpointSlice in a 30,000-endpoint
 * cluster costs that slice and the sorting of its service's endpoints, not the cluster (a live cluster is
 * kept object by object instead: {@link LiveClusterMapping}). Unchanged services keep their Endpoint instances, and a look that changes nothing in the world
 * gives the last look's ClusterWorld instance, so that what is built from a world can tell what changed by
 * identity. Entries for objects are held weakly and go with their objects.
 *
 * <p>A slice's endpoints depend on the localities of the nodes they name as well: they are mapped again when
 * one of those changes, not when another node does. One memo serves one cluster, one look at a time.
 */
public final class MappingMemo {
  /**
   * A slice's endpoints; the localities of the nodes they name when they were mapped (empty: no such node, or
   * one without a region); and the node localities last found to agree with those.
   */
  private record SliceEndpoints(
      List<Endpoint> endpoints, Map<String, Optional<Locality>> namedNodes, Map<String, Locality> checkedAgainst) {
    boolean agreesWith(Map<String, Locality> localities, Map<String, Locality> previous, Set<String> changedSincePrevious) {
      if (checkedAgainst == previous) {
        // The usual case: one look after another, a few nodes changed between them.
        return changedSincePrevious.stream().noneMatch(namedNodes::containsKey);
      }
      return namedNodes.entrySet().stream()
          .allMatch(named -> named.getValue().equals(Optional.ofNullable(localities.get(named.getKey()))));
    }
  }

  /** One service's endpoints, normalized, and the slices' endpoint lists they were made of. */
  private record ServiceEndpoints(List<List<Endpoint>> slices, NormalizedEndpoints normalized) {}

  private final Cache<HasMetadata, List<Violation>> violations = CacheBuilder.newBuilder().weakKeys().build();
  private final Cache<Service, DiscoveredService> services = CacheBuilder.newBuilder().weakKeys().build();
  private final Cache<EndpointSlice, SliceEndpoints> slices = CacheBuilder.newBuilder().weakKeys().build();
  /** The node localities of the last look: the instance slices' endpoints were last checked against. */
  private volatile Map<String, Locality> nodeLocalities = Map.of();
  /** The localities of the look before, and the nodes whose locality differs between the two. */
  private volatile Map<String, Locality> previousNodeLocalities = Map.of();
  private volatile Set<String> changedNodes = Set.of();
  private volatile Map<ServiceKey, ServiceEndpoints> serviceEndpoints = Map.of();
  /** The keys of serviceEndpoints, sorted. */
  private volatile List<ServiceKey> serviceOrder = List.of();
  private volatile NormalizedEndpoints clusterEndpoints;
  private volatile ClusterWorld world;

  List<Violation> violations(HasMetadata object, Supplier<List<Violation>> check) {
    return get(violations, object, check);
  }

  DiscoveredService service(Service service, Supplier<DiscoveredService> map) {
    return get(services, service, map);
  }

  /**
   * The localities to map slices with: the last look's instance when they are equal, so that slices checked
   * against it need no check again.
   */
  Map<String, Locality> nodeLocalities(Map<String, Locality> now) {
    Map<String, Locality> last = nodeLocalities;
    if (last.equals(now)) {
      return last;
    }
    Set<String> changed = new HashSet<>();
    now.forEach((node, locality) -> {
      if (!locality.equals(last.get(node))) {
        changed.add(node);
      }
    });
    last.keySet().stream().filter(node -> !now.containsKey(node)).forEach(changed::add);
    previousNodeLocalities = last;
    changedNodes = Set.copyOf(changed);
    nodeLocalities = now;
    return now;
  }

  /**
   * The slice's endpoints: those mapped before, unless the slice is new or a node its endpoints name has
   * changed its locality since (or appeared, or gone).
   */
  List<Endpoint> endpoints(EndpointSlice slice, Map<String, Locality> localities, Supplier<List<Endpoint>> map) {
    SliceEndpoints known = slices.getIfPresent(slice);
    if (known != null) {
      if (known.checkedAgainst() == localities) {
        return known.endpoints();
      }
      if (known.agreesWith(localities, previousNodeLocalities, changedNodes)) {
        slices.put(slice, new SliceEndpoints(known.endpoints(), known.namedNodes(), localities));
        return known.endpoints();
      }
    }
    List<Endpoint> endpoints = List.copyOf(map.get());
    slices.put(slice, new SliceEndpoints(endpoints, namedNodes(slice, localities), localities));
    return endpoints;
  }

  private static Map<String, Optional<Locality>> namedNodes(EndpointSlice slice, Map<String, Locality> localities) {
    Map<String, Optional<Locality>> named = new HashMap<>();
    for (var endpoint : Objects.requireNonNullElse(slice.getEndpoints(),
        List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of())) {
      if (endpoint.getNodeName() != null) {
        named.put(endpoint.getNodeName(), Optional.ofNullable(localities.get(endpoint.getNodeName())));
      }
    }
    return Map.copyOf(named);
  }

  /**
   * The cluster's endpoints in the world's order, from each service's slices' endpoint lists: a service is
   * sorted again only if its lists are not the instances they were at the last look, the services' keys only
   * if one came or went, and the whole list is the last look's instance if no service changed.
   */
  NormalizedEndpoints clusterEndpoints(Map<ServiceKey, List<List<Endpoint>>> slicesByService) {
    Map<ServiceKey, ServiceEndpoints> before = serviceEndpoints;
    Map<ServiceKey, ServiceEndpoints> now = new HashMap<>(slicesByService.size() * 2);
    boolean sameServices = before.size() == slicesByService.size();
    boolean unchanged = clusterEndpoints != null && sameServices;
    for (Map.Entry<ServiceKey, List<List<Endpoint>>> service : slicesByService.entrySet()) {
      ServiceEndpoints known = before.get(service.getKey());
      ServiceEndpoints current = known != null && sameInstances(known.slices(), service.getValue())
          ? known
          : new ServiceEndpoints(List.copyOf(service.getValue()), NormalizedEndpoints.ofParts(service.getValue()));
      sameServices &= known != null;
      unchanged &= current == known;
      now.put(service.getKey(), current);
    }
    serviceEndpoints = now;
    if (unchanged) {
      return clusterEndpoints;
    }
    if (!sameServices) {
      serviceOrder = slicesByService.keySet().stream().sorted().toList();
    }
    // In key order, the services' endpoints follow one another: joining them checks the seams only.
    clusterEndpoints = NormalizedEndpoints.joined(serviceOrder.stream().map(service -> now.get(service).normalized()).toList());
    return clusterEndpoints;
  }


  /** The same list instances, in any order: informer caches do not promise one. */
  private static boolean sameInstances(List<List<Endpoint>> before, List<List<Endpoint>> now) {
    if (before.size() != now.size()) {
      return false;
    }
    boolean inOrder = true;
    for (int i = 0; i < now.size() && inOrder; i++) {
      inOrder = before.get(i) == now.get(i);
    }
    if (inOrder) {
      return true;
    }
    Map<List<Endpoint>, Integer> counts = new IdentityHashMap<>();
    before.forEach(list -> counts.merge(list, 1, Integer::sum));
    for (List<Endpoint> list : now) {
      Integer left = counts.get(list);
      if (left == null || left == 0) {
        return false;
      }
      counts.put(list, left - 1);
    }
    return true;
  }

  /**
   * A synced world of these services (sorted by key) and endpoints: the last look's instance if they are the
   * same instances.
   */
  ClusterWorld world(ClusterId id, String network, ImmutableList<DiscoveredService> sortedServices,
      NormalizedEndpoints endpoints) {
    ClusterWorld last = world;
    if (last != null && last.endpoints() == endpoints.list() && sameInOrder(last.services(), sortedServices)
        && last.id().equals(id) && last.network().equals(Objects.requireNonNullElse(network, ""))) {
      return last;
    }
    world = new ClusterWorld(id, network, SyncState.SYNCED, sortedServices, endpoints);
    return world;
  }

  private static <T> boolean sameInOrder(List<T> before, List<T> now) {
    if (before.size() != now.size()) {
      return false;
    }
    for (int i = 0; i < now.size(); i++) {
      if (before.get(i) != now.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static <K, V> V get(Cache<K, V> cache, K key, Supplier<V> compute) {
    try {
      return cache.get(key, compute::get);
    } catch (ExecutionException e) {
      throw new IllegalStateException("mapping failed", e.getCause());
    } catch (com.google.common.util.concurrent.UncheckedExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }
}
