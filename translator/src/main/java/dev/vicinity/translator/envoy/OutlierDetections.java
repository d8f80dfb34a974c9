package dev.vicinity.translator.envoy;

import com.google.protobuf.UInt32Value;
import dev.vicinity.api.policy.DestinationRule;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import java.time.Duration;

/**
 * Gloo Mesh's and Istio's outlier detection, as Envoy's. A VirtualDestination's outlier detection takes the
 * path it takes in Gloo Mesh: Gloo Mesh writes it into an Istio DestinationRule (filling in its own
 * defaults), and Istio turns that into Envoy's, so Envoy and gRPC clients get what they would get there.
 */
public final class OutlierDetections {
  /** Gloo Mesh's defaults for the fields a VirtualDestination leaves out (or sets to 0). */
  static final int GLOO_CONSECUTIVE_ERRORS = 5;
  static final Duration GLOO_INTERVAL = Duration.ofSeconds(10);
  static final Duration GLOO_BASE_EJECTION_TIME = Duration.ofSeconds(30);
  static final int GLOO_MAX_EJECTION_PERCENT = 100;
  private static final UInt32Value ALWAYS = UInt32Value.of(100);
  private static final UInt32Value NEVER = UInt32Value.of(0);

  private OutlierDetections() {}

  /**
   * Gloo Mesh's translation into Istio's {@code DestinationRule} outlier detection:
   * {@code consecutiveErrors} becomes {@code consecutive5xxErrors}, and a field left out or set to 0 takes
   * Gloo Mesh's default; then {@link #istio}.
   */
  public static OutlierDetection gloo(dev.vicinity.api.policy.OutlierDetection outlier) {
    return istio(new DestinationRule.OutlierDetection(
        null,
        positiveOr(outlier.consecutiveErrors(), GLOO_CONSECUTIVE_ERRORS),
        null,
        null,
        null,
        outlier.interval() != null ? outlier.interval() : GLOO_INTERVAL,
        outlier.baseEjectionTime() != null ? outlier.baseEjectionTime() : GLOO_BASE_EJECTION_TIME,
        positiveOr(outlier.maxEjectionPercent(), GLOO_MAX_EJECTION_PERCENT),
        null));
  }

  /**
   * Istio's translation: success-rate ejection off; each configured error count enforced (or disabled
   * when 0); the deprecated {@code consecutiveErrors} counts gateway errors only; absent fields keep
   * Envoy's defaults.
   */
  public static OutlierDetection istio(DestinationRule.OutlierDetection outlier) {
    OutlierDetection.Builder out = OutlierDetection.newBuilder().setEnforcingSuccessRate(NEVER);
    if (outlier.consecutiveErrors() != null && outlier.consecutiveErrors() > 0) {
      out.setConsecutiveGatewayFailure(UInt32Value.of(outlier.consecutiveErrors()))
          .setEnforcingConsecutiveGatewayFailure(ALWAYS)
          .setEnforcingConsecutive5Xx(NEVER);
    }
    if (outlier.consecutive5xxErrors() != null) {
      out.setConsecutive5Xx(UInt32Value.of(outlier.consecutive5xxErrors()))
          .setEnforcingConsecutive5Xx(outlier.consecutive5xxErrors() > 0 ? ALWAYS : NEVER);
    }
    if (outlier.consecutiveGatewayErrors() != null) {
      out.setConsecutiveGatewayFailure(UInt32Value.of(outlier.consecutiveGatewayErrors()))
          .setEnforcingConsecutiveGatewayFailure(outlier.consecutiveGatewayErrors() > 0 ? ALWAYS : NEVER);
    }
    if (Boolean.TRUE.equals(outlier.splitExternalLocalOriginErrors())) {
      out.setSplitExternalLocalOriginErrors(true);
      if (outlier.consecutiveLocalOriginFailures() != null) {
        out.setConsecutiveLocalOriginFailure(UInt32Value.of(outlier.consecutiveLocalOriginFailures()));
      }
    }
    if (outlier.interval() != null) {
      out.setInterval(protoDuration(outlier.interval()));
    }
    if (outlier.baseEjectionTime() != null) {
      out.setBaseEjectionTime(protoDuration(outlier.baseEjectionTime()));
    }
    if (outlier.maxEjectionPercent() != null && outlier.maxEjectionPercent() > 0) {
      out.setMaxEjectionPercent(UInt32Value.of(outlier.maxEjectionPercent()));
    }
    return out.build();
  }

  static com.google.protobuf.Duration protoDuration(Duration duration) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }

  private static int positiveOr(Integer value, int fallback) {
    return value != null && value > 0 ? value : fallback;
  }
}
