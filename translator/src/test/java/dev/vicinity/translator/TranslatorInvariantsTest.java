package dev.vicinity.translator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties every translation keeps, checked over generated worlds (fixed seeds, so a failure
 * reproduces): contiguous priorities from 0, positive locality weights, a load assignment for every
 * EDS cluster with a parseable name, and output independent of input order.
 */
class TranslatorInvariantsTest {
  private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "eu-west-1");
  private static final List<String> ZONES = List.of("a", "b", "c");

  private static List<ClusterWorld> generate(Random random) {
    List<ClusterWorld> clusters = new ArrayList<>();
    for (String name : List.of("c1", "c2", "c3")) {
      List<Endpoint> endpoints = new ArrayList<>();
      int count = random.nextInt(12);
      for (int i = 0; i < count; i++) {
        String region = REGIONS.get(random.nextInt(REGIONS.size()));
        Locality locality = new Locality(region, region + ZONES.get(random.nextInt(ZONES.size())), random.nextBoolean() ? "" : "s1");
        EndpointConditions conditions = random.nextInt(4) == 0 ? EndpointConditions.NOT_READY : EndpointConditions.READY;
        endpoints.add(new Endpoint(ClusterId.of(name), Fixtures.REVIEWS, "10." + name.charAt(1) + ".0." + i, "http", 9080,
            locality, "node", conditions, ""));
      }
      clusters.add(new ClusterWorld(ClusterId.of(name), "", SyncState.SYNCED, List.of(Fixtures.reviews(name)), endpoints));
    }
    return clusters;
  }

  /** The same clusters and endpoints, listed in another order. */
  private static List<ClusterWorld> shuffle(List<ClusterWorld> clusters, Random random) {
    List<ClusterWorld> shuffled = new ArrayList<>();
    for (ClusterWorld cluster : clusters) {
      List<Endpoint> endpoints = new ArrayList<>(cluster.endpoints());
      Collections.shuffle(endpoints, random);
      shuffled.add(new ClusterWorld(cluster.id(), cluster.network(), cluster.syncState(), cluster.services(), endpoints));
    }
    Collections.shuffle(shuffled, random);
    return shuffled;
  }

  private static ClientProfile client(Random random) {
    String region = REGIONS.get(random.nextInt(REGIONS.size()));
    return Fixtures.grpcClient("c1", new Locality(region, region + ZONES.get(random.nextInt(ZONES.size())), "s1"));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void prioritiesAreContiguousAndWeightsPositive(long seed) {
    Random random = new Random(seed);
    Catalog catalog = Catalog.build(World.of(generate(random)),
        new PolicySet(List.of(Fixtures.reviewsGlobal(Fixtures.outlierDetection())), List.of(), List.of()));

    XdsResources resources = Translator.translate(catalog, client(random));

    for (ClusterLoadAssignment assignment : resources.endpoints()) {
      TreeSet<Integer> priorities = new TreeSet<>();
      assignment.getEndpointsList().forEach(l -> priorities.add(l.getPriority()));
      if (!priorities.isEmpty()) {
        assertThat(priorities.first()).isZero();
        assertThat(priorities.last()).isEqualTo(priorities.size() - 1);
      }
      assertThat(assignment.getEndpointsList()).allSatisfy(l -> assertThat(l.getLoadBalancingWeight().getValue()).isPositive());
      assertThat(assignment.getEndpointsList()).extracting(LocalityLbEndpoints::getPriority).isSorted();
    }
    assertThat(resources.clusters()).extracting(Cluster::getName)
        .containsExactlyElementsOf(resources.endpoints().stream().map(ClusterLoadAssignment::getClusterName).toList());
    assertThat(resources.clusters()).allSatisfy(c -> {
      assertThat(c.getEdsClusterConfig().getServiceName()).isEqualTo(c.getName());
      assertThat(ResourceNames.parseCluster(c.getName())).isPresent();
    });
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28})
  void outputDoesNotDependOnInputOrder(long seed) {
    PolicySet policies = new PolicySet(List.of(Fixtures.reviewsGlobal(Fixtures.outlierDetection())), List.of(), List.of());
    ClientProfile client = client(new Random(seed));

    List<ClusterWorld> clusters = generate(new Random(seed));

    XdsResources ordered = Translator.translate(Catalog.build(World.of(clusters), policies), client);
    XdsResources shuffled = Translator.translate(Catalog.build(World.of(shuffle(clusters, new Random(-seed))), policies), client);

    assertThat(shuffled).isEqualTo(ordered);
  }
}
