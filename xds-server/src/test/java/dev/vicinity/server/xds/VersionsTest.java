package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionsTest {
  private static ClusterLoadAssignment assignment(String clusterName, String... metadataKeys) {
    Struct.Builder fields = Struct.newBuilder();
    for (String key : metadataKeys) {
      fields.putFields(key, Value.newBuilder().setStringValue(key + "-value").build());
    }
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(clusterName)
        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
            .setMetadata(Metadata.newBuilder().putFilterMetadata("dev.vicinity", fields.build()))))
        .build();
  }

  @Test
  void equalResourcesBuiltInADifferentOrderHaveTheSameVersion() {
    // Map entries inserted in another order serialize identically only with deterministic serialization.
    String first = Versions.of(List.of(assignment("a", "cluster", "service", "node", "zone", "rack")));
    String second = Versions.of(List.of(assignment("a", "rack", "zone", "node", "service", "cluster")));

    assertThat(first).isEqualTo(second).hasSize(16).matches("[0-9a-f]{16}");
  }

  @Test
  void anyChangeGivesANewVersion() {
    assertThat(Versions.of(List.of(assignment("a", "cluster")))).isNotEqualTo(Versions.of(List.of(assignment("b", "cluster"))));
    assertThat(Versions.of(List.of(assignment("a", "cluster"))))
        .isNotEqualTo(Versions.of(List.of(assignment("a", "cluster"), assignment("b", "cluster"))));
  }

  @Test
  void resourceBoundariesCount() {
    // Two resources are not the same version as one resource holding the concatenated bytes.
    assertThat(Versions.of(List.of(assignment("ab")))).isNotEqualTo(Versions.of(List.of(assignment("a"), assignment("b"))));
  }
}
