package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class XdsSnapshotTest {
  private static XdsSnapshot snapshot(Map<String, Integer> weightsByCluster, SharedResources shared) {
    return XdsSnapshot.of(Map.of(
        XdsType.CLUSTER, weightsByCluster.keySet().stream().sorted().map(name -> Cluster.newBuilder().setName(name).build()).toList(),
        XdsType.ENDPOINT, weightsByCluster.keySet().stream().sorted().map(name -> assignment(name, weightsByCluster.get(name))).toList()),
        shared);
  }

  private static ClusterLoadAssignment assignment(String name, int weight) {
    return ClusterLoadAssignment.newBuilder().setClusterName(name)
        .addEndpoints(LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(com.google.protobuf.UInt32Value.of(weight)))
        .build();
  }

  @Test
  void aPatchedSnapshotHasTheVersionsOfOneBuiltWholeWithTheSameResources() {
    SharedResources shared = new SharedResources();
    XdsSnapshot before = snapshot(Map.of("a", 1, "b", 1, "c", 1), shared);

    XdsSnapshot patched = before.withLoadAssignments(List.of(assignment("b", 2)), shared);
    XdsSnapshot whole = snapshot(Map.of("a", 1, "b", 2, "c", 1), shared);

    assertThat(patched.version(XdsType.ENDPOINT)).isEqualTo(whole.version(XdsType.ENDPOINT))
        .isNotEqualTo(before.version(XdsType.ENDPOINT));
    assertThat(patched.version(XdsType.CLUSTER)).isEqualTo(before.version(XdsType.CLUSTER));
    assertThat(patched.changedVersions(whole)).isEmpty();
  }

  @Test
  void aPatchBackToWhatWasGivesTheVersionThatWas() {
    SharedResources shared = new SharedResources();
    XdsSnapshot before = snapshot(Map.of("a", 1, "b", 1), shared);

    XdsSnapshot there = before.withLoadAssignments(List.of(assignment("a", 5)), shared);
    XdsSnapshot back = there.withLoadAssignments(List.of(assignment("a", 1)), shared);

    assertThat(back.version(XdsType.ENDPOINT)).isEqualTo(before.version(XdsType.ENDPOINT));
  }

  @Test
  void aPatchKeepsTheSendingOrderAndLeavesTheSnapshotItPatchedAsItWas() {
    SharedResources shared = new SharedResources();
    XdsSnapshot before = snapshot(Map.of("a", 1, "b", 1, "c", 1), shared);
    Map<String, VersionedResource> was = Map.copyOf(before.resources(XdsType.ENDPOINT));

    XdsSnapshot patched = before.withLoadAssignments(List.of(assignment("c", 3), assignment("a", 2), assignment("c", 4)), shared);

    assertThat(patched.resources(XdsType.ENDPOINT)).containsOnlyKeys("a", "b", "c");
    assertThat(patched.resources(XdsType.ENDPOINT).keySet()).containsExactly("a", "b", "c");
    assertThat(patched.messages(XdsType.ENDPOINT).values()).containsExactly(assignment("a", 2), assignment("b", 1), assignment("c", 4));
    assertThat(patched.version(XdsType.ENDPOINT)).isEqualTo(snapshot(Map.of("a", 2, "b", 1, "c", 4), shared).version(XdsType.ENDPOINT));
    assertThat(before.resources(XdsType.ENDPOINT)).isEqualTo(was);
    assertThat(patched.changedSince(XdsType.ENDPOINT, before.version(XdsType.ENDPOINT))).contains(Set.of("a", "c"));
  }

  @Test
  void aPatchOfALoadAssignmentTheSnapshotDoesNotHaveIsRefused() {
    SharedResources shared = new SharedResources();
    XdsSnapshot before = snapshot(Map.of("a", 1), shared);

    assertThatThrownBy(() -> before.withLoadAssignments(List.of(assignment("z", 1)), shared))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("z");
  }
}
