package dev.vicinity.api.world;

import static dev.vicinity.api.world.WorldFixtures.cluster;
import static dev.vicinity.api.world.WorldFixtures.endpoint;
import static dev.vicinity.api.world.WorldFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterWorldTest {

  @Test
  void servicesAreSortedByNamespaceThenName() {
    ClusterWorld world = new ClusterWorld(ClusterId.of("mgmt"), "net", SyncState.SYNCED,
        List.of(service("mgmt", "bookinfo", "reviews"), service("mgmt", "alpha", "zeta"),
            service("mgmt", "bookinfo", "details")),
        List.of());

    assertThat(world.services()).extracting(DiscoveredService::key).containsExactly(
        new ServiceKey("alpha", "zeta"), new ServiceKey("bookinfo", "details"), new ServiceKey("bookinfo", "reviews"));
  }

  @Test
  void endpointsAreSortedByClusterServiceAddressPortAndPortName() {
    Endpoint a = endpoint("mgmt", "bookinfo", "details", "10.0.0.9", 9080);
    Endpoint b = endpoint("mgmt", "bookinfo", "reviews", "10.0.0.1", 9080);
    Endpoint c = endpoint("mgmt", "bookinfo", "reviews", "10.0.0.1", 9443);
    Endpoint d = endpoint("mgmt", "bookinfo", "reviews", "10.0.0.2", 80);
    Endpoint e = new Endpoint(ClusterId.of("mgmt"), new ServiceKey("bookinfo", "reviews"), "10.0.0.2", "metrics",
        80, null, null, null, null);

    ClusterWorld world = new ClusterWorld(ClusterId.of("mgmt"), "", SyncState.SYNCED, List.of(),
        List.of(e, d, c, b, a));

    assertThat(world.endpoints()).containsExactly(a, b, c, d, e);
  }

  @Test
  void aBackendListedTwiceIsKeptOnceTheReadyCopyWinning() {
    Endpoint notReady = new Endpoint(ClusterId.of("mgmt"), new ServiceKey("bookinfo", "reviews"), "10.0.0.1", "http", 9080,
        Locality.of("us-east-1", "us-east-1a"), "n1", EndpointConditions.NOT_READY, "");
    Endpoint ready = new Endpoint(ClusterId.of("mgmt"), new ServiceKey("bookinfo", "reviews"), "10.0.0.1", "http", 9080,
        Locality.of("us-east-1", "us-east-1b"), "n2", EndpointConditions.READY, "");

    for (List<Endpoint> order : List.of(List.of(notReady, ready), List.of(ready, notReady))) {
      ClusterWorld world = new ClusterWorld(ClusterId.of("mgmt"), "", SyncState.SYNCED, List.of(), order);
      assertThat(world.endpoints()).containsExactly(ready);
    }
  }

  @Test
  void sortingMakesEqualWorldsEqual() {
    List<DiscoveredService> services = List.of(service("m", "ns", "b"), service("m", "ns", "a"));
    List<Endpoint> endpoints =
        List.of(endpoint("m", "ns", "a", "10.0.0.2", 1), endpoint("m", "ns", "a", "10.0.0.1", 1));

    ClusterWorld one = new ClusterWorld(ClusterId.of("m"), "", SyncState.SYNCED, services, endpoints);
    ClusterWorld two = new ClusterWorld(ClusterId.of("m"), "", SyncState.SYNCED, com.google.common.collect.Lists.reverse(services),
        com.google.common.collect.Lists.reverse(endpoints));

    assertThat(one).isEqualTo(two);
    assertThat(one.services()).isUnmodifiable();
    assertThat(one.endpoints()).isUnmodifiable();
  }

  @Test
  void pendingWorldIsEmpty() {
    ClusterWorld pending = ClusterWorld.pending(ClusterId.of("remote"), null);

    assertThat(pending.syncState()).isEqualTo(SyncState.PENDING);
    assertThat(pending.network()).isEmpty();
    assertThat(pending.services()).isEmpty();
    assertThat(pending.endpoints()).isEmpty();
  }

  @Test
  void withSyncStateKeepsEverythingElse() {
    ClusterWorld synced = new ClusterWorld(ClusterId.of("m"), "net", SyncState.SYNCED,
        List.of(service("m", "ns", "a")), List.of(endpoint("m", "ns", "a", "10.0.0.1", 1)));

    ClusterWorld stale = synced.withSyncState(SyncState.STALE);

    assertThat(stale.syncState()).isEqualTo(SyncState.STALE);
    assertThat(stale.withSyncState(SyncState.SYNCED)).isEqualTo(synced);
    assertThat(stale.services()).isEqualTo(synced.services());
    assertThat(stale.endpoints()).isEqualTo(synced.endpoints());
  }

  @Test
  void withTheSameSyncStateTheWorldIsThisVeryInstance() {
    ClusterWorld synced = cluster("m", SyncState.SYNCED);

    assertThat(synced.withSyncState(SyncState.SYNCED)).isSameAs(synced);
  }

  @Test
  void aWorldKeepsTheListOfNormalizedEndpointsItIsGiven() {
    NormalizedEndpoints endpoints = NormalizedEndpoints.of(List.of(endpoint("m", "ns", "a", "10.0.0.2", 1),
        endpoint("m", "ns", "a", "10.0.0.1", 1)));

    ClusterWorld world = new ClusterWorld(ClusterId.of("m"), "", SyncState.SYNCED, List.of(), endpoints);

    assertThat(world.endpoints()).isSameAs(endpoints.list());
    assertThat(world.withSyncState(SyncState.STALE).endpoints()).isSameAs(endpoints.list());
  }

  @Test
  void endpointDefaultsApply() {
    Endpoint endpoint = new Endpoint(ClusterId.of("m"), new ServiceKey("ns", "a"), "10.0.0.1", null, 80, null, null,
        null, null);

    assertThat(endpoint.portName()).isEmpty();
    assertThat(endpoint.locality()).isEqualTo(Locality.UNKNOWN);
    assertThat(endpoint.nodeName()).isEmpty();
    assertThat(endpoint.conditions()).isEqualTo(EndpointConditions.READY);
    assertThat(endpoint.network()).isEmpty();
  }

  @Test
  void blankClusterIdIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterId.of(" "));
  }
}
