package dev.vicinity.translator.explain;

import static dev.vicinity.translator.Fixtures.endpoint;
import static dev.vicinity.translator.Fixtures.grpcClient;
import static dev.vicinity.translator.Fixtures.outlierDetection;
import static dev.vicinity.translator.Fixtures.reviews;
import static dev.vicinity.translator.Fixtures.reviewsGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.Gateway;
import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.PolicyReader;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.catalog.Catalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExplainerTest {
  private static final Locality EAST_1A = Locality.of("us-east-1", "us-east-1a");
  private static final Locality EAST_1B = Locality.of("us-east-1", "us-east-1b");
  private static final Locality WEST = Locality.of("us-west-2", "us-west-2a");
  private static final World CATALOG_WORLD = World.of(List.of(
      new ClusterWorld(ClusterId.of("east"), "", SyncState.SYNCED, List.of(reviews("east")),
          List.of(endpoint("east", "10.0.0.1", EAST_1A), endpoint("east", "10.0.0.2", EAST_1A),
              endpoint("east", "10.0.0.3", EAST_1B))),
      new ClusterWorld(ClusterId.of("west"), "", SyncState.SYNCED, List.of(reviews("west")),
          List.of(endpoint("west", "10.1.0.1", WEST)))));
  private static final PolicySet CATALOG_POLICIES = new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of());
  private static final Catalog CATALOG = Catalog.build(CATALOG_WORLD, CATALOG_POLICIES);

  @Test
  void everyEndpointCarriesThePriorityAndTheRuleThatPlacedIt() {
    Explainer.Explanation explanation =
        Explainer.explain(CATALOG, grpcClient("east", EAST_1A), "reviews.global", Optional.of(9080), Set.of());

    Explainer.Target target = explanation.routes().get(0).targets().get(0);
    assertThat(target.priorities()).extracting(Explainer.Priority::priority, Explainer.Priority::locality)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "us-east-1/us-east-1a"),
            org.assertj.core.groups.Tuple.tuple(1, "us-east-1/us-east-1b"),
            org.assertj.core.groups.Tuple.tuple(2, "us-west-2/us-west-2a"));
    assertThat(target.priorities()).flatExtracting(Explainer.Priority::endpoints).extracting(Explainer.Row::reason)
        .containsExactly("same region, zone and subzone as the client", "same region, zone and subzone as the client",
            "same region, another zone", "another region");
    assertThat(target.scenario().envoyPercentByPriority()).isEqualTo(Map.of(0, 100, 1, 0, 2, 0));
    assertThat(target.scenario().grpcPriority()).contains(0);
  }

  @Test
  void aGrpcClientOnAnotherNetworkIsToldWhichLocalitiesItsOneGatewayStandsFor() {
    Catalog catalog = Catalog.build(CATALOG_WORLD, CATALOG_POLICIES, new MeshTopology(List.of(), List.of(),
        Map.of("network1", List.of(new Gateway("198.51.100.1", null)))));
    ClientProfile client = new ClientProfile(ClientKind.GRPC, "west2", WEST, "network2");

    Explainer.Explanation explanation = Explainer.explain(catalog, client, "reviews.global", Optional.of(9080), Set.of());

    Explainer.Target target = explanation.routes().get(0).targets().get(0);
    assertThat(target.priorities()).singleElement().satisfies(priority -> {
      assertThat(priority.locality()).isEqualTo("us-west-2/us-west-2a");
      assertThat(priority.weight()).isEqualTo(4);
      assertThat(priority.endpoints()).singleElement().extracting(Explainer.Row::reason).isEqualTo(
          "east-west gateway of network network1, for 4 healthy endpoints behind it in us-west-2/us-west-2a,"
              + " us-east-1/us-east-1a, us-east-1/us-east-1b (merged: gRPC takes each address once, so the gateway's"
              + " network, not this client, fails over between them)");
    });
  }

  @Test
  void aStaticListWithoutOutlierDetectionIsNotSaidToHaveNoFailover() {
    PolicyReader.Result read = PolicyReader.read("reviews-ordered.yaml", """
        apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
        kind: VirtualDestination
        metadata: {name: reviews-ordered, namespace: gloo-mesh}
        spec:
          hostname: reviews.ordered.global
          port: {number: 9080, protocol: http}
          static:
            destinations:
            - kubeService: {name: reviews, namespace: bookinfo, clusterName: west}
            - kubeService: {name: reviews, namespace: bookinfo, clusterName: east}
        """);
    assertThat(read.errors()).isEmpty();
    Catalog catalog = Catalog.build(CATALOG_WORLD, PolicySet.of(read.policies()));

    Explainer.Explanation explanation =
        Explainer.explain(catalog, grpcClient("east", EAST_1A), "reviews.ordered.global", Optional.of(9080), Set.of());

    Explainer.Target target = explanation.routes().get(0).targets().get(0);
    assertThat(target.priorities()).extracting(Explainer.Priority::priority).containsExactly(0, 1, 1);
    assertThat(target.outlierDetection())
        .isEqualTo("off: nothing is ejected, but the static list still orders the priorities");
  }

  @Test
  void failingTheClientsZoneSendsTrafficToTheNextPriority() {
    Explainer.Explanation explanation =
        Explainer.explain(CATALOG, grpcClient("east", EAST_1A), "reviews.global", Optional.empty(), Set.of("us-east-1/us-east-1a"));

    Explainer.Scenario scenario = explanation.routes().get(0).targets().get(0).scenario();
    assertThat(scenario.grpcPriority()).contains(1);
    assertThat(scenario.envoyPercentByPriority()).isEqualTo(Map.of(0, 0, 1, 100, 2, 0));
  }

  @Test
  void failingAClusterByNameMarksItsEndpoints() {
    Explainer.Explanation explanation =
        Explainer.explain(CATALOG, grpcClient("east", EAST_1A), "reviews.global", Optional.empty(), Set.of("east"));

    assertThat(explanation.routes().get(0).targets().get(0).scenario().grpcPriority()).contains(2);
  }

  @Test
  void envoySpillsOverPartlyWhenAPriorityIsPartlyHealthy() {
    // Envoy: a priority with 1 of 2 healthy takes min(100, 1.4 x 50) = 70%, the next one the rest.
    Map<Integer, int[]> health = new TreeMap<>(Map.of(0, new int[] {1, 2}, 1, new int[] {1, 1}));

    assertThat(Explainer.scenario(health).envoyPercentByPriority()).isEqualTo(Map.of(0, 70, 1, 30));
  }

  @Test
  void envoyNormalisesWhenNoPriorityIsHealthyEnough() {
    // 1 of 4 healthy at each of two priorities: 35% + 35% < 100, normalised to 50/50.
    Map<Integer, int[]> health = new TreeMap<>(Map.of(0, new int[] {1, 4}, 1, new int[] {1, 4}));

    assertThat(Explainer.scenario(health).envoyPercentByPriority()).isEqualTo(Map.of(0, 50, 1, 50));
  }

  @Test
  void anUnknownHostIsSaidSo() {
    Explainer.Explanation explanation =
        Explainer.explain(CATALOG, grpcClient("east", EAST_1A), "nope.global", Optional.empty(), Set.of());

    assertThat(explanation.routes()).isEmpty();
    assertThat(Explainer.render(explanation)).contains("no host nope.global is visible to this client");
  }
}
