package dev.vicinity.translator.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import dev.vicinity.api.policy.DestinationRule;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Outlier detection reaches Envoy as it would through Gloo Mesh (VirtualDestination -> Istio
 * DestinationRule) and Istio (DestinationRule -> Envoy). Success-rate ejection is always off: left unset,
 * Envoy and gRPC default it to on (100), and grpc-js 1.14 crashes in its success-rate sweep.
 */
class OutlierDetectionsTest {
  private static com.google.protobuf.Duration seconds(long seconds) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(seconds).build();
  }

  @Test
  void theSeedsVirtualDestinationBecomesIstiosConsecutive5xxWithSuccessRateOff() {
    OutlierDetection envoy = OutlierDetections.gloo(
        new dev.vicinity.api.policy.OutlierDetection(1, Duration.ofSeconds(5), Duration.ofSeconds(120), 100));

    assertThat(envoy).isEqualTo(OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(1))
        .setEnforcingConsecutive5Xx(UInt32Value.of(100))
        .setEnforcingSuccessRate(UInt32Value.of(0))
        .setInterval(seconds(5))
        .setBaseEjectionTime(seconds(120))
        .setMaxEjectionPercent(UInt32Value.of(100))
        .build());
  }

  @Test
  void fieldsAVirtualDestinationLeavesOutOrSetsToZeroTakeGlooMeshsDefaults() {
    OutlierDetection leftOut = OutlierDetections.gloo(new dev.vicinity.api.policy.OutlierDetection(null, null, null, null));
    OutlierDetection zeros = OutlierDetections.gloo(new dev.vicinity.api.policy.OutlierDetection(0, null, null, 0));

    OutlierDetection glooDefaults = OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(5))
        .setEnforcingConsecutive5Xx(UInt32Value.of(100))
        .setEnforcingSuccessRate(UInt32Value.of(0))
        .setInterval(seconds(10))
        .setBaseEjectionTime(seconds(30))
        .setMaxEjectionPercent(UInt32Value.of(100))
        .build();
    assertThat(leftOut).isEqualTo(glooDefaults);
    assertThat(zeros).isEqualTo(glooDefaults);
  }

  @Test
  void aDestinationRuleWithOnlyAnIntervalKeepsEnvoysDefaultsButTurnsSuccessRateOff() {
    OutlierDetection envoy = OutlierDetections.istio(
        new DestinationRule.OutlierDetection(null, null, null, null, null, Duration.ofSeconds(1), null, null, null));

    assertThat(envoy).isEqualTo(OutlierDetection.newBuilder()
        .setEnforcingSuccessRate(UInt32Value.of(0))
        .setInterval(seconds(1))
        .build());
  }

  @Test
  void aZeroErrorCountInADestinationRuleDisablesThatEjectionInsteadOfEjectingAtOnce() {
    OutlierDetection envoy = OutlierDetections.istio(
        new DestinationRule.OutlierDetection(null, 0, 0, null, null, null, null, null, null));

    assertThat(envoy.getEnforcingConsecutive5Xx().getValue()).isZero();
    assertThat(envoy.getEnforcingConsecutiveGatewayFailure().getValue()).isZero();
    assertThat(envoy.getEnforcingSuccessRate()).isEqualTo(UInt32Value.of(0));
  }
}
