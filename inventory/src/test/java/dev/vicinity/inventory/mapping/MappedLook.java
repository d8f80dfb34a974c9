package dev.vicinity.inventory.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one look at a cluster's objects saw (each service's slice instances, the nodes' localities) and the
 * world a mapping made of them: for property tests that check what a mapping keeps from look to look.
 */
record MappedLook(Map<ServiceKey, List<EndpointSlice>> slicesByService, Map<String, Locality> localities, ClusterWorld world) {
  static MappedLook of(Collection<Node> nodes, Collection<EndpointSlice> slices, ClusterWorld world) {
    Map<ServiceKey, List<EndpointSlice>> slicesByService = new HashMap<>();
    for (EndpointSlice slice : slices) {
      String service = slice.getMetadata().getLabels().get(KubernetesWorldMapper.SERVICE_NAME_LABEL);
      if (service != null) {
        slicesByService.computeIfAbsent(new ServiceKey(slice.getMetadata().getNamespace(), service), k -> new ArrayList<>())
            .add(slice);
      }
    }
    return new MappedLook(slicesByService, localities(nodes), world);
  }

  static Map<String, Locality> localities(Collection<Node> nodes) {
    Map<String, Locality> localities = new HashMap<>();
    nodes.forEach(node -> KubernetesWorldMapper.nodeLocality(node)
        .ifPresent(l -> localities.put(node.getMetadata().getName(), l)));
    return localities;
  }

  /**
   * A service whose slices are the instances they were, on nodes whose localities are what they were, keeps
   * its Endpoint instances.
   */
  static void assertUnchangedServicesKeptTheirEndpoints(MappedLook before, MappedLook now) {
    Map<ServiceKey, List<Endpoint>> endpointsBefore = byService(before.world());
    Map<ServiceKey, List<Endpoint>> endpointsNow = byService(now.world());
    for (Map.Entry<ServiceKey, List<EndpointSlice>> service : now.slicesByService().entrySet()) {
      List<EndpointSlice> slicesBefore = before.slicesByService().getOrDefault(service.getKey(), List.of());
      boolean sameSlices = sameInstances(slicesBefore, service.getValue());
      boolean sameNodes = service.getValue().stream().flatMap(s -> s.getEndpoints().stream())
          .map(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint::getNodeName)
          .allMatch(node -> Objects.equals(before.localities().get(node), now.localities().get(node)));
      if (sameSlices && sameNodes) {
        List<Endpoint> kept = endpointsNow.getOrDefault(service.getKey(), List.of());
        List<Endpoint> was = endpointsBefore.getOrDefault(service.getKey(), List.of());
        assertThat(kept).hasSameSizeAs(was);
        for (int i = 0; i < kept.size(); i++) {
          assertThat(kept.get(i)).as("endpoint %s of unchanged %s", i, service.getKey()).isSameAs(was.get(i));
        }
      }
    }
  }

  private static Map<ServiceKey, List<Endpoint>> byService(ClusterWorld world) {
    return world.endpoints().stream().collect(Collectors.groupingBy(Endpoint::service, LinkedHashMap::new, Collectors.toList()));
  }

  private static <T> boolean sameInstances(List<T> one, List<T> other) {
    if (one.size() != other.size()) {
      return false;
    }
    Set<T> identities = Collections.newSetFromMap(new IdentityHashMap<>());
    identities.addAll(one);
    return other.stream().allMatch(identities::contains);
  }
}
