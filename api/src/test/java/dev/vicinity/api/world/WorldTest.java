package dev.vicinity.api.world;

import static dev.vicinity.api.world.WorldFixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorldTest {

  @Test
  void ofKeysClustersByIdInOrder() {
    World world = World.of(List.of(cluster("remote", SyncState.SYNCED), cluster("mgmt", SyncState.SYNCED)));

    assertThat(world.clusters().keySet()).containsExactly(ClusterId.of("mgmt"), ClusterId.of("remote"));
    assertThat(world.cluster(ClusterId.of("remote"))).hasValueSatisfying(c -> assertThat(c.id().value()).isEqualTo("remote"));
    assertThat(world.cluster(ClusterId.of("absent"))).isEmpty();
  }

  @Test
  void withReplacesTheClusterOfTheSameId() {
    World before = World.of(List.of(cluster("mgmt", SyncState.PENDING), cluster("remote", SyncState.SYNCED)));
    ClusterWorld synced = cluster("mgmt", SyncState.SYNCED);

    World after = before.with(synced);

    assertThat(after.clusters()).hasSize(2);
    assertThat(after.cluster(ClusterId.of("mgmt"))).contains(synced);
    assertThat(after.cluster(ClusterId.of("remote"))).isEqualTo(before.cluster(ClusterId.of("remote")));
    assertThat(before.cluster(ClusterId.of("mgmt")).orElseThrow().syncState()).isEqualTo(SyncState.PENDING);
  }

  @Test
  void withAddsANewClusterInOrder() {
    World before = World.of(List.of(cluster("b", SyncState.SYNCED)));

    World after = before.with(cluster("a", SyncState.SYNCED)).with(cluster("c", SyncState.SYNCED));

    assertThat(after.clusters().keySet()).extracting(ClusterId::value).containsExactly("a", "b", "c");
    assertThat(before.clusters()).hasSize(1);
  }

  @Test
  void emptyWorldWithOneCluster() {
    World world = World.EMPTY.with(cluster("mgmt", SyncState.SYNCED));

    assertThat(world.clusters()).containsOnlyKeys(ClusterId.of("mgmt"));
    assertThat(World.EMPTY.clusters()).isEmpty();
  }

  @ParameterizedTest(name = "{0} + {1}: {2}")
  @CsvSource({
    "SYNCED,  SYNCED,  true",
    "SYNCED,  STALE,   true",
    "STALE,   STALE,   true",
    "SYNCED,  PENDING, false",
    "SYNCED,  FAILED,  true",
    "PENDING, PENDING, false",
    "STALE,   FAILED,  true",
    "FAILED,  PENDING, false",
  })
  void allSyncedOnceNoClusterWaitsForItsFirstSync(SyncState first, SyncState second, boolean expected) {
    World world = World.of(List.of(cluster("a", first), cluster("b", second)));

    assertThat(world.allSynced()).isEqualTo(expected);
  }

  @Test
  void replacingThePendingClusterMakesTheWorldSynced() {
    World world = World.of(List.of(cluster("a", SyncState.SYNCED), ClusterWorld.pending(ClusterId.of("b"), "")));

    assertThat(world.allSynced()).isFalse();
    assertThat(world.with(cluster("b", SyncState.SYNCED)).allSynced()).isTrue();
  }

  @Test
  void servicesAndEndpointsSpanEveryCluster() {
    World world = World.of(List.of(cluster("b", SyncState.SYNCED), cluster("a", SyncState.SYNCED)));

    assertThat(world.services()).extracting(s -> s.cluster().value()).containsExactly("a", "b");
    assertThat(world.endpoints()).extracting(e -> e.cluster().value()).containsExactly("a", "b");
  }

  @Test
  void clustersMapIsImmutableAndSorted() {
    World world = new World(Map.of(ClusterId.of("z"), cluster("z", SyncState.SYNCED),
        ClusterId.of("a"), cluster("a", SyncState.SYNCED)));

    assertThat(world.clusters().keySet()).extracting(ClusterId::value).containsExactly("a", "z");
    assertThat(world.clusters()).isUnmodifiable();
  }

  @Test
  void equalClustersGiveEqualWorlds() {
    World one = World.of(List.of(cluster("a", SyncState.SYNCED), cluster("b", SyncState.STALE)));
    World two = World.of(List.of(cluster("b", SyncState.STALE), cluster("a", SyncState.SYNCED)));

    assertThat(one).isEqualTo(two);
  }
}
