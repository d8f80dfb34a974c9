package dev.vicinity.discovery;

import static dev.vicinity.discovery.RandomClusterObjects.pick;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A live cluster's world kept object by object, as informers report changes (a few between two looks, some
 * of them resyncs of unchanged objects or equal objects read again), equals mapping all the objects afresh;
 * and what did not change keeps its instances.
 */
class LiveClusterMappingPropertiesTest {
  private static final ClusterConfig CLUSTER =
      new ClusterConfig("mgmt", "network1", new LocalityMatch("us-central1", "us-central1-f", ""));

  @Property(tries = 300)
  void lookAfterLookTheWorldEqualsAFreshMappingAndWhatDidNotChangeKeepsItsInstances(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int looks) {
    Random random = new Random(seed);
    Informers informers = new Informers(new LiveClusterMapping(CLUSTER));
    Look previous = informers.look();
    for (int i = 0; i < looks; i++) {
      int changes = random.nextInt(4); // none: a look with nothing new
      for (int j = 0; j < changes; j++) {
        informers.change(random);
      }
      Look now = informers.look();

      KubernetesWorldMapper.Mapped afresh = informers.mappedAfresh();
      assertThat(now.world()).isEqualTo(afresh.world());
      assertThat(informers.mapping.rejected()).map(KubernetesWorldMapper.Rejected::toString)
          .containsExactlyInAnyOrderElementsOf(afresh.rejected().stream().map(KubernetesWorldMapper.Rejected::toString).toList());
      assertKeptInstances(previous, now);
      previous = now;
    }
  }

  /**
   * A service whose slices are the instances they were, on nodes whose localities are what they were, keeps
   * its Endpoint instances; a look after no change at all gives the same world.
   */
  private static void assertKeptInstances(Look before, Look now) {
    Map<ServiceKey, List<Endpoint>> endpointsBefore = byService(before.world());
    Map<ServiceKey, List<Endpoint>> endpointsNow = byService(now.world());
    for (Map.Entry<ServiceKey, Set<EndpointSlice>> service : now.slicesByService().entrySet()) {
      Set<EndpointSlice> slicesBefore = before.slicesByService().getOrDefault(service.getKey(), Set.of());
      boolean sameSlices = slicesBefore.size() == service.getValue().size()
          && service.getValue().stream().allMatch(slice -> slicesBefore.stream().anyMatch(was -> was == slice));
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
    if (now.told() == 0) {
      assertThat(now.world()).isSameAs(before.world());
    }
  }

  private static Map<ServiceKey, List<Endpoint>> byService(ClusterWorld world) {
    return world.endpoints().stream().collect(Collectors.groupingBy(Endpoint::service, LinkedHashMap::new, Collectors.toList()));
  }

  /** What one look saw: how many changes it was told of, the slices by service, node localities, the world. */
  private record Look(int told, Map<ServiceKey, Set<EndpointSlice>> slicesByService, Map<String, Locality> localities,
      ClusterWorld world) {}

  /** Informers' caches by namespace/name: each change replaces one instance and is told to the mapping. */
  private static final class Informers {
    private final LiveClusterMapping mapping;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, EndpointSlice> slices = new HashMap<>();
    private int told;

    Informers(LiveClusterMapping mapping) {
      this.mapping = mapping;
    }

    void change(Random random) {
      String node = pick(random, RandomClusterObjects.NODES);
      String slice = pick(random, RandomClusterObjects.NAMESPACES) + "/slice-" + random.nextInt(8);
      switch (random.nextInt(11)) {
        case 0 -> node(node, RandomClusterObjects.node(node, random));
        case 1 -> node(node, null);
        case 2 -> node(node, nodes.containsKey(node) ? RandomClusterObjects.heartbeat(nodes.get(node), random) : null);
        case 3 -> {
          Service service = RandomClusterObjects.service(random);
          service(service.getMetadata().getNamespace() + "/" + service.getMetadata().getName(), service);
        }
        case 4 -> service(pick(random, RandomClusterObjects.NAMESPACES) + "/" + pick(random, RandomClusterObjects.SERVICES), null);
        case 5 -> slice(slice, null);
        case 6 -> resyncOne(random);
        case 7 -> readAgainOne(random);
        default -> {
          String[] key = slice.split("/");
          slice(slice, RandomClusterObjects.slice(random, key[0], key[1]));
        }
      }
    }

    /** An informer's periodic resync: every object told again, the same instances. */
    private void resyncOne(Random random) {
      switch (random.nextInt(3)) {
        case 0 -> nodes.forEach((name, node) -> mapping.node(name, node));
        case 1 -> services.forEach((key, service) -> mapping.service(key, service));
        default -> slices.forEach((key, slice) -> mapping.slice(key, slice));
      }
    }

    /** A watch that reconnects lists again: new instances, equal to the old ones. */
    private void readAgainOne(Random random) {
      switch (random.nextInt(3)) {
        case 0 -> List.copyOf(nodes.keySet()).forEach(name -> node(name, new NodeBuilder(nodes.get(name)).build()));
        case 1 -> List.copyOf(services.keySet()).forEach(key -> service(key, new ServiceBuilder(services.get(key)).build()));
        default -> List.copyOf(slices.keySet()).forEach(key -> slice(key, new EndpointSliceBuilder(slices.get(key)).build()));
      }
    }

    private void node(String name, Node node) {
      put(nodes, name, node);
      mapping.node(name, node);
    }

    private void service(String key, Service service) {
      put(services, key, service);
      mapping.service(key, service);
    }

    private void slice(String key, EndpointSlice slice) {
      put(slices, key, slice);
      mapping.slice(key, slice);
    }

    private <T> void put(Map<String, T> cache, String key, T object) {
      told++;
      if (object == null) {
        cache.remove(key);
      } else {
        cache.put(key, object);
      }
    }

    Look look() {
      ClusterWorld world = mapping.world();
      Map<ServiceKey, Set<EndpointSlice>> slicesByService = new HashMap<>();
      for (EndpointSlice slice : slices.values()) {
        String service = slice.getMetadata().getLabels().get(KubernetesWorldMapper.SERVICE_NAME_LABEL);
        if (service != null) {
          slicesByService.computeIfAbsent(new ServiceKey(slice.getMetadata().getNamespace(), service), k -> new HashSet<>())
              .add(slice);
        }
      }
      Map<String, Locality> localities = new HashMap<>();
      nodes.forEach((name, node) -> KubernetesWorldMapper.nodeLocality(node).ifPresent(l -> localities.put(name, l)));
      Look look = new Look(told, slicesByService, localities, world);
      told = 0;
      return look;
    }

    KubernetesWorldMapper.Mapped mappedAfresh() {
      return KubernetesWorldMapper.map(CLUSTER, new ArrayList<>(nodes.values()), new ArrayList<>(services.values()),
          new ArrayList<>(slices.values()));
    }
  }
}
