package dev.vicinity.server.reconcile;

import dev.vicinity.server.xds.SharedResources;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate before publishing, with Envoy's real rules: what it refuses, and what it checks only once. */
class SnapshotAcceptanceTest {
  private static final ClientProfile EAST = new ClientProfile(ClientKind.ENVOY, "east", Locality.of("us-east-1", "us-east-1a"), "");
  private static final ClientProfile WEST = new ClientProfile(ClientKind.ENVOY, "west", Locality.of("us-west-2", "us-west-2a"), "");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger checks = new AtomicInteger();
  private final SnapshotAcceptance acceptance = new SnapshotAcceptance(registry, Clock.systemUTC(), (resource, kind) -> {
    checks.incrementAndGet();
    return ClientAcceptance.check(resource, kind);
  });

  private static Cluster cluster(String name, int maxEjectionPercent) {
    return Cluster.newBuilder().setName(name)
        .setOutlierDetection(OutlierDetection.newBuilder().setMaxEjectionPercent(UInt32Value.of(maxEjectionPercent)))
        .build();
  }

  private static XdsSnapshot snapshot(Message... clusters) {
    return XdsSnapshot.of(Map.of(XdsType.CLUSTER, List.of(clusters)), new SharedResources());
  }

  @Test
  void aSnapshotWithAResourceEnvoyWouldRefuseIsRefusedNamingTheFieldAndTheRule() {
    XdsSnapshot broken = snapshot(cluster("a", 100), cluster("b", 150));

    assertThat(acceptance.accepts(EAST, null, broken)).isFalse();

    assertThat(acceptance.refusals()).singleElement().satisfies(refusal -> {
      assertThat(refusal.group()).isEqualTo(EAST.toString());
      assertThat(refusal.violations()).singleElement().asString()
          .isEqualTo("Cluster b: outlier_detection.max_ejection_percent breaks uint32.lte: 150 is above 100");
    });
    assertThat(registry.get("vicinity.snapshots.refused").counter().count()).isEqualTo(1.0);
  }

  @Test
  void anAcceptedSnapshotClearsTheGroupsRefusal() {
    acceptance.accepts(EAST, null, snapshot(cluster("b", 150)));

    assertThat(acceptance.accepts(EAST, null, snapshot(cluster("b", 50)))).isTrue();

    assertThat(acceptance.refusals()).isEmpty();
  }

  @Test
  void eachResourceVersionIsCheckedOncePerClientKindWhateverTheGroups() {
    XdsSnapshot shared = snapshot(cluster("a", 10), cluster("b", 20));

    acceptance.accepts(EAST, null, shared);
    acceptance.accepts(WEST, null, shared);

    assertThat(checks).hasValue(2);
  }

  @Test
  void resourcesTheGroupAlreadyHoldsAtTheSameVersionAreNotCheckedAgain() {
    XdsSnapshot before = snapshot(cluster("a", 10), cluster("b", 20));
    acceptance.accepts(EAST, null, before);
    checks.set(0);

    acceptance.accepts(EAST, before, snapshot(cluster("a", 10), cluster("b", 30)));

    assertThat(checks).as("only b's new version").hasValue(1);
  }
}
