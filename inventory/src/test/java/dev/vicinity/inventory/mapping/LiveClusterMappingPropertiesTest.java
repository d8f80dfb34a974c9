package dev.vicinity.inventory.mapping;

import static dev.vicinity.inventory.mapping.RandomClusterObjects.pick;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.LocalityMatch;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
      assertThat(now.seen().world()).isEqualTo(afresh.world());
      assertThat(informers.mapping.rejected()).map(KubernetesWorldMapper.Rejected::toString)
          .containsExactlyInAnyOrderElementsOf(afresh.rejected().stream().map(KubernetesWorldMapper.Rejected::toString).toList());
      assertKeptInstances(previous, now);
      previous = now;
    }
  }

  /** What did not change keeps its instances; a look after no change at all gives the same world. */
  private static void assertKeptInstances(Look before, Look now) {
    MappedLook.assertUnchangedServicesKeptTheirEndpoints(before.seen(), now.seen());
    if (now.told() == 0) {
      assertThat(now.seen().world()).isSameAs(before.seen().world());
    }
  }

  /** What one look saw: how many changes it was told of, and what {@link MappedLook} keeps. */
  private record Look(int told, MappedLook seen) {}

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
      Look look = new Look(told, MappedLook.of(nodes.values(), slices.values(), mapping.world()));
      told = 0;
      return look;
    }

    KubernetesWorldMapper.Mapped mappedAfresh() {
      return KubernetesWorldMapper.map(CLUSTER, new ArrayList<>(nodes.values()), new ArrayList<>(services.values()),
          new ArrayList<>(slices.values()));
    }
  }
}
