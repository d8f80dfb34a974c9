package dev.vicinity.inventory.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesWorldMapperTest {
  private static final ClusterConfig CLUSTER = new ClusterConfig("mgmt-cluster", "network1", null);
  private static final ClusterConfig WITH_DEFAULT =
      new ClusterConfig("mgmt-cluster", "network1", new LocalityMatch("us-central1", "us-central1-f", ""));

  private static Node node(String name, Map<String, String> labels) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
  }

  private static Service reviews() {
    return new ServiceBuilder()
        .withNewMetadata().withName("reviews").withNamespace("bookinfo").withLabels(Map.of("app", "reviews")).endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(9080).withProtocol("TCP").endPort().endSpec()
        .build();
  }

  private static EndpointSliceBuilder slice(String name) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withNamespace("bookinfo")
        .withLabels(Map.of("kubernetes.io/service-name", "reviews")).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(9080).endPort();
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String address, String node, Boolean ready) {
    EndpointBuilder builder = new EndpointBuilder().withAddresses(address).withNodeName(node);
    if (ready != null) {
      builder.withNewConditions().withReady(ready).endConditions();
    }
    return builder.build();
  }

  private static ClusterWorld map(ClusterConfig cluster, List<Node> nodes, EndpointSlice... slices) {
    return KubernetesWorldMapper.toClusterWorld(cluster, nodes, List.of(reviews()), List.of(slices));
  }

  @Test
  void endpointLocalityComesFromItsNodesTopologyLabels() {
    Node node = node("n1", Map.of(
        "topology.kubernetes.io/region", "us-east-1", "topology.kubernetes.io/zone", "us-east-1a",
        "topology.istio.io/subzone", "rack-7"));

    ClusterWorld world = map(CLUSTER, List.of(node), slice("s1").addToEndpoints(endpoint("10.0.0.1", "n1", true)).build());

    Endpoint endpoint = world.endpoints().get(0);
    assertThat(endpoint.locality()).isEqualTo(new Locality("us-east-1", "us-east-1a", "rack-7"));
    assertThat(endpoint).extracting(Endpoint::service, Endpoint::address, Endpoint::portName, Endpoint::port, Endpoint::network)
        .containsExactly(new ServiceKey("bookinfo", "reviews"), "10.0.0.1", "http", 9080, "network1");
    assertThat(world.syncState()).isEqualTo(SyncState.SYNCED);
    assertThat(world.services()).singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("app", "reviews"));
  }

  @Test
  void relabellingANodeMovesItsEndpoints() {
    EndpointSlice slice = slice("s1").addToEndpoints(endpoint("10.0.0.1", "n1", true)).build();
    Node before = node("n1", Map.of("topology.kubernetes.io/region", "us-east-1", "topology.kubernetes.io/zone", "us-east-1a"));
    Node after = node("n1", Map.of("topology.kubernetes.io/region", "us-east-2", "topology.kubernetes.io/zone", "us-east-2b"));

    assertThat(map(CLUSTER, List.of(before), slice).endpoints().get(0).locality()).isEqualTo(Locality.of("us-east-1", "us-east-1a"));
    assertThat(map(CLUSTER, List.of(after), slice).endpoints().get(0).locality()).isEqualTo(Locality.of("us-east-2", "us-east-2b"));
  }

  @Test
  void unknownNodeFallsBackToTheSliceZoneInTheClustersDefaultRegion() {
    io.fabric8.kubernetes.api.model.discovery.v1.Endpoint zoned = new EndpointBuilder()
        .withAddresses("10.0.0.1").withNodeName("gone").withZone("us-central1-b").build();

    ClusterWorld world = map(WITH_DEFAULT, List.of(), slice("s1").addToEndpoints(zoned).build());

    assertThat(world.endpoints().get(0).locality()).isEqualTo(Locality.of("us-central1", "us-central1-b"));
  }

  @Test
  void withoutNodeOrZoneTheClustersDefaultLocalityIsTheLastResort() {
    ClusterWorld world = map(WITH_DEFAULT, List.of(node("n1", Map.of())), slice("s1").addToEndpoints(endpoint("10.0.0.1", "n1", true)).build());

    assertThat(world.endpoints().get(0).locality()).isEqualTo(Locality.of("us-central1", "us-central1-f"));
    assertThat(map(CLUSTER, List.of(), slice("s1").addToEndpoints(endpoint("10.0.0.1", "n1", true)).build())
        .endpoints().get(0).locality().isUnknown()).isTrue();
  }

  @Test
  void conditionsFollowKubernetesDefaults() {
    assertThat(KubernetesWorldMapper.conditions(null)).isEqualTo(EndpointConditions.READY);
    var readyUnset = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions(null, null, null);
    assertThat(KubernetesWorldMapper.conditions(readyUnset)).isEqualTo(new EndpointConditions(true, true, false));
    var notReady = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions(false, null, null);
    assertThat(KubernetesWorldMapper.conditions(notReady)).isEqualTo(new EndpointConditions(false, false, false));
    var draining = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions(false, true, true);
    assertThat(KubernetesWorldMapper.conditions(draining)).isEqualTo(new EndpointConditions(false, true, true));
    assertThat(KubernetesWorldMapper.conditions(draining).draining()).isTrue();
  }

  @Test
  void slicesWithoutAServiceOrOfFqdnAddressesAreIgnored() {
    EndpointSlice orphan = new EndpointSliceBuilder(slice("s1").addToEndpoints(endpoint("10.0.0.1", "n1", true)).build())
        .editMetadata().withLabels(Map.of()).endMetadata().build();
    EndpointSlice fqdn = slice("s2").withAddressType("FQDN").addToEndpoints(endpoint("reviews.example.com", "n1", true)).build();

    assertThat(map(CLUSTER, List.of(), orphan, fqdn).endpoints()).isEmpty();
  }

  @Test
  void anAddressInTwoSlicesIsKeptOnceTheReadyCopyWinning() {
    EndpointSlice old = slice("s1").addToEndpoints(endpoint("10.0.0.1", "n1", false)).build();
    EndpointSlice current = slice("s2").addToEndpoints(endpoint("10.0.0.1", "n1", true)).build();

    assertThat(map(CLUSTER, List.of(), old, current).endpoints()).singleElement()
        .satisfies(e -> assertThat(e.conditions().ready()).isTrue());
  }

  @Test
  void everyAddressAndPortBecomesAnEndpoint() {
    EndpointSlice twoPorts = slice("s1").addNewPort().withName("admin").withPort(15000).endPort()
        .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.1", "10.0.0.2").build())
        .build();

    assertThat(map(CLUSTER, List.of(), twoPorts).endpoints())
        .extracting(e -> e.address() + ":" + e.port() + "/" + e.portName())
        .containsExactlyInAnyOrder("10.0.0.1:9080/http", "10.0.0.1:15000/admin", "10.0.0.2:9080/http", "10.0.0.2:15000/admin");
  }

  @Test
  void objectsTheApiServerWouldRefuseAreLeftOutAndNamedWithEveryBrokenRule() {
    EndpointSlice hostile = slice("reviews-hostile").withEndpoints(endpoint("not-an-ip", "n1", true))
        .editFirstPort().withPort(-5).endPort().build();
    Service badService = new ServiceBuilder(reviews()).editMetadata().withName("ratings").endMetadata()
        .editSpec().editFirstPort().withPort(-80).endPort().endSpec().build();

    KubernetesWorldMapper.Mapped mapped = KubernetesWorldMapper.map(CLUSTER, List.of(),
        List.of(reviews(), badService), List.of(hostile, slice("reviews-ok").withEndpoints(endpoint("10.0.0.1", "n1", true)).build()));

    assertThat(mapped.world().services()).extracting(s -> s.key().name()).containsExactly("reviews");
    assertThat(mapped.world().endpoints()).extracting(e -> e.address() + ":" + e.port()).containsExactly("10.0.0.1:9080");
    assertThat(mapped.rejected()).extracting(Object::toString).containsExactly(
        "Service bookinfo/ratings: spec.ports[0].port: -80 is not a port number: expected 1-65535",
        "EndpointSlice bookinfo/reviews-hostile: endpoints[0].addresses[0]: 'not-an-ip' is not a valid IPv4 address"
            + " (addressType IPv4): expected four numbers 0-255 without leading zeros, such as 10.0.0.1;"
            + " ports[0].port: -5 is not a port number: expected 1-65535");
    assertThat(KubernetesWorldMapper.toClusterWorld(CLUSTER, List.of(), List.of(reviews(), badService), List.of(hostile)).endpoints())
        .isEmpty();
  }

  @Test
  void withAMemoUnchangedObjectsAreNotMappedAgainAndChangedOnesAre() {
    MappingMemo memo = new MappingMemo();
    Node n1 = node("n1", Map.of(KubernetesWorldMapper.REGION_LABEL, "us-east-1", KubernetesWorldMapper.ZONE_LABEL, "us-east-1a"));
    Service service = reviews();
    EndpointSlice kept = slice("reviews-a").withEndpoints(endpoint("10.0.0.1", "n1", true)).build();
    EndpointSlice edited = slice("reviews-b").withEndpoints(endpoint("10.0.0.2", "n1", true)).build();
    ClusterWorld first = KubernetesWorldMapper.map(CLUSTER, List.of(n1), List.of(service), List.of(kept, edited), memo).world();

    EndpointSlice editedAgain = slice("reviews-b").withEndpoints(endpoint("10.0.0.2", "n1", false)).build();
    ClusterWorld second = KubernetesWorldMapper.map(CLUSTER, List.of(n1), List.of(service), List.of(kept, editedAgain), memo).world();

    assertThat(second.services().get(0)).isSameAs(first.services().get(0));
    assertThat(endpoint(second, "10.0.0.1")).as("an unchanged slice's endpoint").isSameAs(endpoint(first, "10.0.0.1"));
    assertThat(endpoint(second, "10.0.0.2").conditions().ready()).isFalse();
    assertThat(second).isEqualTo(KubernetesWorldMapper.toClusterWorld(CLUSTER, List.of(n1), List.of(service), List.of(kept, editedAgain)));
  }

  @Test
  void withAMemoANodeMovingToAnotherZoneMovesTheEndpointsOfUnchangedSlices() {
    MappingMemo memo = new MappingMemo();
    EndpointSlice kept = slice("reviews-a").withEndpoints(endpoint("10.0.0.1", "n1", true)).build();
    Node before = node("n1", Map.of(KubernetesWorldMapper.REGION_LABEL, "us-east-1", KubernetesWorldMapper.ZONE_LABEL, "us-east-1a"));
    Node after = node("n1", Map.of(KubernetesWorldMapper.REGION_LABEL, "us-east-1", KubernetesWorldMapper.ZONE_LABEL, "us-east-1b"));
    KubernetesWorldMapper.map(CLUSTER, List.of(before), List.of(reviews()), List.of(kept), memo);

    ClusterWorld moved = KubernetesWorldMapper.map(CLUSTER, List.of(after), List.of(reviews()), List.of(kept), memo).world();

    assertThat(endpoint(moved, "10.0.0.1").locality()).isEqualTo(new Locality("us-east-1", "us-east-1b", ""));
  }

  @Test
  void withAMemoALookThatChangesNothingGivesTheSameWorldInstance() {
    MappingMemo memo = new MappingMemo();
    EndpointSlice kept = slice("reviews-a").withEndpoints(endpoint("10.0.0.1", "n1", true)).build();
    Node n1 = node("n1", Map.of(KubernetesWorldMapper.REGION_LABEL, "us-east-1", KubernetesWorldMapper.ZONE_LABEL, "us-east-1a"));
    Node n1Heartbeat = new NodeBuilder(n1).editMetadata().addToAnnotations("heartbeat", "1").endMetadata().build();
    Service service = reviews();
    ClusterWorld first = KubernetesWorldMapper.map(CLUSTER, List.of(n1), List.of(service), List.of(kept), memo).world();

    assertThat(KubernetesWorldMapper.map(CLUSTER, List.of(n1), List.of(service), List.of(kept), memo).world()).isSameAs(first);
    assertThat(KubernetesWorldMapper.map(CLUSTER, List.of(n1Heartbeat), List.of(service), List.of(kept), memo).world())
        .isSameAs(first);
  }

  @Test
  void withAMemoAChangedSliceOfOneServiceLeavesAnotherServicesEndpointInstances() {
    MappingMemo memo = new MappingMemo();
    Service ratings = new ServiceBuilder(reviews()).editMetadata().withName("ratings").endMetadata().build();
    EndpointSlice ratingsSlice = new EndpointSliceBuilder(slice("ratings-a").withEndpoints(
            endpoint("10.0.1.2", "n1", true), endpoint("10.0.1.1", "n1", true)).build())
        .editMetadata().addToLabels(KubernetesWorldMapper.SERVICE_NAME_LABEL, "ratings").endMetadata().build();
    EndpointSlice reviewsSlice = slice("reviews-a").withEndpoints(endpoint("10.0.0.1", "n1", true)).build();
    ClusterWorld first = KubernetesWorldMapper.map(CLUSTER, List.of(), List.of(reviews(), ratings),
        List.of(reviewsSlice, ratingsSlice), memo).world();

    EndpointSlice reviewsScaled = slice("reviews-a").withEndpoints(endpoint("10.0.0.1", "n1", true),
        endpoint("10.0.0.2", "n1", true)).build();
    ClusterWorld second = KubernetesWorldMapper.map(CLUSTER, List.of(), List.of(reviews(), ratings),
        List.of(reviewsScaled, ratingsSlice), memo).world();

    assertThat(second).isEqualTo(KubernetesWorldMapper.map(CLUSTER, List.of(), List.of(reviews(), ratings),
        List.of(reviewsScaled, ratingsSlice)).world());
    assertThat(second.endpoints()).extracting(Endpoint::address)
        .containsExactly("10.0.1.1", "10.0.1.2", "10.0.0.1", "10.0.0.2");
    assertThat(second.endpoints().get(0)).isSameAs(first.endpoints().get(0));
    assertThat(second.endpoints().get(1)).isSameAs(first.endpoints().get(1));
  }

  @Test
  void withAMemoANodeMovingRemapsOnlyTheSlicesWithEndpointsOnIt() {
    MappingMemo memo = new MappingMemo();
    Node n1 = node("n1", Map.of(KubernetesWorldMapper.REGION_LABEL, "us-east-1", KubernetesWorldMapper.ZONE_LABEL, "us-east-1a"));
    Node n2 = node("n2", Map.of(KubernetesWorldMapper.REGION_LABEL, "us-east-1", KubernetesWorldMapper.ZONE_LABEL, "us-east-1b"));
    Node n2Moved = node("n2", Map.of(KubernetesWorldMapper.REGION_LABEL, "us-east-1", KubernetesWorldMapper.ZONE_LABEL, "us-east-1c"));
    EndpointSlice onN1 = slice("reviews-a").withEndpoints(endpoint("10.0.0.1", "n1", true)).build();
    EndpointSlice onN2 = slice("reviews-b").withEndpoints(endpoint("10.0.0.2", "n2", true)).build();
    EndpointSlice onNodeToCome = slice("reviews-c").withEndpoints(endpoint("10.0.0.3", "n3", true)).build();
    List<EndpointSlice> slices = List.of(onN1, onN2, onNodeToCome);
    ClusterWorld first = KubernetesWorldMapper.map(CLUSTER, List.of(n1, n2), List.of(reviews()), slices, memo).world();

    ClusterWorld moved = KubernetesWorldMapper.map(CLUSTER, List.of(n1, n2Moved), List.of(reviews()), slices, memo).world();

    assertThat(endpoint(moved, "10.0.0.1")).isSameAs(endpoint(first, "10.0.0.1"));
    assertThat(endpoint(moved, "10.0.0.3")).isSameAs(endpoint(first, "10.0.0.3"));
    assertThat(endpoint(moved, "10.0.0.2").locality()).isEqualTo(Locality.of("us-east-1", "us-east-1c"));
    Node n3 = node("n3", Map.of(KubernetesWorldMapper.REGION_LABEL, "eu-west-1"));
    ClusterWorld arrived = KubernetesWorldMapper.map(CLUSTER, List.of(n1, n2Moved, n3), List.of(reviews()), slices, memo).world();
    assertThat(endpoint(arrived, "10.0.0.3").locality()).isEqualTo(Locality.of("eu-west-1", ""));
    assertThat(endpoint(arrived, "10.0.0.2")).isSameAs(endpoint(moved, "10.0.0.2"));
    ClusterWorld n1Gone = KubernetesWorldMapper.map(CLUSTER, List.of(n2Moved, n3), List.of(reviews()), slices, memo).world();
    assertThat(endpoint(n1Gone, "10.0.0.1").locality()).isEqualTo(Locality.UNKNOWN);
    assertThat(n1Gone).isEqualTo(KubernetesWorldMapper.toClusterWorld(CLUSTER, List.of(n2Moved, n3), List.of(reviews()), slices));
  }

  @Test
  void withAMemoARefusedObjectStaysRefused() {
    MappingMemo memo = new MappingMemo();
    EndpointSlice hostile = slice("reviews-hostile").withEndpoints(endpoint("not-an-ip", "n1", true)).build();

    for (int look = 0; look < 2; look++) {
      KubernetesWorldMapper.Mapped mapped = KubernetesWorldMapper.map(CLUSTER, List.of(), List.of(reviews()), List.of(hostile), memo);
      assertThat(mapped.world().endpoints()).isEmpty();
      assertThat(mapped.rejected()).hasSize(1);
    }
  }

  private static Endpoint endpoint(ClusterWorld world, String address) {
    return world.endpoints().stream().filter(e -> e.address().equals(address)).findFirst().orElseThrow();
  }
}
