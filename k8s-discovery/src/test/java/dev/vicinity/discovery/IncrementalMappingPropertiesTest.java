package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
import static dev.vicinity.discovery.RandomClusterObjects.pick;

/**
 * Mapping with a memo, look after look, as informers change objects one at a time, equals mapping the same
 * objects afresh; and what did not change keeps its instances.
 */
class IncrementalMappingPropertiesTest {
  private static final ClusterConfig CLUSTER =
      new ClusterConfig("mgmt", "network1", new LocalityMatch("us-central1", "us-central1-f", ""));
  private static final List<String> NAMESPACES = RandomClusterObjects.NAMESPACES;

  @Property(tries = 300)
  void lookAfterLookTheWorldEqualsAFreshMappingAndWhatDidNotChangeKeepsItsInstances(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int changes) {
    Random random = new Random(seed);
    Cluster cluster = new Cluster();
    for (int i = 0; i < 6; i++) {
      cluster.change(random);
    }
    MappingMemo memo = new MappingMemo();
    Look previous = cluster.look(memo, random);
    for (int i = 0; i < changes; i++) {
      cluster.change(random);
      Look now = cluster.look(memo, random);

      assertThat(now.world()).isEqualTo(cluster.mappedAfresh()).isEqualTo(cluster.sortedByClusterWorld());
      assertKeptInstances(previous, now);
      previous = now;
    }
  }

  /**
   * A service whose slices are the instances they were, on nodes whose localities are what they were, keeps
   * its Endpoint instances; a look at unchanged objects gives the same world.
   */
  private static void assertKeptInstances(Look before, Look now) {
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
    if (now.objects().equals(before.objects()) && now.localities().equals(before.localities())) {
      assertThat(now.world()).isSameAs(before.world());
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

  /** What one look saw: the object instances (by identity), node localities, slices by service, the world. */
  private record Look(Set<IdentityOf> objects, Map<String, Locality> localities,
      Map<ServiceKey, List<EndpointSlice>> slicesByService, ClusterWorld world) {}

  /** An object compared by identity, so that sets of them say whether the same instances were seen. */
  private record IdentityOf(Object object) {
    @Override
    public boolean equals(Object other) {
      return other instanceof IdentityOf that && that.object == object;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(object);
    }
  }

  /** An informer's cache: by name, each object's current instance; a change replaces one instance. */
  private static final class Cluster {
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, EndpointSlice> slices = new HashMap<>();
    private int sliceNames;

    void change(Random random) {
      switch (random.nextInt(10)) {
        case 0 -> {
          String name = pick(random, RandomClusterObjects.NODES);
          nodes.put(name, RandomClusterObjects.node(name, random));
        }
        case 1 -> nodes.remove(pick(random, RandomClusterObjects.NODES));
        case 2 -> nodes.computeIfPresent(pick(random, RandomClusterObjects.NODES), (name, node) -> RandomClusterObjects.heartbeat(node, random));
        case 3 -> {
          Service service = RandomClusterObjects.service(random);
          services.put(service.getMetadata().getNamespace() + "/" + service.getMetadata().getName(), service);
        }
        case 4 -> removeOne(services, random);
        case 5 -> slices.put("s" + sliceNames++, RandomClusterObjects.slice(random, pick(random, NAMESPACES), "slice-" + random.nextInt(1000)));
        case 6 -> removeOne(slices, random);
        case 7 -> {
          // Read again from the API server: a new instance, equal to the old one.
          String name = pickKey(slices, random);
          if (name != null) {
            slices.put(name, new EndpointSliceBuilder(slices.get(name)).build());
          }
        }
        default -> {
          String name = pickKey(slices, random);
          if (name != null) {
            slices.put(name, RandomClusterObjects.slice(random, pick(random, NAMESPACES), "slice-" + random.nextInt(1000)));
          }
        }
      }
    }

    Look look(MappingMemo memo, Random random) {
      List<Node> nodeList = shuffled(nodes.values(), random);
      List<Service> serviceList = shuffled(services.values(), random);
      List<EndpointSlice> sliceList = shuffled(slices.values(), random);
      ClusterWorld world = KubernetesWorldMapper.map(CLUSTER, nodeList, serviceList, sliceList, memo).world();
      Set<IdentityOf> objects = new HashSet<>();
      services.values().forEach(s -> objects.add(new IdentityOf(s)));
      slices.values().forEach(s -> objects.add(new IdentityOf(s)));
      Map<ServiceKey, List<EndpointSlice>> slicesByService = new HashMap<>();
      for (EndpointSlice slice : slices.values()) {
        String service = slice.getMetadata().getLabels().get(KubernetesWorldMapper.SERVICE_NAME_LABEL);
        if (service != null) {
          slicesByService.computeIfAbsent(new ServiceKey(slice.getMetadata().getNamespace(), service), k -> new ArrayList<>())
              .add(slice);
        }
      }
      return new Look(objects, localities(), slicesByService, world);
    }

    ClusterWorld mappedAfresh() {
      return KubernetesWorldMapper.map(CLUSTER, List.copyOf(nodes.values()), List.copyOf(services.values()),
          List.copyOf(slices.values())).world();
    }

    /** The world as ClusterWorld makes it of all endpoints in one list: one sort, one rule for copies. */
    ClusterWorld sortedByClusterWorld() {
      Map<String, Locality> localities = localities();
      List<Endpoint> endpoints = new ArrayList<>();
      slices.values().stream().filter(s -> KubernetesObjectRules.check(s).isEmpty())
          .forEach(s -> endpoints.addAll(KubernetesWorldMapper.endpoints(CLUSTER, s, localities)));
      return new ClusterWorld(CLUSTER.id(), CLUSTER.network(), SyncState.SYNCED,
          services.values().stream().map(s -> KubernetesWorldMapper.service(CLUSTER, s)).toList(), endpoints);
    }

    private Map<String, Locality> localities() {
      Map<String, Locality> localities = new HashMap<>();
      nodes.forEach((name, node) -> KubernetesWorldMapper.nodeLocality(node).ifPresent(l -> localities.put(name, l)));
      return localities;
    }

    private static <T> void removeOne(Map<String, T> objects, Random random) {
      String name = pickKey(objects, random);
      if (name != null) {
        objects.remove(name);
      }
    }

    private static <T> String pickKey(Map<String, T> objects, Random random) {
      if (objects.isEmpty()) {
        return null;
      }
      List<String> names = objects.keySet().stream().sorted().toList();
      return names.get(random.nextInt(names.size()));
    }

    private static <T> List<T> shuffled(java.util.Collection<T> objects, Random random) {
      List<T> list = new ArrayList<>(objects);
      Collections.shuffle(list, random); // informers promise no order
      return list;
    }
  }
}
