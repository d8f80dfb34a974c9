package dev.vicinity.discovery;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * What each Kubernetes object was checked and mapped to, by object identity. An informer keeps an
 * unchanged object's instance and stores a new one for every change, so with a memo a look at its cache
 * checks and maps only the objects that changed since the last look: one edited EndpointSlice in a
 * 30,000-endpoint cluster costs that slice, not the cluster. Entries are held weakly and go with their
 * objects. A slice's endpoints depend on the nodes' localities too: they are mapped again when those change.
 */
public final class MappingMemo {
  private record SliceEndpoints(Map<String, Locality> nodeLocalities, List<Endpoint> endpoints) {}

  private final Cache<HasMetadata, List<Violation>> violations = CacheBuilder.newBuilder().weakKeys().build();
  private final Cache<Service, DiscoveredService> services = CacheBuilder.newBuilder().weakKeys().build();
  private final Cache<EndpointSlice, SliceEndpoints> slices = CacheBuilder.newBuilder().weakKeys().build();
  /** The node localities of the last look: the instance slices' endpoints were mapped with. */
  private volatile Map<String, Locality> nodeLocalities = Map.of();

  List<Violation> violations(HasMetadata object, Supplier<List<Violation>> check) {
    return get(violations, object, check);
  }

  DiscoveredService service(Service service, Supplier<DiscoveredService> map) {
    return get(services, service, map);
  }

  /** The localities to map slices with: the last look's instance when they are equal, so its slices still count. */
  Map<String, Locality> nodeLocalities(Map<String, Locality> now) {
    Map<String, Locality> last = nodeLocalities;
    if (last.equals(now)) {
      return last;
    }
    nodeLocalities = now;
    return now;
  }

  List<Endpoint> endpoints(EndpointSlice slice, Map<String, Locality> localities, Supplier<List<Endpoint>> map) {
    SliceEndpoints known = slices.getIfPresent(slice);
    if (known != null && known.nodeLocalities() == localities) {
      return known.endpoints();
    }
    List<Endpoint> endpoints = List.copyOf(map.get());
    slices.put(slice, new SliceEndpoints(localities, endpoints));
    return endpoints;
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
