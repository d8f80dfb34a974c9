package dev.vicinity.translator.catalog;

import dev.vicinity.api.policy.PolicyStatus;
import static dev.vicinity.translator.Fixtures.endpoint;
import static dev.vicinity.translator.Fixtures.grpcClient;
import static dev.vicinity.translator.Fixtures.outlierDetection;
import static dev.vicinity.translator.Fixtures.reviews;
import static dev.vicinity.translator.Fixtures.reviewsGlobal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.MeshConfig;
import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.config.VirtualMeshConfig;
import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.policy.ObjectMeta;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.TrafficPolicy;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogStatusAndVisibilityTest {
  private static final Locality EAST = Locality.of("us-east-1", "us-east-1a");
  private static final Locality WEST = Locality.of("us-east-2", "us-east-2b");
  private static final World WORLD = World.of(List.of(
      new ClusterWorld(ClusterId.of("mgmt-cluster"), "", SyncState.SYNCED, List.of(reviews("mgmt-cluster")),
          List.of(endpoint("mgmt-cluster", "10.0.0.1", EAST))),
      new ClusterWorld(ClusterId.of("remote-cluster"), "", SyncState.SYNCED, List.of(reviews("remote-cluster")),
          List.of(endpoint("remote-cluster", "10.1.0.1", WEST)))));

  private static PolicyStatus status(Catalog catalog, PolicyKind kind, String name) {
    return catalog.statuses().stream().filter(s -> s.kind() == kind && s.ref().name().equals(name)).findFirst().orElseThrow();
  }

  private static VirtualDestination selecting(String name, String hostname, Map<String, String> labels) {
    VirtualDestination seed = reviewsGlobal(outlierDetection());
    return new VirtualDestination(new ObjectMeta(name, "gloo-mesh", 3L, Map.of()), new VirtualDestination.Spec(
        hostname, seed.spec().port(),
        new VirtualDestination.Localized(outlierDetection(),
            List.of(new DestinationSelector(new DestinationSelector.KubeServiceMatcher(labels, List.of(), List.of()), null)), List.of()),
        null, seed.spec().virtualMesh(), null));
  }

  private static TrafficPolicy shiftTo(String virtualDestination) {
    return new TrafficPolicy(new ObjectMeta("shift", "bookinfo", 2L, Map.of()), new TrafficPolicy.Spec(
        List.of(new DestinationSelector(null, new DestinationSelector.KubeServiceRefs(
            List.of(new ClusterObjectRef("reviews", "bookinfo", "mgmt-cluster"))))),
        new TrafficPolicy.Policy(new TrafficPolicy.TrafficShift(List.of(
            new TrafficPolicy.WeightedDestination(new ObjectRef(virtualDestination, "gloo-mesh"), null, null))))));
  }

  @Test
  void acceptedVirtualDestinationListsTheServicesItSelected() {
    Catalog catalog = Catalog.build(WORLD, new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of()));

    PolicyStatus status = status(catalog, PolicyKind.VIRTUAL_DESTINATION, "bookinfo-global");
    assertThat(status.state()).isEqualTo(PolicyStatus.State.ACCEPTED);
    assertThat(status.observedGeneration()).isEqualTo(1);
    assertThat(status.errors()).isEmpty();
    assertThat(status.selectedDestinations()).containsExactly(
        new ClusterObjectRef("reviews", "bookinfo", "mgmt-cluster"), new ClusterObjectRef("reviews", "bookinfo", "remote-cluster"));
    assertThat(status.appliedTo()).containsExactly("reviews.global:9080");
  }

  @Test
  void virtualDestinationSelectingNothingFailsAndServesNothing() {
    Catalog catalog = Catalog.build(WORLD, new PolicySet(List.of(selecting("ghost", "ghost.global", Map.of("app", "ghost"))), List.of(), List.of()));

    PolicyStatus status = status(catalog, PolicyKind.VIRTUAL_DESTINATION, "ghost");
    assertThat(status.state()).isEqualTo(PolicyStatus.State.FAILED);
    assertThat(status.errors()).containsExactly("selects no service with the port it forwards to");
    assertThat(catalog.destination("outbound|9080||ghost.global")).isEmpty();
  }

  @Test
  void secondVirtualDestinationForTheSameHostnameFails() {
    Catalog catalog = Catalog.build(WORLD, new PolicySet(List.of(
        reviewsGlobal(outlierDetection()), selecting("zzz-copy", "reviews.global", Map.of("app", "reviews"))), List.of(), List.of()));

    assertThat(status(catalog, PolicyKind.VIRTUAL_DESTINATION, "bookinfo-global").state()).isEqualTo(PolicyStatus.State.ACCEPTED);
    PolicyStatus copy = status(catalog, PolicyKind.VIRTUAL_DESTINATION, "zzz-copy");
    assertThat(copy.state()).isEqualTo(PolicyStatus.State.FAILED);
    assertThat(copy.errors()).containsExactly("reviews.global:9080 is already served by VirtualDestination gloo-mesh/bookinfo-global");
  }

  @Test
  void trafficPolicyToAMissingVirtualDestinationFailsWithTheReason() {
    Catalog catalog = Catalog.build(WORLD, new PolicySet(List.of(), List.of(shiftTo("nope")), List.of()));

    PolicyStatus status = status(catalog, PolicyKind.TRAFFIC_POLICY, "shift");
    assertThat(status.state()).isEqualTo(PolicyStatus.State.FAILED);
    assertThat(status.errors()).containsExactly("VirtualDestination gloo-mesh/nope does not exist", "applies to nothing");
    assertThat(status.selectedDestinations()).containsExactly(new ClusterObjectRef("reviews", "bookinfo", "mgmt-cluster"));
  }

  private static final MeshTopology MGMT_ONLY = new MeshTopology(
      List.of(new MeshConfig("istiod-mgmt", "gloo-mesh", "mgmt-cluster"), new MeshConfig("istiod-remote", "gloo-mesh", "remote-cluster")),
      List.of(new VirtualMeshConfig("virtual-mesh", "gloo-mesh", List.of(new ObjectRef("istiod-mgmt", "gloo-mesh")))));

  @Test
  void virtualDestinationIsVisibleOnlyToClientsInItsVirtualMeshClusters() {
    Catalog catalog = Catalog.build(WORLD,
        new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(shiftTo("bookinfo-global")), List.of()), MGMT_ONLY);

    XdsResources mgmt = Translator.translate(catalog, grpcClient("mgmt-cluster", EAST));
    XdsResources remote = Translator.translate(catalog, grpcClient("remote-cluster", WEST));

    assertThat(mgmt.clusters()).extracting(Cluster::getName).contains("outbound|9080||reviews.global");
    assertThat(remote.clusters()).extracting(Cluster::getName).doesNotContain("outbound|9080||reviews.global");
    assertThat(remote.listeners()).extracting(l -> l.getName()).doesNotContain("reviews.global:9080");
  }

  @Test
  void unknownVirtualMeshFailsTheVirtualDestination() {
    MeshTopology noVirtualMesh = new MeshTopology(MGMT_ONLY.meshes(), List.of());

    Catalog catalog = Catalog.build(WORLD, new PolicySet(List.of(reviewsGlobal(outlierDetection())), List.of(), List.of()), noVirtualMesh);

    PolicyStatus status = status(catalog, PolicyKind.VIRTUAL_DESTINATION, "bookinfo-global");
    assertThat(status.state()).isEqualTo(PolicyStatus.State.FAILED);
    assertThat(status.errors()).containsExactly("virtual mesh gloo-mesh/virtual-mesh is not defined in vicinity.yaml (virtualMeshes)");
    assertThat(Translator.translate(catalog, grpcClient("mgmt-cluster", EAST)).clusters())
        .extracting(Cluster::getName).doesNotContain("outbound|9080||reviews.global");
  }
}
