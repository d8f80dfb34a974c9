package dev.vicinity.translator.catalog;

import static dev.vicinity.translator.Fixtures.endpoint;
import static dev.vicinity.translator.Fixtures.grpcClient;
import static dev.vicinity.translator.Fixtures.outlierDetection;
import static dev.vicinity.translator.Fixtures.reviews;
import static dev.vicinity.translator.Fixtures.reviewsGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.Translator;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CatalogEndpointChangesTest {
  private static final Locality EAST_1A = Locality.of("us-east-1", "us-east-1a");
  private static final Locality EAST_2B = Locality.of("us-east-2", "us-east-2b");
  private static final ServiceKey RATINGS = new ServiceKey("bookinfo", "ratings");
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";
  private static final String REVIEWS_CLUSTER = "outbound|9080||reviews.bookinfo.svc.cluster.local";
  private static final String RATINGS_CLUSTER = "outbound|9080||ratings.bookinfo.svc.cluster.local";
  private static final PolicySet POLICIES = new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of());

  /** reviews in two clusters (behind reviews.global too) and ratings in mgmt-cluster only. */
  private static World world(List<Endpoint> remoteReviews) {
    DiscoveredService ratings = new DiscoveredService(ClusterId.of("mgmt-cluster"), RATINGS, Map.of("app", "ratings"),
        List.of(new ServicePort("http", 9080, "TCP", "")));
    Endpoint ratingsEndpoint = new Endpoint(ClusterId.of("mgmt-cluster"), RATINGS, "10.0.9.1", "http", 9080, EAST_1A,
        "node-9", EndpointConditions.READY, "network1");
    return World.of(List.of(
        new ClusterWorld(ClusterId.of("mgmt-cluster"), "network1", SyncState.SYNCED, List.of(reviews("mgmt-cluster"), ratings),
            List.of(endpoint("mgmt-cluster", "10.0.0.1", EAST_1A), ratingsEndpoint)),
        new ClusterWorld(ClusterId.of("remote-cluster"), "network1", SyncState.SYNCED, List.of(reviews("remote-cluster")),
            remoteReviews)));
  }

  private static final List<Endpoint> ONE_REMOTE = List.of(endpoint("remote-cluster", "10.1.0.1", EAST_2B));

  @Test
  void aNewEndpointChangesOnlyTheLoadAssignmentsOfTheDestinationsItBacks() {
    Catalog before = Catalog.build(world(ONE_REMOTE), POLICIES);
    List<Endpoint> twoRemote = new ArrayList<>(ONE_REMOTE);
    twoRemote.add(endpoint("remote-cluster", "10.1.0.2", EAST_2B));
    Catalog after = Catalog.build(world(twoRemote), POLICIES);

    assertThat(changedClusters(after, before)).contains(Set.of(VD_CLUSTER, REVIEWS_CLUSTER));
  }

  @Test
  void aReadinessFlipIsAnEndpointOnlyChange() {
    Catalog before = Catalog.build(world(ONE_REMOTE), POLICIES);
    Catalog after = Catalog.build(world(List.of(
        endpoint("remote-cluster", "10.1.0.1", EAST_2B, EndpointConditions.NOT_READY))), POLICIES);

    assertThat(changedClusters(after, before)).contains(Set.of(VD_CLUSTER, REVIEWS_CLUSTER));
  }

  @Test
  void nothingChangedIsAnEndpointOnlyChangeOfNoCluster() {
    assertThat(changedClusters(Catalog.build(world(ONE_REMOTE), POLICIES), Catalog.build(world(ONE_REMOTE), POLICIES)))
        .contains(Set.of());
  }

  @Test
  void aPolicyChangeNeedsAFullTranslation() {
    Catalog before = Catalog.build(world(ONE_REMOTE), POLICIES);
    Catalog withoutOutlierDetection = Catalog.build(world(ONE_REMOTE),
        new PolicySet(List.of(reviewsGlobal(null)), List.of(), List.of()));

    assertThat(withoutOutlierDetection.endpointOnlyChangesSince(before)).isEmpty();
  }

  @Test
  void aServiceGoingAwayNeedsAFullTranslation() {
    Catalog before = Catalog.build(world(ONE_REMOTE), POLICIES);
    World withoutRatings = world(ONE_REMOTE).with(new ClusterWorld(ClusterId.of("mgmt-cluster"), "network1",
        SyncState.SYNCED, List.of(reviews("mgmt-cluster")), List.of(endpoint("mgmt-cluster", "10.0.0.1", EAST_1A))));

    assertThat(Catalog.build(withoutRatings, POLICIES).endpointOnlyChangesSince(before)).isEqualTo(Optional.empty());
  }

  @Test
  void theLoadAssignmentsRebuiltAloneEqualThoseOfAFullTranslation() {
    Catalog catalog = Catalog.build(world(ONE_REMOTE), POLICIES);
    ClientProfile client = grpcClient("mgmt-cluster", EAST_1A);

    List<ClusterLoadAssignment> rebuilt = Translator.loadAssignments(catalog, client,
        List.of(catalog.destination(VD_CLUSTER).orElseThrow(), catalog.destination(RATINGS_CLUSTER).orElseThrow()));

    assertThat(rebuilt).extracting(ClusterLoadAssignment::getClusterName).containsExactlyInAnyOrder(VD_CLUSTER, RATINGS_CLUSTER);
    assertThat(Translator.translate(catalog, client).endpoints()).containsAll(rebuilt);
  }

  /** The names of the clusters whose load assignments changed, if endpoints are all that did. */
  private static Optional<Set<String>> changedClusters(Catalog after, Catalog before) {
    return after.endpointOnlyChangesSince(before)
        .map(changed -> changed.stream().map(Destination::clusterName).collect(Collectors.toSet()));
  }
}
