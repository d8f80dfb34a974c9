package dev.vicinity.translator.catalog;

import static dev.vicinity.translator.Fixtures.endpoint;
import static dev.vicinity.translator.Fixtures.outlierDetection;
import static dev.vicinity.translator.Fixtures.reviews;
import static dev.vicinity.translator.Fixtures.reviewsGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.MeshTopology;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An update keeps what its change did not touch: the same instances, not equal copies. */
class IncrementalCatalogTest {
  private static final Locality EAST_1A = Locality.of("us-east-1", "us-east-1a");
  private static final ServiceKey RATINGS = new ServiceKey("bookinfo", "ratings");
  private static final String REVIEWS_CLUSTER = "outbound|9080||reviews.bookinfo.svc.cluster.local";
  private static final String RATINGS_CLUSTER = "outbound|9080||ratings.bookinfo.svc.cluster.local";
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";
  private static final PolicySet POLICIES = new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of());
  private static final DiscoveredService RATINGS_SERVICE = new DiscoveredService(ClusterId.of("mgmt-cluster"), RATINGS,
      Map.of("app", "ratings"), List.of(new ServicePort("http", 9080, "TCP", "")));
  private static final Endpoint RATINGS_ENDPOINT = new Endpoint(ClusterId.of("mgmt-cluster"), RATINGS, "10.0.9.1", "http",
      9080, EAST_1A, "node-9", EndpointConditions.READY, "");
  private static final Endpoint FIRST_REVIEWS = endpoint("mgmt-cluster", "10.0.0.1", EAST_1A);
  private static final ClusterWorld REMOTE = new ClusterWorld(ClusterId.of("remote-cluster"), "", SyncState.SYNCED,
      List.of(reviews("remote-cluster")), List.of(endpoint("remote-cluster", "10.1.0.1", EAST_1A)));

  private static World world(List<Endpoint> mgmtReviews) {
    List<Endpoint> endpoints = new ArrayList<>(mgmtReviews);
    endpoints.add(RATINGS_ENDPOINT);
    return World.of(List.of(new ClusterWorld(ClusterId.of("mgmt-cluster"), "", SyncState.SYNCED,
        List.of(reviews("mgmt-cluster"), RATINGS_SERVICE), endpoints), REMOTE));
  }

  @Test
  void aNewEndpointRebuildsOnlyTheDestinationsItBacksAndKeepsTheirClusters() {
    IncrementalCatalog before = IncrementalCatalog.empty(MeshTopology.NONE).update(world(List.of(FIRST_REVIEWS)), POLICIES);
    IncrementalCatalog after = before.update(
        world(List.of(FIRST_REVIEWS, endpoint("mgmt-cluster", "10.0.0.2", EAST_1A))), POLICIES);

    Catalog was = before.catalog();
    Catalog now = after.catalog();
    assertThat(now.destination(RATINGS_CLUSTER).orElseThrow()).isSameAs(was.destination(RATINGS_CLUSTER).orElseThrow());
    assertThat(now.destination(REVIEWS_CLUSTER).orElseThrow().endpoints()).hasSize(3);
    assertThat(now.destination(VD_CLUSTER).orElseThrow().endpoints()).hasSize(3);
    // Only endpoints changed: every Cluster proto, and the unchanged endpoints' LbEndpoints, are kept.
    now.clusters().forEach((name, cluster) -> assertThat(cluster).isSameAs(was.clusters().get(name)));
    assertThat(now.lbEndpoints().get(FIRST_REVIEWS)).isSameAs(was.lbEndpoints().get(FIRST_REVIEWS));
    assertThat(now.lbEndpoints().get(RATINGS_ENDPOINT)).isSameAs(was.lbEndpoints().get(RATINGS_ENDPOINT));
    assertThat(now.statuses()).isEqualTo(was.statuses());
  }

  @Test
  void theSameWorldAndEqualPoliciesCostNothing() {
    World world = world(List.of(FIRST_REVIEWS));
    IncrementalCatalog built = IncrementalCatalog.empty(MeshTopology.NONE).update(world, POLICIES);

    assertThat(built.update(world, new PolicySet(POLICIES.virtualDestinations(), List.of(), List.of()))).isSameAs(built);
  }
}
