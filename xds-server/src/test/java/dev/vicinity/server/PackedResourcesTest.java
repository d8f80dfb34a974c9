package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import org.junit.jupiter.api.Test;

class PackedResourcesTest {
  private final PackedResources packer = new PackedResources();

  @Test
  void aResourceSentOnManyStreamsIsPackedOnce() {
    ClusterLoadAssignment assignment = ClusterLoadAssignment.newBuilder().setClusterName("outbound|9080||reviews.global").build();

    Any first = packer.serialize(assignment, ApiVersion.V3);

    assertThat(first).isEqualTo(Any.pack(assignment));
    assertThat(packer.serialize(assignment, ApiVersion.V3)).isSameAs(first);
  }

  @Test
  void resourcesAreKnownByIdentitySoAnEqualCopyIsPackedOnItsOwn() {
    ClusterLoadAssignment assignment = ClusterLoadAssignment.newBuilder().setClusterName("outbound|9080||reviews.global").build();
    ClusterLoadAssignment copy = assignment.toBuilder().build();

    Any packed = packer.serialize(assignment, ApiVersion.V3);

    assertThat(packer.serialize(copy, ApiVersion.V3)).isEqualTo(packed).isNotSameAs(packed);
    assertThat(packer.size()).isEqualTo(2);
  }
}
