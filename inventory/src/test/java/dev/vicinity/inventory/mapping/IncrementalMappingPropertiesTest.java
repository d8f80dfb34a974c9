package dev.vicinity.inventory.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import static dev.vicinity.inventory.mapping.RandomClusterObjects.pick;

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

  /** What did not change keeps its instances; a look at unchanged objects gives the same world. */
  private static void assertKeptInstances(Look before, Look now) {
    MappedLook.assertUnchangedServicesKeptTheirEndpoints(before.seen(), now.seen());
    if (now.objects().equals(before.objects()) && now.seen().localities().equals(before.seen().localities())) {
      assertThat(now.world()).isSameAs(before.world());
    }
  }

  /** What one look saw: the object instances (by identity), and what {@link MappedLook} keeps. */
  private record Look(Set<IdentityOf> objects, MappedLook seen) {
    ClusterWorld world() {
      return seen.world();
    }
  }

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
      return new Look(objects, MappedLook.of(nodes.values(), slices.values(), world));
    }

    ClusterWorld mappedAfresh() {
      return KubernetesWorldMapper.map(CLUSTER, List.copyOf(nodes.values()), List.copyOf(services.values()),
          List.copyOf(slices.values())).world();
    }

    /** The world as ClusterWorld makes it of all endpoints in one list: one sort, one rule for copies. */
    ClusterWorld sortedByClusterWorld() {
      Map<String, Locality> localities = MappedLook.localities(nodes.values());
      List<Endpoint> endpoints = new ArrayList<>();
      slices.values().stream().filter(s -> KubernetesObjectRules.check(s).isEmpty())
          .forEach(s -> endpoints.addAll(KubernetesWorldMapper.endpoints(CLUSTER, s, localities)));
      return new ClusterWorld(CLUSTER.id(), CLUSTER.network(), SyncState.SYNCED,
          services.values().stream().map(s -> KubernetesWorldMapper.service(CLUSTER, s)).toList(), endpoints);
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
