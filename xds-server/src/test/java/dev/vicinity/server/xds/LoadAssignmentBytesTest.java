package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Load assignments serialized with shared LbEndpoints give exactly the bytes of a whole serialization. */
class LoadAssignmentBytesTest {
  private static LbEndpoint lbEndpoint(Random random, int i) {
    Struct.Builder metadata = Struct.newBuilder();
    // Several keys in a random insertion order: deterministic serialization must sort them all the same.
    List<String> keys = new ArrayList<>(List.of("cluster", "service", "node", "zone", "gateway"));
    java.util.Collections.shuffle(keys, random);
    keys.subList(0, 1 + random.nextInt(keys.size())).forEach(key ->
        metadata.putFields(key, Value.newBuilder().setStringValue(key + "-" + random.nextInt(5)).build()));
    LbEndpoint.Builder endpoint = LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
            SocketAddress.newBuilder().setAddress("10.0." + (i / 250) + "." + (i % 250)).setPortValue(8000 + random.nextInt(3)))))
        .setHealthStatus(HealthStatus.forNumber(random.nextInt(3)))
        .setMetadata(Metadata.newBuilder().putFilterMetadata("dev.vicinity", metadata.build()));
    if (random.nextBoolean()) {
      endpoint.setLoadBalancingWeight(UInt32Value.of(1 + random.nextInt(10)));
    }
    return endpoint.build();
  }

  private static ClusterLoadAssignment assignment(Random random, List<LbEndpoint> shared) {
    ClusterLoadAssignment.Builder assignment = ClusterLoadAssignment.newBuilder();
    if (random.nextInt(5) > 0) {
      assignment.setClusterName("outbound|9080||reviews-" + random.nextInt(3) + ".global");
    }
    int localities = random.nextInt(6);
    for (int l = 0; l < localities; l++) {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
      if (random.nextInt(4) > 0) {
        locality.setLocality(Locality.newBuilder().setRegion("r" + l).setZone(random.nextBoolean() ? "z" + l : ""));
      }
      int count = random.nextInt(8);
      for (int e = 0; e < count; e++) {
        locality.addLbEndpoints(shared.get(random.nextInt(shared.size())));
      }
      if (random.nextBoolean()) {
        locality.setLoadBalancingWeight(UInt32Value.of(random.nextInt(100)));
      }
      locality.setPriority(random.nextInt(3));
      if (random.nextInt(4) == 0) {
        locality.setProximity(UInt32Value.of(random.nextInt(3)));
      }
      assignment.addEndpoints(locality);
    }
    return assignment.build();
  }

  @Test
  void assignmentsSharingEndpointsSerializeExactlyAsAWholeDeterministicSerialization() {
    Random random = new Random(13);
    List<LbEndpoint> shared = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      shared.add(lbEndpoint(random, i));
    }
    LoadAssignmentBytes bytes = new LoadAssignmentBytes();
    for (int round = 0; round < 2_000; round++) {
      ClusterLoadAssignment assignment = assignment(random, shared);

      assertThat(bytes.of(assignment)).as("assignment %s", assignment).isEqualTo(Versions.deterministicBytes(assignment));
    }
  }

  @Test
  void anAssignmentWithFieldsPastItsEndpointsIsSerializedWhole() {
    ClusterLoadAssignment assignment = ClusterLoadAssignment.newBuilder()
        .setClusterName("c")
        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(lbEndpoint(new Random(1), 1)))
        .setPolicy(ClusterLoadAssignment.Policy.newBuilder().setOverprovisioningFactor(UInt32Value.of(140)))
        .build();

    assertThat(new LoadAssignmentBytes().of(assignment)).isEqualTo(Versions.deterministicBytes(assignment));
  }

  @Test
  void sharedResourcesVersionALoadAssignmentAsItsWholeSerialization() {
    ClusterLoadAssignment assignment = assignment(new Random(7), List.of(lbEndpoint(new Random(8), 3)));

    VersionedResource resource = new SharedResources().share(XdsType.ENDPOINT, assignment);

    assertThat(resource.version()).isEqualTo(Versions.of(List.of(assignment)));
    assertThat(resource.packed().getValue().toByteArray()).isEqualTo(Versions.deterministicBytes(assignment));
  }
}
