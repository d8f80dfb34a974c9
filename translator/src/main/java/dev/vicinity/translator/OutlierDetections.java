package dev.vicinity.translator;

import com.google.protobuf.UInt32Value;
import dev.vicinity.api.policy.DestinationRule;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import java.time.Duration;

/** Gloo Mesh's and Istio's outlier detection, as Envoy's. */
final class OutlierDetections {
  /** Envoy's defaults, written out for Gloo Mesh fields a VirtualDestination leaves out. */
  static final int DEFAULT_CONSECUTIVE_ERRORS = 5;
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_EJECTION_PERCENT = 10;
  private static final UInt32Value ALWAYS = UInt32Value.of(100);
  private static final UInt32Value NEVER = UInt32Value.of(0);

  private OutlierDetections() {}

  /**
   * Gloo Mesh's {@code consecutiveErrors} counts 5xx responses and, as Envoy maps them to 503, failed
   * connections: Envoy's {@code consecutive_5xx}, enforced every time.
   */
  static OutlierDetection gloo(dev.vicinity.api.policy.OutlierDetection outlier) {
    return OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(orDefault(outlier.consecutiveErrors(), DEFAULT_CONSECUTIVE_ERRORS)))
        .setEnforcingConsecutive5Xx(ALWAYS)
        .setInterval(protoDuration(orDefault(outlier.interval(), DEFAULT_INTERVAL)))
        .setBaseEjectionTime(protoDuration(orDefault(outlier.baseEjectionTime(), DEFAULT_BASE_EJECTION_TIME)))
        .setMaxEjectionPercent(UInt32Value.of(orDefault(outlier.maxEjectionPercent(), DEFAULT_MAX_EJECTION_PERCENT)))
        .build();
  }

  /**
   * Istio's translation: success-rate ejection off; each configured error count enforced (or disabled
   * when 0); the deprecated {@code consecutiveErrors} counts gateway errors only; absent fields keep
   * Envoy's defaults.
   */
  static OutlierDetection istio(DestinationRule.OutlierDetection outlier) {
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

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
